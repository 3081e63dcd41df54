import type { IHookFunctions } from 'n8n-workflow';

import { PATHS, type Subscription } from '../shared/contract';
import { failureFacts } from '../shared/errors/failure-facts';
import { pliantApiRequest } from '../shared/http/transport';
import { isUuid } from '../shared/uuid';

/**
 * Deleting only what is this node's. Static data travels with a workflow copy (export/import,
 * n8n's public API), so a stored id may be another trigger's subscription: before a DELETE, the
 * id must be listed at Pliant with a callback URL that carries this node's webhook id. An n8n
 * URL of this node from an older base URL still carries it.
 */

export interface DeleteOutcome {
	/** Ids whose DELETE failed: to be retried later. */
	failed: string[];
	/** Ids Pliant no longer lists for this credential: gone. */
	absent: string[];
	/** Ids listed for another trigger's URL, or not UUIDs: left alone and forgotten. */
	foreign: string[];
}

/** The webhook id in an n8n webhook URL (`…/webhook/<webhookId>/webhook`), or undefined. */
export function webhookIdOf(url: string): string | undefined {
	try {
		const segments = new URL(url).pathname.split('/').filter(Boolean);
		return segments.length >= 2 ? segments[segments.length - 2] : undefined;
	} catch {
		return undefined;
	}
}

/** True when `callbackUrl` is a URL of the node whose current URL is `ownUrl`. */
export function isOwnCallbackUrl(callbackUrl: string, ownUrl: string): boolean {
	const own = webhookIdOf(ownUrl);
	return own !== undefined && webhookIdOf(callbackUrl) === own;
}

/** `GET /subscriptions`: what this credential's partner account has at Pliant. */
export async function listSubscriptions(this: IHookFunctions): Promise<Subscription[]> {
	const response = (await pliantApiRequest.call(this, { method: 'GET', path: PATHS.subscriptions })) as
		| { subscriptions?: unknown }
		| undefined;
	return Array.isArray(response?.subscriptions) ? (response.subscriptions as Subscription[]) : [];
}

/** How one id stands, judged by the listing: deletable, absent, or not this node's. */
function judge(id: string, listed: Subscription[], ownUrl: string): 'delete' | 'absent' | 'foreign' {
	if (!isUuid(id)) return 'foreign';
	const subscription = listed.find((candidate) => candidate.id === id);
	if (!subscription) return 'absent';
	return isOwnCallbackUrl(String(subscription.callbackUrl ?? ''), ownUrl) ? 'delete' : 'foreign';
}

/**
 * DELETEs those of `ids` that `listed` (a fresh `GET /subscriptions`) shows as this node's.
 * A 404 on a subscription listed a moment ago means it is gone now.
 */
export async function deleteOwnSubscriptions(
	this: IHookFunctions,
	ids: string[],
	listed: Subscription[],
	ownUrl: string,
	why: string,
): Promise<DeleteOutcome> {
	const outcome: DeleteOutcome = { failed: [], absent: [], foreign: [] };
	for (const id of [...new Set(ids)]) {
		const verdict = judge(id, listed, ownUrl);
		if (verdict === 'absent') outcome.absent.push(id);
		if (verdict === 'foreign') outcome.foreign.push(id);
		if (verdict !== 'delete') continue;
		try {
			await pliantApiRequest.call(this, { method: 'DELETE', path: PATHS.subscription(id) });
		} catch (error) {
			if (failureFacts(error).status === 404) continue;
			outcome.failed.push(id);
			this.logger.error(
				`Pliant Trigger: could not delete subscription ${id} (${why}): ${(error as Error).message}. ` +
					'It still counts against the 42-per-event-type limit; it will be retried when this trigger is next unpublished or republished.',
			);
		}
	}
	if (outcome.foreign.length > 0) {
		this.logger.warn(
			`Pliant Trigger: left ${outcome.foreign.length} stored subscription(s) alone (${outcome.foreign.join(', ')}): ` +
				"their callback URL is not this trigger's (static data copied from another workflow?). They are forgotten here, not deleted.",
		);
	}
	return outcome;
}
