import type { IDataObject } from 'n8n-workflow';

import { CALLBACK_HEADERS, type CallbackBody, type StatusChange } from '../shared/contract';
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

function asStatusChange(value: unknown): StatusChange | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as StatusChange) : undefined;
}

/**
 * The item one callback becomes: the identifiers first (from the body, else from Pliant's
 * headers), then the event's own fields as sent (unknown ones pass through), the status
 * change flattened for easy mapping, and when it arrived.
 */
export function buildCallbackItem(input: CallbackItemInput): IDataObject {
	const { body, headers } = input;
	const fromHeader = (name: string) => headerValue(headers, name);

	const item: IDataObject = {
		eventType: input.eventType,
		organizationId: body.organizationId ?? fromHeader(CALLBACK_HEADERS.organizationId) ?? null,
		partnerOrganizationId:
			body.partnerOrganizationId ?? fromHeader(CALLBACK_HEADERS.partnerOrganizationId) ?? null,
		paymentProgramId: fromHeader(CALLBACK_HEADERS.paymentProgramId) ?? null,
		callbackId: fromHeader(CALLBACK_HEADERS.callbackId) ?? null,
		// Kept as sent: it may carry up to 9 fractional digits, which Date would cut.
		createdAt: fromHeader(CALLBACK_HEADERS.callbackCreatedAt) ?? null,
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
	if (input.includeHeaders) item.headers = safeHeaders(headers);
	return item;
}
