import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	ERROR_CODES,
	PATHS,
	SUBSCRIPTION_LIMIT_PER_EVENT,
	type BulkUpsertRequest,
	type EventType,
	type Subscription,
} from '../shared/contract';
import { toPliantApiError } from '../shared/errors/api-error';
import { failureFacts, pliantCode, pliantSaid } from '../shared/errors/failure-facts';
import { pliantApiRequest } from '../shared/http/transport';
import { eventDisplayName, normaliseEventType } from '../shared/onboarding/events';

/** The three calls the trigger makes about its subscriptions, and what their failures mean. */

/** The event type a subscription is for, whichever spelling it was registered with. */
export function typeOf(subscription: Subscription): string {
	return normaliseEventType(subscription.eventType);
}

/** `GET /subscriptions`: what this credential's partner account has at Pliant. */
export async function listSubscriptions(this: IHookFunctions): Promise<Subscription[]> {
	const response = (await pliantApiRequest.call(this, { method: 'GET', path: PATHS.subscriptions })) as
		| { subscriptions?: unknown }
		| undefined;
	return Array.isArray(response?.subscriptions) ? (response.subscriptions as Subscription[]) : [];
}

/** One bulk upsert (idempotent at Pliant: keyed by event type and URL) for the missing event types. */
export async function upsertSubscriptions(this: IHookFunctions, url: string, missing: EventType[], listed: Subscription[]): Promise<void> {
	if (missing.length === 0) return;
	const body: BulkUpsertRequest = { subscriptions: missing.map((eventType) => ({ eventType, callbackUrl: url })) };
	try {
		await pliantApiRequest.call(this, { method: 'POST', path: PATHS.subscriptionsBulkUpsert, body: body as unknown as IDataObject });
	} catch (error) {
		if (isLimitError(error)) throw limitError.call(this, error, missing, listed);
		throw error instanceof NodeApiError ? error : toPliantApiError(this.getNode(), error);
	}
}

/** DELETEs each ID; a 404 means gone. Returns the IDs whose DELETE failed (logged, to retry later). */
export async function deleteSubscriptions(this: IHookFunctions, ids: string[], why: string): Promise<string[]> {
	const failed: string[] = [];
	for (const id of ids) {
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

function isLimitError(error: unknown): boolean {
	const facts = failureFacts(error);
	return pliantCode(facts) === ERROR_CODES.subscriptionLimitReached || facts.status === 409;
}

/** A new error for the 42-per-event-type limit, keeping Pliant's status, code and body. */
function limitError(this: IHookFunctions, error: unknown, missing: EventType[], listed: Subscription[]): NodeApiError {
	const facts = failureFacts(error);
	const full = missing.filter(
		(eventType) => listed.filter((subscription) => typeOf(subscription) === eventType).length >= SUBSCRIPTION_LIMIT_PER_EVENT,
	);
	const said = `${(error as { description?: string })?.description ?? ''} ${pliantSaid(facts)} ${pliantCode(facts) ?? ''}`;
	const named = missing.filter((eventType) => said.includes(eventType));
	const culprits = full.length > 0 ? full : named.length > 0 ? named : missing;
	const list = culprits.map((eventType) => `${eventDisplayName(eventType)} (${eventType})`).join(', ');
	return toPliantApiError(this.getNode(), error, undefined, {
		message: `Pliant allows at most ${SUBSCRIPTION_LIMIT_PER_EVENT} subscriptions per event type, and ${list} ${culprits.length === 1 ? 'has' : 'have'} reached it`,
		description:
			'Free a slot, then publish again: unpublish workflows with a Pliant Trigger you no longer need, stop "Listen for test event" in other editors (each test URL holds its own subscriptions), or delete unused subscriptions with DELETE /subscriptions/{id}. Selecting fewer event types also helps.',
	});
}
