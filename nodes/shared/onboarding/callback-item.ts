import type { IDataObject } from 'n8n-workflow';

import { CALLBACK_HEADERS, type CallbackBody } from '../contract';
import { isUuid } from '../uuid';
import { buildEventItem } from './event-item';

/** Request headers as n8n hands them over (Node gives an array for a repeated header). */
export type HeaderBag = Record<string, string | string[] | undefined>;

/** A header's value as one string (Node gives an array for repeated headers). */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	if (Array.isArray(value)) return value.length > 0 ? value.join(' ') : undefined;
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The only headers "Include Headers" copies: harmless transport facts. Everything else stays
 * out: the unsigned X-Organization-Id family (a forged value must appear nowhere), the
 * signature headers, and whatever an identity proxy or a client adds (tokens, assertions).
 */
export const INCLUDED_HEADERS = ['content-type', 'user-agent', CALLBACK_HEADERS.callbackCreatedAt] as const;

/** The allowlisted request headers, lower-cased. */
export function includedHeaders(headers: HeaderBag): IDataObject {
	const copy: IDataObject = {};
	for (const name of INCLUDED_HEADERS) {
		const value = headerValue(headers, name);
		if (value !== undefined) copy[name] = value;
	}
	return copy;
}

/**
 * The callback's two IDs. `webhookId` is the signed message ID. `callbackId` is Pliant's
 * documented deduplication key, X-Callback-Id, when it has its documented shape (a UUID), else
 * the webhook-id: the unsigned header cannot put arbitrary text into the item.
 */
export function callbackIds(headers: HeaderBag): { callbackId: string | null; webhookId: string | null } {
	const webhookId = headerValue(headers, CALLBACK_HEADERS.webhookId) ?? null;
	const header = headerValue(headers, CALLBACK_HEADERS.callbackId);
	return { callbackId: isUuid(header) ? header : webhookId, webhookId };
}

/** When Pliant signed the callback: the body's `createdAt`, else the signed webhook-timestamp. */
export function signedCreatedAt(body: CallbackBody, headers: HeaderBag): string | null {
	if (typeof body.createdAt === 'string') return body.createdAt;
	const seconds = Number(headerValue(headers, CALLBACK_HEADERS.webhookTimestamp));
	return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
}

const bodyString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** What a callback item is made of, whichever way the callback reached the package. */
export interface CallbackItemFacts {
	/** The trusted body: verified bytes, or Pliant's callback log read over the API. */
	body: CallbackBody;
	/** The event type after normalising its spelling. */
	eventType: string;
	callbackId: string | null;
	/** The signed message ID; null when the callback did not come as a signed message. */
	webhookId: string | null;
	createdAt: string | null;
	/** From a trusted source (partner-organization.ts); the body's own value wins. */
	partnerOrganizationId: string | null;
	receivedAt: Date;
	/** Already allowlisted headers, for "Include Headers". */
	headers?: IDataObject;
	/** Where the item came from, for items that did not arrive as a callback (e.g. "callback-log"). */
	source?: string;
}

/**
 * The item one callback becomes: the shared event item (event-item.ts) from trusted facts only,
 * then the signed message ID, then what was asked for.
 */
export function callbackItemFrom(facts: CallbackItemFacts): IDataObject {
	const { body } = facts;
	const item = buildEventItem({
		body,
		eventType: facts.eventType,
		facts: {
			partnerOrganizationId: facts.partnerOrganizationId,
			paymentProgramId: bodyString(body.paymentProgramId),
			callbackId: facts.callbackId,
			webhookId: facts.webhookId,
			createdAt: facts.createdAt,
		},
		receivedAt: facts.receivedAt,
	});
	if (facts.headers) item.headers = facts.headers;
	if (facts.source !== undefined) item.source = facts.source;
	return item;
}

export interface CallbackItemInput {
	/** The verified body, parsed from the raw bytes. */
	body: CallbackBody;
	/** The event type after normalising its spelling. */
	eventType: string;
	headers: HeaderBag;
	receivedAt: Date;
	includeHeaders: boolean;
	/** Resolved from a trusted source; null or absent when unknown. */
	partnerOrganizationId?: string | null;
}

/**
 * The item of a callback received over HTTP. The X-Organization-Id family of headers is not
 * covered by the signature, so no field of the item comes from it.
 */
export function buildCallbackItem(input: CallbackItemInput): IDataObject {
	const { body, headers } = input;
	return callbackItemFrom({
		body,
		eventType: input.eventType,
		...callbackIds(headers),
		createdAt: signedCreatedAt(body, headers),
		partnerOrganizationId: input.partnerOrganizationId ?? null,
		receivedAt: input.receivedAt,
		headers: input.includeHeaders ? includedHeaders(headers) : undefined,
	});
}
