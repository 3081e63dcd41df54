import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CALLBACK_HEADERS, type CallbackBody } from '../shared/contract';
import { buildCallbackItem } from './callback-item';
import { recentIdsFor } from './dedup';
import { normaliseEventType, resolveSelectedEvents } from '../shared/onboarding/events';
import { SIGNATURE_FAILURE_TEXT, headerValue, type HeaderBag, type SignatureFailure } from './signature';
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

function parseBody(this: IWebhookFunctions, rawBody: Buffer): CallbackBody | undefined {
	const parsed = this.getBodyData() as unknown;
	if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.keys(parsed).length > 0) {
		return parsed as CallbackBody;
	}
	// n8n parses only JSON content types; Pliant's body is JSON whatever the header says.
	try {
		const fromRaw = JSON.parse(rawBody.toString('utf8')) as unknown;
		return fromRaw && typeof fromRaw === 'object' && !Array.isArray(fromRaw)
			? (fromRaw as CallbackBody)
			: undefined;
	} catch {
		return undefined;
	}
}

/** Answers the request directly, so that n8n starts no execution. */
function refuse(this: IWebhookFunctions, status: number, error: string): IWebhookResponseData {
	this.getResponseObject().status(status).json({ received: false, error });
	return { noWebhookResponse: true };
}

function rejectUnsigned(this: IWebhookFunctions, reason: SignatureFailure): IWebhookResponseData {
	this.logger.warn(`Pliant Trigger: rejected a callback (${SIGNATURE_FAILURE_TEXT[reason]}); no execution started`);
	// Without keys nothing can be verified: ask Pliant to retry later instead of refusing.
	return reason === 'no-keys'
		? refuse.call(this, 503, 'Signing keys unavailable, retry later')
		: refuse.call(this, 401, 'Invalid signature');
}

/**
 * One callback: verify, filter, drop repeats, emit one item. Nothing here calls Pliant once
 * the signing keys are cached, so the answer goes back within milliseconds.
 */
export async function handleCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const receivedAt = new Date();
	const headers = this.getHeaderData() as HeaderBag;
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const rawBody = await readRawBody.call(this);

	if (options.verifySignature !== false) {
		const check = await verifyWithSigningKeys.call(this, rawBody, headers, receivedAt.getTime());
		if (!check.valid) return rejectUnsigned.call(this, check.reason);
	}

	const body = parseBody.call(this, rawBody);
	const eventType = normaliseEventType(body?.eventType);
	const selected: string[] = resolveSelectedEvents(this.getNodeParameter('events', []));
	if (!body || !selected.includes(eventType)) {
		// Not for this workflow (or not a callback at all): acknowledge so Pliant stops retrying.
		return { webhookResponse: ACCEPTED };
	}

	if (options.ignoreDuplicates !== false) {
		// The signed webhook-id counts as well as X-Callback-Id: the latter is not signed, so a
		// replay with a fresh X-Callback-Id must still be recognised.
		const ids = [
			headerValue(headers, CALLBACK_HEADERS.webhookId),
			headerValue(headers, CALLBACK_HEADERS.callbackId),
		].filter((id): id is string => Boolean(id));
		if (ids.length > 0) {
			const node = this.getNode();
			const memory = recentIdsFor(`${this.getWorkflow().id ?? ''}|${node.id ?? node.name}|${this.getMode()}`);
			// Checked and recorded without an await in between, so two concurrent repeats cannot both pass.
			if (ids.some((id) => memory.has(id))) {
				this.logger.debug(`Pliant Trigger: ignored repeated callback ${ids.join(' / ')}`);
				return { webhookResponse: ACCEPTED };
			}
			for (const id of ids) memory.add(id);
		}
	}

	const item = buildCallbackItem({
		body,
		eventType,
		headers,
		receivedAt,
		includeHeaders: options.includeHeaders === true,
	});
	return { webhookResponse: ACCEPTED, workflowData: [[{ json: item }]] };
}
