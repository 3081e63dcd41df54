import type { IDataObject } from 'n8n-workflow';

import { CALLBACK_HEADERS, type CallbackBody } from '../shared/contract';
import { buildEventItem } from '../shared/onboarding/event-item';
import { headerValue, type HeaderBag } from './signature';

/**
 * Headers never copied to the output, even with "Include Headers" on: anything that could
 * carry a secret, and the signature headers (`webhook-id` is the item's `callbackId`).
 */
const HIDDEN_HEADER = /authorization|cookie|token|secret|password|api-?key|session|signature|^webhook-/i;

/** The request headers minus anything that could carry a secret or a signature. */
export function safeHeaders(headers: HeaderBag): IDataObject {
	const copy: IDataObject = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || HIDDEN_HEADER.test(name)) continue;
		copy[name.toLowerCase()] = value;
	}
	return copy;
}

/**
 * The callback's ID as the signature covers it: the signed `webhook-id` (Pliant sets it to the
 * callback ID). `X-Callback-Id` is not signed, so it counts only when nothing is verified
 * (Verify Signature off, where nothing is signed anyway).
 */
export function signedCallbackId(headers: HeaderBag): string | undefined {
	return headerValue(headers, CALLBACK_HEADERS.webhookId) ?? headerValue(headers, CALLBACK_HEADERS.callbackId);
}

/** When Pliant signed the callback: the body's `createdAt`, else the signed webhook-timestamp. */
function signedCreatedAt(body: CallbackBody, headers: HeaderBag): string | null {
	if (typeof body.createdAt === 'string') return body.createdAt;
	const seconds = Number(headerValue(headers, CALLBACK_HEADERS.webhookTimestamp));
	return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
}

const bodyString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export interface CallbackItemInput {
	/** The verified body, parsed from the raw bytes. */
	body: CallbackBody;
	/** The event type after normalising its spelling. */
	eventType: string;
	headers: HeaderBag;
	receivedAt: Date;
	includeHeaders: boolean;
}

/**
 * The item one callback becomes: the shared event item (shared/event-item.ts) built from what
 * Pliant signed only, the body and the signed headers. The X-Organization-Id family of headers
 * is not covered by the signature, so no field of the item comes from it; with "Include
 * Headers" the headers appear as received under `headers`, for what they are worth.
 */
export function buildCallbackItem(input: CallbackItemInput): IDataObject {
	const { body, headers } = input;
	const item = buildEventItem({
		body,
		eventType: input.eventType,
		facts: {
			paymentProgramId: bodyString(body.paymentProgramId),
			callbackId: signedCallbackId(headers) ?? null,
			createdAt: signedCreatedAt(body, headers),
		},
		receivedAt: input.receivedAt,
	});
	if (input.includeHeaders) item.headers = safeHeaders(headers);
	return item;
}
