import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { credentialIdOf } from '../shared/identity';

/**
 * What a trigger remembers of its subscriptions, in the node's static data. Static data travels
 * with workflow export/import, so nothing stored here is trusted on its own: every stored id is
 * checked at Pliant (ownership.ts) before it is deleted.
 *
 * Test ("Listen for test event") and production URLs differ and get their own subscriptions,
 * each remembered in its own slot.
 */

export type SlotName = 'production' | 'test';

/** Subscriptions made with a credential other than the node's current one. */
export interface ForeignIds {
	credentialId: string;
	subscriptionIds: string[];
}

export interface SubscriptionSlot {
	/** The webhook URL the subscriptions were registered for. */
	callbackUrl: string;
	subscriptionIds: string[];
	eventTypes: string[];
	/** The n8n credential the subscriptions were created with (absent in older static data). */
	credentialId?: string;
	/** Ids this node still has to delete (a delete that failed earlier). */
	pendingDeletion?: string[];
	/**
	 * Ids created with an earlier credential, which the current one may not see at Pliant:
	 * kept until the node runs with that credential again, which then deletes them.
	 */
	otherCredentials?: ForeignIds[];
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

export function readSlot(this: IHookFunctions): SubscriptionSlot | undefined {
	return slots(this.getWorkflowStaticData('node'))[slotName.call(this)];
}

export function writeSlot(this: IHookFunctions, slot: SubscriptionSlot | undefined): void {
	const staticData = this.getWorkflowStaticData('node');
	const map = { ...slots(staticData) };
	const name = slotName.call(this);
	// An empty credential id (n8n gave none) is left out rather than stored as ''.
	if (slot) {
		const { credentialId, ...rest } = slot;
		map[name] = credentialId ? slot : rest;
	} else delete map[name];
	if (Object.keys(map).length === 0) delete staticData[STATIC_DATA_KEY];
	else staticData[STATIC_DATA_KEY] = map as IDataObject;
}

/** True when no slot is left (the trigger holds no subscription at all). */
export function noSlotLeft(this: IHookFunctions): boolean {
	return Object.keys(slots(this.getWorkflowStaticData('node'))).length === 0;
}

/** The identity of the n8n credential this node uses now ('' when n8n gives none). */
export function currentCredentialId(this: IHookFunctions): string {
	return credentialIdOf(this.getNode()) ?? '';
}

/** Every id a slot remembers for `credentialId` (older static data has no credential: it counts as any). */
export function idsFor(slot: SubscriptionSlot | undefined, credentialId: string): string[] {
	if (!slot) return [];
	const own = !slot.credentialId || slot.credentialId === credentialId ? [...slot.subscriptionIds, ...(slot.pendingDeletion ?? [])] : [];
	const returned = (slot.otherCredentials ?? [])
		.filter((entry) => entry.credentialId === credentialId)
		.flatMap((entry) => entry.subscriptionIds);
	return [...new Set([...own, ...returned])];
}

/**
 * The ids remembered for other credentials, after the node moved to `credentialId`: the slot's
 * own ids join them when the slot was made with a different credential.
 */
export function otherCredentialIds(slot: SubscriptionSlot | undefined, credentialId: string): ForeignIds[] {
	if (!slot) return [];
	const entries = (slot.otherCredentials ?? []).filter((entry) => entry.credentialId !== credentialId);
	const ownIds = [...slot.subscriptionIds, ...(slot.pendingDeletion ?? [])];
	if (slot.credentialId && slot.credentialId !== credentialId && ownIds.length > 0) {
		const existing = entries.find((entry) => entry.credentialId === slot.credentialId);
		const merged = { credentialId: slot.credentialId, subscriptionIds: [...new Set([...(existing?.subscriptionIds ?? []), ...ownIds])] };
		return [...entries.filter((entry) => entry !== existing), merged];
	}
	return entries;
}
