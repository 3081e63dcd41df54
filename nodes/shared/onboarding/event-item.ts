import type { IDataObject } from 'n8n-workflow';

import type { CallbackBody, StatusChange } from '../contract';

/**
 * The facts about an event that do not come from its body: from Pliant's callback headers
 * for the webhook trigger, from the organization and the poll for the polling trigger.
 */
export interface EventFacts {
	organizationId?: string | null;
	partnerOrganizationId?: string | null;
	paymentProgramId?: string | null;
	callbackId?: string | null;
	/** The signed message ID of a callback; left out of items that never were one (polling). */
	webhookId?: string | null;
	/** Kept as given: Pliant's timestamps may carry up to 9 fractional digits, which Date would cut. */
	createdAt?: string | null;
}

export interface EventItemInput {
	body: CallbackBody;
	/** The event type after normalising its spelling. */
	eventType: string;
	facts: EventFacts;
	receivedAt: Date;
}

function asStatusChange(value: unknown): StatusChange | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as StatusChange) : undefined;
}

/**
 * The item one onboarding event becomes, whichever trigger saw it: the identifiers first (from
 * the body, else from the facts), then the event's own fields as sent (unknown ones pass
 * through), the status change flattened for easy mapping, and when the trigger got it.
 */
export function buildEventItem(input: EventItemInput): IDataObject {
	const { body, facts } = input;
	const item: IDataObject = {
		eventType: input.eventType,
		organizationId: body.organizationId ?? facts.organizationId ?? null,
		partnerOrganizationId: body.partnerOrganizationId ?? facts.partnerOrganizationId ?? null,
		paymentProgramId: facts.paymentProgramId ?? null,
		callbackId: facts.callbackId ?? null,
		...(facts.webhookId === undefined ? {} : { webhookId: facts.webhookId }),
		createdAt: facts.createdAt ?? null,
	};
	for (const [field, value] of Object.entries(body)) {
		// `eventType` is already there, in its normalised spelling.
		if (!(field in item)) item[field] = value as IDataObject[string];
	}

	const statusChange = asStatusChange(body.statusChange);
	if (statusChange) {
		item.previousStatus = statusChange.beforeChange ?? null;
		item.newStatus = statusChange.afterChange ?? null;
	}
	item.receivedAt = input.receivedAt.toISOString();
	return item;
}
