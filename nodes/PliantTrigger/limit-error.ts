import type { IHookFunctions, NodeApiError } from 'n8n-workflow';

import { ERROR_CODES, SUBSCRIPTION_LIMIT_PER_EVENT, type EventType, type Subscription } from '../shared/contract';
import { toPliantApiError } from '../shared/errors/api-error';
import { eventDisplayName, normaliseEventType } from '../shared/onboarding/events';
import { failureFacts, pliantCode, pliantSaid } from '../shared/errors/failure-facts';

/** The event type a subscription is for, whichever spelling it was registered with. */
export function typeOf(subscription: Subscription): string {
	return normaliseEventType(subscription.eventType);
}

export function isLimitError(error: unknown): boolean {
	const facts = failureFacts(error);
	return pliantCode(facts) === ERROR_CODES.subscriptionLimitReached || facts.status === 409;
}

/** A new error for the 42-per-event-type limit, keeping Pliant's status, code and body. */
export function limitError(this: IHookFunctions, error: unknown, missing: EventType[], existing: Subscription[]): NodeApiError {
	const facts = failureFacts(error);
	const full = missing.filter(
		(eventType) =>
			existing.filter((subscription) => typeOf(subscription) === eventType).length >= SUBSCRIPTION_LIMIT_PER_EVENT,
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
