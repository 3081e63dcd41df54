import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	ERROR_CODES,
	PATHS,
	SUBSCRIPTION_LIMIT_PER_EVENT,
	type BulkUpsertRequest,
	type EventType,
	type Subscription,
	type SubscriptionList,
} from '../shared/contract';
import { toPliantApiError } from '../shared/errors/api-error';
import { failureFacts, pliantCode, pliantSaid } from '../shared/errors/failure-facts';
import { pliantApiRequest } from '../shared/http/transport';
import { eventDisplayName, normaliseEventType, resolveSelectedEvents } from '../shared/onboarding/events';
import { forgetStoredSigningKeys, warmSigningKeys } from './signing-keys';

/**
 * The trigger's subscription lifecycle. Subscriptions are keyed by (event type, callback URL)
 * at Pliant; the callback URL contains this node's webhook ID, so a subscription whose URL is
 * exactly this node's URL is this node's, and nothing else is ever touched.
 *
 * Test ("Listen for test event") and production URLs differ and get their own subscriptions,
 * each remembered in its own slot of the node's static data.
 */

export type SlotName = 'production' | 'test';

export interface SubscriptionSlot {
	/** The webhook URL the subscriptions were registered for. */
	callbackUrl: string;
	subscriptionIds: string[];
	eventTypes: string[];
	/** Ids this node still has to delete (a delete that failed earlier). */
	pendingDeletion?: string[];
}

type SlotMap = Partial<Record<SlotName, SubscriptionSlot>>;

const STATIC_DATA_KEY = 'subscriptions';

/** n8n runs the lifecycle of the test URL in "manual" mode. */
export function slotName(this: IHookFunctions): SlotName {
	return this.getMode() === 'manual' ? 'test' : 'production';
}

/** The slots in static data (a copy when there are none: reading never writes). */
function slots(staticData: IDataObject): SlotMap {
	const value = staticData[STATIC_DATA_KEY];
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as SlotMap) : {};
}

function readSlot(this: IHookFunctions): SubscriptionSlot | undefined {
	return slots(this.getWorkflowStaticData('node'))[slotName.call(this)];
}

function writeSlot(this: IHookFunctions, slot: SubscriptionSlot | undefined): void {
	const staticData = this.getWorkflowStaticData('node');
	const map = slots(staticData);
	const name = slotName.call(this);
	if (slot) map[name] = slot;
	else delete map[name];
	if (Object.keys(map).length === 0) delete staticData[STATIC_DATA_KEY];
	else staticData[STATIC_DATA_KEY] = map as IDataObject;
}

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

async function listSubscriptions(this: IHookFunctions): Promise<Subscription[]> {
	const response = (await pliantApiRequest.call(this, {
		method: 'GET',
		path: PATHS.subscriptions,
	})) as unknown as SubscriptionList | undefined;
	return Array.isArray(response?.subscriptions) ? response.subscriptions : [];
}

/** The event type a subscription is for, whichever spelling it was registered with. */
function typeOf(subscription: Subscription): string {
	return normaliseEventType(subscription.eventType);
}

function covers(subscriptions: Subscription[], eventType: string): boolean {
	return subscriptions.some((subscription) => typeOf(subscription) === eventType);
}

/** DELETEs each id; 404 means already gone. Returns the ids that could not be deleted. */
async function deleteSubscriptions(this: IHookFunctions, ids: string[], why: string): Promise<string[]> {
	const failed: string[] = [];
	for (const id of [...new Set(ids)]) {
		try {
			await pliantApiRequest.call(this, { method: 'DELETE', path: PATHS.subscription(id) });
		} catch (error) {
			if (failureFacts(error).status === 404) continue;
			failed.push(id);
			this.logger.error(
				`Pliant Trigger: could not delete subscription ${id} (${why}): ${(error as Error).message}. ` +
					'It still counts against the 42-per-event-type limit; it will be retried when this trigger is next unpublished or republished.',
			);
		}
	}
	return failed;
}

function limitError(
	this: IHookFunctions,
	error: unknown,
	missing: EventType[],
	existing: Subscription[],
): NodeApiError {
	// Reworded in place: the NodeApiError keeps Pliant's status, code and body.
	const apiError = error instanceof NodeApiError ? error : toPliantApiError(this.getNode(), error);
	const full = missing.filter(
		(eventType) =>
			existing.filter((subscription) => typeOf(subscription) === eventType).length >=
			SUBSCRIPTION_LIMIT_PER_EVENT,
	);
	const said = `${apiError.description ?? ''} ${pliantSaid(failureFacts(apiError))} ${pliantCode(failureFacts(apiError)) ?? ''}`;
	const named = missing.filter((eventType) => said.includes(eventType));
	const culprits = full.length > 0 ? full : named.length > 0 ? named : missing;
	const list = culprits.map((eventType) => `${eventDisplayName(eventType)} (${eventType})`).join(', ');
	apiError.message = `Pliant allows at most ${SUBSCRIPTION_LIMIT_PER_EVENT} subscriptions per event type, and ${list} ${culprits.length === 1 ? 'has' : 'have'} reached it`;
	apiError.description =
		'Free a slot, then publish again: unpublish workflows with a Pliant Trigger you no longer need, stop "Listen for test event" in other editors (each test URL holds its own subscriptions), or delete unused subscriptions with DELETE /subscriptions/{id}. Selecting fewer event types also helps.';
	return apiError;
}

function isLimitError(error: unknown): boolean {
	const facts = failureFacts(error);
	return pliantCode(facts) === ERROR_CODES.subscriptionLimitReached || facts.status === 409;
}

/**
 * Read only: adopts subscriptions that already exist for this URL and returns true when every
 * selected event type is covered. Returns false (so n8n calls `create`) when one is missing,
 * when this URL is subscribed to event types no longer selected, or when the stored
 * subscriptions belong to an older webhook URL that `create` must clean up.
 */
export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const url = webhookUrl.call(this);
	const events = selectedEvents.call(this);
	const slot = readSlot.call(this);
	if (slot && slot.callbackUrl !== url && slot.subscriptionIds.length > 0) return false;
	if (slot?.pendingDeletion?.length) return false;

	const ours = (await listSubscriptions.call(this)).filter((subscription) => subscription.callbackUrl === url);
	const covered = events.every((eventType) => covers(ours, eventType));
	const unselected = ours.some((subscription) => !(events as string[]).includes(typeOf(subscription)));
	if (!covered || unselected) return false;

	writeSlot.call(this, {
		callbackUrl: url,
		subscriptionIds: ours.map((subscription) => subscription.id),
		eventTypes: events,
	});
	if (verificationEnabled.call(this)) {
		try {
			await warmSigningKeys.call(this);
		} catch (error) {
			// Not fatal here: the subscriptions are fine, and webhook() fetches the keys itself.
			this.logger.warn(
				`Pliant Trigger: could not load Pliant's signing keys yet: ${(error as Error).message}`,
			);
		}
	}
	return true;
}

/**
 * Registers the missing event types with one bulk upsert (idempotent at Pliant), stores every
 * id, then deletes what this node no longer needs: subscriptions stored for an older webhook
 * URL (the n8n URL changed) and subscriptions of this URL for event types no longer selected.
 */
export async function create(this: IHookFunctions): Promise<boolean> {
	const url = webhookUrl.call(this);
	const events = selectedEvents.call(this);
	const previous = readSlot.call(this);

	if (verificationEnabled.call(this)) {
		// First, so that nothing is registered when the keys cannot be had.
		const count = await warmSigningKeys.call(this);
		if (count === 0) {
			throw new NodeOperationError(this.getNode(), "Pliant's signing keys (JWKS) hold no Ed25519 key", {
				description:
					'Callbacks could not be verified. Check the API base URL of the credential, or turn off "Verify Signature" for local tests only.',
			});
		}
	}

	const existing = await listSubscriptions.call(this);
	const ours = existing.filter((subscription) => subscription.callbackUrl === url);
	const missing = events.filter((eventType) => !covers(ours, eventType));

	let created: Subscription[] = [];
	if (missing.length > 0) {
		const body: BulkUpsertRequest = {
			subscriptions: missing.map((eventType) => ({ eventType, callbackUrl: url })),
		};
		try {
			const response = (await pliantApiRequest.call(this, {
				method: 'POST',
				path: PATHS.subscriptionsBulkUpsert,
				body: body as unknown as IDataObject,
			})) as unknown as SubscriptionList | undefined;
			created = Array.isArray(response?.subscriptions) ? response.subscriptions : [];
		} catch (error) {
			if (isLimitError(error)) throw limitError.call(this, error, missing, existing);
			throw error instanceof NodeApiError ? error : toPliantApiError(this.getNode(), error);
		}
	}

	const isKept = (subscription: Subscription) =>
		subscription.callbackUrl === url && (events as string[]).includes(typeOf(subscription));
	let kept = [...ours, ...created].filter(isKept);
	if (events.some((eventType) => !covers(kept, eventType))) {
		// The answer did not list every subscription: ask Pliant what it has now.
		kept = (await listSubscriptions.call(this)).filter(isKept);
	}
	const stillMissing = events.filter((eventType) => !covers(kept, eventType));
	if (stillMissing.length > 0) {
		throw new NodeOperationError(
			this.getNode(),
			`Pliant did not confirm the subscription for ${stillMissing.join(', ')}`,
			{ description: 'Publish the workflow again; if it persists, check the API base URL of the credential.' },
		);
	}

	const staleUrlIds = previous && previous.callbackUrl !== url ? previous.subscriptionIds : [];
	const unselectedIds = ours
		.filter((subscription) => !(events as string[]).includes(typeOf(subscription)))
		.map((subscription) => subscription.id);
	const keptIds = new Set(kept.map((subscription) => subscription.id));
	const toDelete = [...staleUrlIds, ...unselectedIds, ...(previous?.pendingDeletion ?? [])].filter(
		(id) => !keptIds.has(id),
	);

	const slot: SubscriptionSlot = {
		callbackUrl: url,
		subscriptionIds: [...keptIds],
		eventTypes: events,
	};
	// Stored before the clean-up, with what is left to clean up, so a crash in between
	// neither forgets the new subscriptions nor the stale ones.
	if (toDelete.length > 0) slot.pendingDeletion = [...new Set(toDelete)];
	writeSlot.call(this, slot);

	if (toDelete.length > 0) {
		const failed = await deleteSubscriptions.call(this, toDelete, 'no longer used by this trigger');
		if (failed.length > 0) slot.pendingDeletion = failed;
		else delete slot.pendingDeletion;
		writeSlot.call(this, slot);
	}
	return true;
}

/**
 * Deletes exactly this node's subscriptions: the stored ids, plus any subscription whose URL is
 * this node's URL (in case static data was lost). 404 counts as done. Failures are logged,
 * never thrown, so unpublishing always succeeds, and their ids stay in static data so the
 * next publish or unpublish deletes them.
 */
export async function deleteSubscriptionsOfNode(this: IHookFunctions): Promise<boolean> {
	const slot = readSlot.call(this);
	const ids = [...(slot?.subscriptionIds ?? []), ...(slot?.pendingDeletion ?? [])];

	const url = this.getNodeWebhookUrl('default');
	if (url) {
		try {
			const existing = await listSubscriptions.call(this);
			ids.push(
				...existing
					.filter((subscription) => subscription.callbackUrl === url)
					.map((subscription) => subscription.id),
			);
		} catch (error) {
			this.logger.warn(
				`Pliant Trigger: could not list subscriptions before deleting (deleting the ${ids.length} stored ones): ${(error as Error).message}`,
			);
		}
	}

	const failed = await deleteSubscriptions.call(this, ids, 'trigger deactivated');
	// Ids that could not be deleted stay remembered, so the next publish or unpublish retries them.
	writeSlot.call(
		this,
		failed.length > 0
			? { callbackUrl: url ?? slot?.callbackUrl ?? '', subscriptionIds: [], eventTypes: [], pendingDeletion: failed }
			: undefined,
	);
	const staticData = this.getWorkflowStaticData('node');
	if (Object.keys(slots(staticData)).length === 0) forgetStoredSigningKeys(staticData);
	return true;
}
