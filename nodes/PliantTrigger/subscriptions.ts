import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { EventType, Subscription } from '../shared/contract';
import { credentialIdOf } from '../shared/identity';
import { resolveSelectedEvents } from '../shared/onboarding/events';
import { ownership, type Ownership, type Place } from './ownership';
import { deleteSubscriptions, listSubscriptions, typeOf, upsertSubscriptions } from './pliant-subscriptions';
import { forgetStoredSigningKeys, warmSigningKeys } from './signing-keys';
import { noRecordLeft, readRecord, writeRecord, type SubscriptionRecord } from './subscription-record';
import { logEarlier, logForeign, logHidden } from './subscription-log';

/**
 * The trigger's subscriptions at Pliant, one record per URL (subscription-record.ts):
 *
 *   unregistered ─create─▶ registering ─upsert confirmed─▶ registered ─delete─▶ unregistering ─all deleted─▶ unregistered
 *
 * "registering" is written before the upsert with what the URL held just before it, so a crash
 * or a refusal (429, the limit) in between leaves a record from which the next create or delete
 * tells this node's new IDs from the rest; "unregistering" keeps what could not be deleted yet.
 * Only this node's own subscriptions are ever changed (ownership.ts).
 */

interface Here extends Place {
	events: EventType[];
	removeEarlier: boolean;
}

function here(this: IHookFunctions, url = this.getNodeWebhookUrl('default')): Here {
	if (!url) throw new NodeOperationError(this.getNode(), 'n8n did not provide a webhook URL for this trigger', { description: 'Set the n8n webhook URL (WEBHOOK_URL / N8N_WEBHOOK_URL) and publish the workflow again.' });
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const events = resolveSelectedEvents(this.getNodeParameter('events', []));
	return { url, credentialId: credentialIdOf(this.getNode()) ?? '', events, removeEarlier: options.removeEarlierUrls === true };
}

const covers = (subscriptions: Subscription[], events: EventType[]) => events.every((type) => subscriptions.some((s) => typeOf(s) === type));
const unselected = (subscriptions: Subscription[], events: EventType[]) => subscriptions.filter((s) => !(events as string[]).includes(typeOf(s)));
const ids = (subscriptions: Subscription[]) => subscriptions.map((subscription) => subscription.id);

/* ----------------------------------------------------------------- transitions (pure) */

/** unregistered | registered | registering | unregistering → registering: before the upsert. */
export function beginRegistering(sorted: Ownership, at: Here, listedAtUrl: string[]): SubscriptionRecord {
	return { state: 'registering', callbackUrl: at.url, credentialId: at.credentialId, eventTypes: at.events, own: ids(sorted.own), listedBefore: listedAtUrl, earlier: ids(sorted.earlier), otherCredentials: sorted.hidden };
}

/** registering → registered: the upsert is confirmed; `kept` are the own IDs still wanted. */
export function finishRegistering(sorted: Ownership, at: Here, kept: string[], earlier: string[]): SubscriptionRecord {
	return { state: 'registered', callbackUrl: at.url, credentialId: at.credentialId, eventTypes: at.events, own: kept, earlier, otherCredentials: sorted.hidden };
}

/** registered | registering → unregistering: before the deletes. */
export function beginUnregistering(record: SubscriptionRecord): SubscriptionRecord {
	return { ...record, state: 'unregistering' };
}

/** unregistering → unregistered (nothing left: no record), or stays with what failed. */
export function finishUnregistering(sorted: Ownership, at: Here, failed: string[], earlier: string[]): SubscriptionRecord | undefined {
	const state = failed.length > 0 ? 'unregistering' : 'unregistered';
	if (state === 'unregistered' && earlier.length === 0 && sorted.hidden.length === 0) return undefined;
	return { state, callbackUrl: at.url, credentialId: at.credentialId, eventTypes: [], own: failed, earlier, otherCredentials: sorted.hidden };
}

/* ----------------------------------------------------------------- n8n's webhook methods */

/** Read only: true when this node's own subscriptions at this URL are exactly the selected event types. */
export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const at = here.call(this);
	const record = readRecord.call(this);
	if (record?.state !== 'registered' || record.callbackUrl !== at.url || (record.credentialId ?? '') !== at.credentialId) return false;
	if ((record.otherCredentials ?? []).some((entry) => entry.credentialId === at.credentialId)) return false;
	if (at.removeEarlier && (record.earlier ?? []).length > 0) return false;
	const { own } = ownership(record, await listSubscriptions.call(this), at);
	if (!covers(own, at.events) || unselected(own, at.events).length > 0) return false;
	await warmSigningKeys.call(this).catch((error: Error) => this.logger.warn(`Pliant Trigger: could not load Pliant's signing keys yet: ${error.message}`));
	return true;
}

/** Registers what this URL lacks, records what this node created, then removes its own it no longer needs. */
export async function create(this: IHookFunctions): Promise<boolean> {
	const at = here.call(this);
	if (at.events.length === 0) throw new NodeOperationError(this.getNode(), 'Select at least one event under "Trigger On"');
	await requireSigningKeys.call(this);
	const previous = readRecord.call(this);
	const before = await listSubscriptions.call(this);
	const atUrl = before.filter((subscription) => subscription.callbackUrl === at.url);
	const sortedBefore = ownership(previous, before, at);
	logSorted.call(this, sortedBefore, previous);
	const registering = beginRegistering(sortedBefore, at, ids(atUrl));
	writeRecord.call(this, registering);
	await upsertSubscriptions.call(this, at.url, at.events.filter((type) => !covers(atUrl, [type])), before);

	const listed = await listSubscriptions.call(this);
	const missing = at.events.filter((type) => !covers(listed.filter((s) => s.callbackUrl === at.url), [type]));
	if (missing.length > 0) throw new NodeOperationError(this.getNode(), `Pliant did not confirm the subscription for ${missing.join(', ')}`, { description: 'Publish the workflow again; if it persists, check the API base URL of the credential.' });
	const sorted = ownership(registering, listed, at);
	const drop = [...ids(unselected(sorted.own, at.events)), ...(at.removeEarlier ? ids(sorted.earlier) : [])];
	// Recorded before the deletes, with them still in it, so a crash in between forgets nothing.
	writeRecord.call(this, finishRegistering(sorted, at, ids(sorted.own), ids(sorted.earlier)));
	const failed = new Set(await deleteSubscriptions.call(this, drop, 'no longer used by this trigger'));
	const kept = (list: Subscription[]) => ids(list).filter((id) => !drop.includes(id) || failed.has(id));
	writeRecord.call(this, finishRegistering(sorted, at, kept(sorted.own), kept(sorted.earlier)));
	return true;
}

/**
 * Deletes this node's own subscriptions (and, if asked, its own at earlier URLs). Failures are
 * logged, never thrown, so unpublishing always succeeds; what failed stays recorded.
 */
export async function deleteSubscriptionsOfNode(this: IHookFunctions): Promise<boolean> {
	const record = readRecord.call(this);
	if (!record) return true;
	const at = here.call(this, this.getNodeWebhookUrl('default') ?? record.callbackUrl);
	writeRecord.call(this, beginUnregistering(record));
	let listed: Subscription[];
	try {
		listed = await listSubscriptions.call(this);
	} catch (error) {
		this.logger.warn(`Pliant Trigger: could not list subscriptions, so none was deleted (they stay recorded for the next publish or unpublish): ${(error as Error).message}`);
		return true;
	}
	const sorted = ownership(record, listed, at);
	logSorted.call(this, sorted, record);
	const drop = [...ids(sorted.own), ...(at.removeEarlier ? ids(sorted.earlier) : [])];
	const failed = await deleteSubscriptions.call(this, drop, 'trigger deactivated');
	const earlier = ids(sorted.earlier).filter((id) => !drop.includes(id) || failed.includes(id));
	writeRecord.call(this, finishUnregistering(sorted, at, failed.filter((id) => !earlier.includes(id)), earlier));
	if (noRecordLeft.call(this)) forgetStoredSigningKeys(this.getWorkflowStaticData('node'));
	return true;
}

/** Verification on: the keys first, so that nothing is registered when they cannot be had. */
async function requireSigningKeys(this: IHookFunctions): Promise<void> {
	const options = this.getNodeParameter('options', {}) as IDataObject;
	if (options.verifySignature === false || (await warmSigningKeys.call(this)) > 0) return;
	throw new NodeOperationError(this.getNode(), "Pliant's signing keys (JWKS) hold no Ed25519 key", { description: 'Callbacks could not be verified. Check the API base URL of the credential, or turn off "Verify Signature" for local tests only.' });
}

function logSorted(this: IHookFunctions, sorted: Ownership, previous: SubscriptionRecord | undefined): void {
	logForeign.call(this, sorted.foreign);
	logHidden.call(this, sorted.hidden);
	logEarlier.call(this, sorted.earlier.filter((subscription) => !(previous?.earlier ?? []).includes(subscription.id)));
}
