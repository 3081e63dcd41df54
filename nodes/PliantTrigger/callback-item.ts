import type { IDataObject } from 'n8n-workflow';

import { CALLBACK_HEADERS, type CallbackBody } from '../shared/contract';
import { buildEventItem } from '../shared/onboarding/event-item';
import { headerValue, type HeaderBag } from './signature';

/** Headers never copied to the output, even with "Include Headers" on. */
const SECRET_HEADER = /authorization|cookie|token|secret|password|api-?key|session/i;

/** The request headers minus anything that could carry a secret. */
export function safeHeaders(headers: HeaderBag): IDataObject {
	const copy: IDataObject = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || SECRET_HEADER.test(name)) continue;
		copy[name.toLowerCase()] = value;
	}
	return copy;
}

export interface CallbackItemInput {
	body: CallbackBody;
	/** The event type after normalising its spelling. */
	eventType: string;
	headers: HeaderBag;
	receivedAt: Date;
	includeHeaders: boolean;
}

/**
 * The item one callback becomes: the shared event item (shared/event-item.ts) with the
 * identifiers Pliant's headers carry, and the headers themselves when asked for.
 */
export function buildCallbackItem(input: CallbackItemInput): IDataObject {
	const fromHeader = (name: string) => headerValue(input.headers, name);
	const item = buildEventItem({
		body: input.body,
		eventType: input.eventType,
		facts: {
			organizationId: fromHeader(CALLBACK_HEADERS.organizationId),
			partnerOrganizationId: fromHeader(CALLBACK_HEADERS.partnerOrganizationId),
			paymentProgramId: fromHeader(CALLBACK_HEADERS.paymentProgramId),
			callbackId: fromHeader(CALLBACK_HEADERS.callbackId),
			createdAt: fromHeader(CALLBACK_HEADERS.callbackCreatedAt),
		},
		receivedAt: input.receivedAt,
	});
	if (input.includeHeaders) item.headers = safeHeaders(input.headers);
	return item;
}
