import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	PATHS,
	type BulkUpsertRequest,
	type EventType,
	type Subscription,
	type SubscriptionList,
} from '../shared/contract';
import { toPliantApiError } from '../shared/errors/api-error';
import { pliantApiRequest } from '../shared/http/transport';
import { resolveSelectedEvents } from '../shared/onboarding/events';
import { isLimitError, limitError, typeOf } from './limit-error';
import { deleteOwnSubscriptions, listSubscriptions, type DeleteOutcome } from './ownership';
import { forgetStoredSigningKeys, warmSigningKeys } from './signing-keys';
import {
	currentCredentialId,
	idsFor,
	noSlotLeft,
	otherCredentialIds,
	readSlot,
	writeSlot,
	type ForeignIds,
	type SubscriptionSlot,
} from './subscription-store';

/**
 * The trigger's subscription lifecycle. Subscriptions are keyed by (event type, callback URL)
 * at Pliant; the callback URL carries this node's webhook id, and a stored id is deleted only
 * after Pliant lists it with such a URL (ownership.ts). Which credential made them is stored
 * too: after a credential change, ids the new credential cannot see are kept (and logged) until
 * the node runs with the old credential again.
 */

function webhookUrl(this: IHookFunctions): string {
	const url = this.getNodeWebhookUrl('default');
	if (!url) {
		throw new NodeOperationError(this.getNode(), 'n8n did not provide a webhook URL for this trigger', {
			description: 'Set the n8n webhook URL (WEBHOOK_URL / N8N_WEBHOOK_URL) and publish the workflow again.',
		});
	}
	return url;
}

function selectedEvents(this: IHookFunctions): EventType[] {
	const events = resolveSelectedEvents(this.getNodeParameter('events', []));
	if (events.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Select at least one event under "Trigger On"');
	}
	return events;
}

function verificationEnabled(this: IHookFunctions): boolean {
	const options = this.getNodeParameter('options', {}) as IDataObject;
	// A collection's unset option is absent: absent means the default, on.
	return options.verifySignature !== false;
}


function covers(subscriptions: Subscription[], eventType: string): boolean {
	return subscriptions.some((subscription) => typeOf(subscription) === eventType);
}

/** Verification on: the keys first, so that nothing is registered when they cannot be had. */
async function requireSigningKeys(this: IHookFunctions): Promise<void> {
	if (!verificationEnabled.call(this)) return;
	if ((await warmSigningKeys.call(this)) > 0) return;
	throw new NodeOperationError(this.getNode(), "Pliant's signing keys (JWKS) hold no Ed25519 key", {
		description:
			'Callbacks could not be verified. Check the API base URL of the credential, or turn off "Verify Signature" for local tests only.',
	});
}

/** One bulk upsert (idempotent at Pliant) for the event types this URL lacks. */
async function registerMissing(this: IHookFunctions, url: string, missing: EventType[], existing: Subscription[]): Promise<Subscription[]> {
	if (missing.length === 0) return [];
	const body: BulkUpsertRequest = { subscriptions: missing.map((eventType) => ({ eventType, callbackUrl: url })) };
	try {
		const response = (await pliantApiRequest.call(this, {
			method: 'POST',
			path: PATHS.subscriptionsBulkUpsert,
			body: body as unknown as IDataObject,
		})) as unknown as SubscriptionList | undefined;
		return Array.isArray(response?.subscriptions) ? response.subscriptions : [];
	} catch (error) {
		if (isLimitError(error)) throw limitError.call(this, error, missing, existing);
		throw error instanceof NodeApiError ? error : toPliantApiError(this.getNode(), error);
	}
}

/** This URL's subscriptions for the selected events; asks Pliant again when the answer lacked some. */
async function confirmKept(this: IHookFunctions, url: string, events: EventType[], known: Subscription[]): Promise<Subscription[]> {
	const isKept = (subscription: Subscription) =>
		subscription.callbackUrl === url && (events as string[]).includes(typeOf(subscription));
	let kept = known.filter(isKept);
	if (events.some((eventType) => !covers(kept, eventType))) kept = (await listSubscriptions.call(this)).filter(isKept);
	const stillMissing = events.filter((eventType) => !covers(kept, eventType));
	if (stillMissing.length > 0) {
		throw new NodeOperationError(this.getNode(), `Pliant did not confirm the subscription for ${stillMissing.join(', ')}`, {
			description: 'Publish the workflow again; if it persists, check the API base URL of the credential.',
		});
	}
	return kept;
}

function warnOtherCredentials(this: IHookFunctions, others: ForeignIds[]): void {
	for (const entry of others) {
		this.logger.warn(
			`Pliant Trigger: ${entry.subscriptionIds.length} subscription(s) of this trigger were made with another Pliant credential (n8n credential ${entry.credentialId}) ` +
				'that the current one may not see at Pliant. They are remembered, not deleted: select that credential again and publish or unpublish to delete them.',
		);
	}
}

/** The slot after a clean-up: failures stay pending, ids of other credentials stay remembered. */
function slotAfter(base: SubscriptionSlot, outcome: DeleteOutcome, others: ForeignIds[]): SubscriptionSlot {
	return {
		...base,
		...(outcome.failed.length > 0 ? { pendingDeletion: outcome.failed } : {}),
		...(others.length > 0 ? { otherCredentials: others } : {}),
	};
}

/** Stores the kept ids, then deletes what this node no longer needs (of what Pliant listed). */
async function storeAndCleanUp(
	this: IHookFunctions,
	slot: SubscriptionSlot,
	toDelete: string[],
	listed: Subscription[],
	others: ForeignIds[],
): Promise<void> {
	// Stored before the clean-up, with what is left to clean up, so a crash in between
	// neither forgets the new subscriptions nor the stale ones.
	const none: DeleteOutcome = { failed: [], absent: [], foreign: [] };
	writeSlot.call(this, slotAfter(slot, { ...none, failed: toDelete }, others));
	if (toDelete.length === 0) return;
	const outcome = await deleteOwnSubscriptions.call(this, toDelete, listed, slot.callbackUrl, 'no longer used by this trigger');
	writeSlot.call(this, slotAfter(slot, outcome, others));
}

/**
 * Read only: adopts subscriptions that already exist for this URL and returns true when every
 * selected event type is covered. Returns false (so n8n calls `create`) when one is missing,
 * when this URL is subscribed to event types no longer selected, or when stored ids (of an
 * older URL, another credential, a failed delete) wait for `create` to sort them out.
 */
export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const url = webhookUrl.call(this);
	const events = selectedEvents.call(this);
	const slot = readSlot.call(this);
	const credentialId = currentCredentialId.call(this);
	if (slot && slot.callbackUrl !== url && slot.subscriptionIds.length > 0) return false;
	if (slot?.pendingDeletion?.length) return false;
	if (slot?.credentialId && slot.credentialId !== credentialId) return false;
	if ((slot?.otherCredentials ?? []).some((entry) => entry.credentialId === credentialId)) return false;

	const ours = (await listSubscriptions.call(this)).filter((subscription) => subscription.callbackUrl === url);
	const covered = events.every((eventType) => covers(ours, eventType));
	const unselected = ours.some((subscription) => !(events as string[]).includes(typeOf(subscription)));
	if (!covered || unselected) return false;

	const ids = ours.map((subscription) => subscription.id);
	writeSlot.call(this, { ...slot, callbackUrl: url, subscriptionIds: ids, eventTypes: events, credentialId });
	if (verificationEnabled.call(this)) {
		try {
			await warmSigningKeys.call(this);
		} catch (error) {
			// Not fatal here: the subscriptions are fine, and webhook() fetches the keys itself.
			this.logger.warn(`Pliant Trigger: could not load Pliant's signing keys yet: ${(error as Error).message}`);
		}
	}
	return true;
}

/**
 * Registers the missing event types, stores every id, then deletes what this node no longer
 * needs: its subscriptions of an older webhook URL, of event types no longer selected, and
 * earlier failed deletes; each only once Pliant lists it for this node.
 */
export async function create(this: IHookFunctions): Promise<boolean> {
	const url = webhookUrl.call(this);
	const events = selectedEvents.call(this);
	const previous = readSlot.call(this);
	const credentialId = currentCredentialId.call(this);
	await requireSigningKeys.call(this);

	const listed = await listSubscriptions.call(this);
	const ours = listed.filter((subscription) => subscription.callbackUrl === url);
	const missing = events.filter((eventType) => !covers(ours, eventType));
	const created = await registerMissing.call(this, url, missing, listed);
	const kept = await confirmKept.call(this, url, events, [...ours, ...created]);

	const keptIds = new Set(kept.map((subscription) => subscription.id));
	const unselected = ours.filter((subscription) => !keptIds.has(subscription.id)).map((subscription) => subscription.id);
	const toDelete = [...new Set([...idsFor(previous, credentialId), ...unselected])].filter((id) => !keptIds.has(id));
	const others = otherCredentialIds(previous, credentialId);
	warnOtherCredentials.call(this, others);
	const slot = { callbackUrl: url, subscriptionIds: [...keptIds], eventTypes: events, credentialId };
	await storeAndCleanUp.call(this, slot, toDelete, listed, others);
	return true;
}

/**
 * Deletes exactly this node's subscriptions: the stored ids Pliant lists for this node, plus any
 * subscription whose URL is this node's URL (in case static data was lost). Failures are logged,
 * never thrown, so unpublishing always succeeds, and their ids stay in static data so the next
 * publish or unpublish deletes them. When Pliant cannot be asked, nothing is deleted.
 */
export async function deleteSubscriptionsOfNode(this: IHookFunctions): Promise<boolean> {
	const slot = readSlot.call(this);
	const credentialId = currentCredentialId.call(this);
	const url = this.getNodeWebhookUrl('default') ?? slot?.callbackUrl ?? '';
	const ids = idsFor(slot, credentialId);
	const others = otherCredentialIds(slot, credentialId);
	warnOtherCredentials.call(this, others);
	const base: SubscriptionSlot = { callbackUrl: url, subscriptionIds: [], eventTypes: [], credentialId };

	let listed: Subscription[];
	try {
		listed = await listSubscriptions.call(this);
	} catch (error) {
		this.logger.warn(
			`Pliant Trigger: could not list subscriptions, so none was deleted (${ids.length} stay remembered for the next publish or unpublish): ${(error as Error).message}`,
		);
		if (ids.length > 0 || others.length > 0) writeSlot.call(this, slotAfter(base, { failed: ids, absent: [], foreign: [] }, others));
		return true;
	}
	const byUrl = listed.filter((subscription) => subscription.callbackUrl === url).map((subscription) => subscription.id);
	const outcome = await deleteOwnSubscriptions.call(this, [...ids, ...byUrl], listed, url, 'trigger deactivated');
	writeSlot.call(this, outcome.failed.length > 0 || others.length > 0 ? slotAfter(base, outcome, others) : undefined);
	if (noSlotLeft.call(this)) forgetStoredSigningKeys(this.getWorkflowStaticData('node'));
	return true;
}
