import type { IDataObject, INode, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CALLBACK_HEADERS, type CallbackBody } from '../shared/contract';
import { buildCallbackItem, headerValue, type HeaderBag } from '../shared/onboarding/callback-item';
import { recentIdsFor } from './dedup';
import { nodeKey } from '../shared/identity';
import { normaliseEventType, resolveSelectedEvents } from '../shared/onboarding/events';
import { partnerIdForVerified } from './partner-id';
import { SIGNATURE_FAILURE_TEXT, type SignatureFailure } from './signature';
import { MAX_CALLBACK_BODY_BYTES } from './limits';
import { rejectionLog } from './rejection-log';
import { verifyWithSigningKeys } from './signing-keys';

/** What Pliant gets back for every accepted callback, executed or not. */
export const ACCEPTED = { received: true } as const;

type RequestWithRawBody = ReturnType<IWebhookFunctions['getRequestObject']> & {
	rawBody?: Buffer | string;
	readRawBody?: () => Promise<void>;
};

/**
 * The request body exactly as it arrived. n8n reads it into `req.rawBody` before a
 * version-1 trigger runs (n8n 1.x and 2.x `parseRequestBody`); if it has not, and the
 * stream is still unread, it is read now. Re-serialising the parsed JSON is the last resort:
 * it only matches the signature if Pliant's JSON had no insignificant whitespace.
 */
export async function readRawBody(this: IWebhookFunctions): Promise<Buffer> {
	const request = this.getRequestObject() as RequestWithRawBody;
	if (!request.rawBody && request.readable && typeof request.readRawBody === 'function') {
		await request.readRawBody();
	}
	const raw = request.rawBody;
	if (Buffer.isBuffer(raw)) return raw;
	if (typeof raw === 'string') return Buffer.from(raw, 'utf8');
	this.logger.debug('Pliant Trigger: n8n provided no raw body; verifying the re-serialised JSON body');
	return Buffer.from(JSON.stringify(this.getBodyData() ?? {}), 'utf8');
}

/**
 * The verified bytes as a callback body. Parsed here, whatever `Content-Type` says: n8n's
 * parse follows that unsigned header (a form-encoded parse of a signed JSON body yields other
 * fields). Anything but a JSON object is no callback.
 */
export function parseVerifiedBody(rawBody: Buffer): CallbackBody | undefined {
	try {
		const parsed = JSON.parse(rawBody.toString('utf8')) as unknown;
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as CallbackBody) : undefined;
	} catch {
		return undefined;
	}
}

/** Answers the request directly, so that n8n starts no execution. */
function refuse(this: IWebhookFunctions, status: number, error: string): IWebhookResponseData {
	this.getResponseObject().status(status).json({ received: false, error });
	return { noWebhookResponse: true };
}

/** Logs a rejection, at most once a minute per trigger node (forged traffic must not flood the log). */
function warnRejected(this: IWebhookFunctions, node: INode, why: string): void {
	const line = rejectionLog.line(
		nodeKey(this.getWorkflow().id, node),
		`Pliant Trigger: rejected a callback (${why}); no execution started`,
	);
	if (line) this.logger.warn(line);
}

/** Whether the body is larger than any Pliant callback, by its declared or actual length. */
function tooLarge(headers: HeaderBag, rawLength?: number): boolean {
	const declared = Number(headerValue(headers, 'content-length'));
	return (Number.isFinite(declared) && declared > MAX_CALLBACK_BODY_BYTES) || (rawLength ?? 0) > MAX_CALLBACK_BODY_BYTES;
}

function refuseTooLarge(this: IWebhookFunctions, node: INode): IWebhookResponseData {
	warnRejected.call(this, node, `the body is larger than ${MAX_CALLBACK_BODY_BYTES / 1024} KiB`);
	return refuse.call(this, 413, 'Payload too large');
}

function rejectUnsigned(this: IWebhookFunctions, node: INode, reason: SignatureFailure): IWebhookResponseData {
	warnRejected.call(this, node, SIGNATURE_FAILURE_TEXT[reason]);
	// Without keys nothing can be verified: ask Pliant to retry later instead of refusing.
	return reason === 'no-keys'
		? refuse.call(this, 503, 'Signing keys unavailable, retry later')
		: refuse.call(this, 401, 'Invalid signature');
}

/**
 * Whether this node has seen the callback before: its signed webhook-id or its X-Callback-Id
 * (Pliant's documented key, which Pliant may keep while the webhook-id changes on a retry).
 * The unsigned header only ever marks a verified callback as a repeat; it fills no field.
 */
function isRepeat(this: IWebhookFunctions, node: INode, headers: HeaderBag): boolean {
	const ids = [CALLBACK_HEADERS.webhookId, CALLBACK_HEADERS.callbackId]
		.map((name) => headerValue(headers, name))
		.filter((id): id is string => id !== undefined);
	if (ids.length === 0) return false;
	const memory = recentIdsFor(`${nodeKey(this.getWorkflow().id, node)}|${this.getMode()}`);
	return !memory.firstSeen(ids);
}

const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');

/**
 * A parameter of the trigger as stored in the workflow. n8n's getNodeParameter() validates and
 * cleans the whole collection on every call, a cost per callback; it is used only when the
 * value holds an expression, which only n8n can resolve.
 */
function parameter<T>(this: IWebhookFunctions, node: INode, name: string, fallback: T): T {
	const raw = node.parameters[name];
	const values = raw && typeof raw === 'object' ? Object.values(raw) : [raw];
	if (values.some(isExpression)) return this.getNodeParameter(name, fallback) as T;
	return (raw ?? fallback) as T;
}

/**
 * One callback: bound its cost, verify, parse the verified bytes, filter, drop repeats, emit
 * one item. Once the signing keys and the organization's partner ID are known, nothing here
 * calls Pliant, so the answer goes back within milliseconds; an unknown partner ID waits 2 s
 * at most.
 */
export async function handleCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	const headers = this.getHeaderData() as HeaderBag;
	// n8n hands out a deep copy per call: one per callback.
	const node = this.getNode();
	// Before anything else: a body no Pliant callback needs is refused unread.
	if (tooLarge(headers)) return refuseTooLarge.call(this, node);
	const rawBody = await readRawBody.call(this);
	if (tooLarge(headers, rawBody.length)) return refuseTooLarge.call(this, node);

	const options = parameter.call(this, node, 'options', {}) as IDataObject;
	const verified = options.verifySignature !== false;
	if (verified) {
		const check = await verifyWithSigningKeys.call(this, { node, rawBody, headers, now: receivedAt.getTime() });
		if (!check.valid) return rejectUnsigned.call(this, node, check.reason);
	}

	const body = parseVerifiedBody(rawBody);
	const eventType = normaliseEventType(body?.eventType);
	const selected: string[] = resolveSelectedEvents(parameter.call(this, node, 'events', [] as unknown));
	// Not for this workflow (or not a callback at all): acknowledge so Pliant stops retrying.
	if (!body || !selected.includes(eventType)) return { webhookResponse: ACCEPTED };
	if (options.ignoreDuplicates !== false && isRepeat.call(this, node, headers)) {
		this.logger.debug('Pliant Trigger: ignored a repeated callback');
		return { webhookResponse: ACCEPTED };
	}

	// Only a verified body may cause a lookup at Pliant; unverified, the body is all there is.
	const lookUp = verified && options.resolvePartnerOrganizationId !== false;
	const item = buildCallbackItem({
		body,
		eventType,
		headers,
		receivedAt,
		includeHeaders: options.includeHeaders === true,
		partnerOrganizationId: lookUp ? await partnerIdForVerified.call(this, node, body) : null,
	});
	return { webhookResponse: ACCEPTED, workflowData: [[{ json: item }]] };
}
