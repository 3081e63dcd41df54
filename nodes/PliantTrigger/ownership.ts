import type { Subscription } from '../shared/contract';
import { isUuid } from '../shared/uuid';
import type { OtherCredential, SubscriptionRecord } from './subscription-record';

/**
 * Which subscriptions are this node's: an ID it recorded as created by itself (absent from
 * Pliant's listing just before its own upsert) that Pliant lists at this n8n's current URL.
 * Nothing else is ever deleted: not a subscription that merely shares the URL (a copy of the
 * workflow with the same webhook ID gets the original's IDs back from its upsert), not one at
 * another origin (a staging copy of the database and a moved instance look the same from
 * inside), not one recorded by a workflow whose static data was copied.
 */

export interface Place {
	/** This n8n's current webhook URL for the node. */
	url: string;
	/** The node's n8n credential now ('' when n8n gives none). */
	credentialId: string;
}

export interface Ownership {
	/** Recorded and listed at the current URL: this node's. */
	own: Subscription[];
	/** Recorded and listed at another URL carrying this node's webhook ID (another origin or path). */
	earlier: Subscription[];
	/** Recorded under another credential and not listed: kept, that credential may still see them. */
	hidden: OtherCredential[];
	/** Recorded, but listed for another webhook ID or not an ID at all: another trigger's, forgotten. */
	foreign: string[];
}

/** The webhook ID in an n8n webhook URL (`…/webhook/<webhookId>/webhook`), or undefined. */
export function webhookIdOf(url: string): string | undefined {
	try {
		const segments = new URL(url).pathname.split('/').filter(Boolean);
		return segments.length >= 2 ? segments[segments.length - 2] : undefined;
	} catch {
		return undefined;
	}
}

/** Every ID the record holds, with the credential it was made with. */
function recordedIds(record: SubscriptionRecord, listed: Subscription[]): Array<{ id: string; credentialId: string }> {
	const made = record.credentialId ?? '';
	const before = new Set(record.listedBefore ?? []);
	// An upsert whose outcome is unknown (crash, 429): what is at the URL now but was not before is ours.
	const created = record.listedBefore
		? listed.filter((s) => s.callbackUrl === record.callbackUrl && !before.has(s.id)).map((s) => s.id)
		: [];
	return [
		...[...record.own, ...created, ...(record.earlier ?? [])].map((id) => ({ id, credentialId: made })),
		...(record.otherCredentials ?? []).flatMap((entry) => entry.ids.map((id) => ({ id, credentialId: entry.credentialId }))),
	];
}

/** Sorts what the record holds by what Pliant lists now (a fresh `GET /subscriptions`). */
export function ownership(record: SubscriptionRecord | undefined, listed: Subscription[], here: Place): Ownership {
	const result: Ownership = { own: [], earlier: [], hidden: [], foreign: [] };
	const seen = new Set<string>();
	for (const { id, credentialId } of record ? recordedIds(record, listed) : []) {
		if (seen.has(id)) continue;
		seen.add(id);
		const subscription = isUuid(id) ? listed.find((candidate) => candidate.id === id) : undefined;
		if (!isUuid(id)) result.foreign.push(id);
		else if (!subscription) {
			// Not listed: gone, unless made with another credential, which may see what this one cannot.
			if (credentialId !== here.credentialId) hide(result.hidden, credentialId, id);
		} else if (subscription.callbackUrl === here.url) result.own.push(subscription);
		else if (webhookIdOf(subscription.callbackUrl) === webhookIdOf(here.url)) result.earlier.push(subscription);
		else result.foreign.push(id);
	}
	return result;
}

function hide(hidden: OtherCredential[], credentialId: string, id: string): void {
	const entry = hidden.find((candidate) => candidate.credentialId === credentialId);
	if (entry) entry.ids.push(id);
	else hidden.push({ credentialId, ids: [id] });
}
