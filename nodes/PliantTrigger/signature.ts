import { verify, type KeyObject } from 'crypto';

import { CALLBACK_HEADERS, SIGNATURE_SCHEME } from '../shared/contract';
import { headerValue, type HeaderBag } from '../shared/onboarding/callback-item';
import { MAX_SIGNATURE_HEADER_CHARS, MAX_VERIFIED_SIGNATURES } from './limits';

/**
 * Standard Webhooks verification for Pliant's Ed25519 ("v1a") callback signatures. Pure
 * functions: the raw body, the headers, the public keys and the clock come in as arguments.
 */

export type SignatureFailure =
	| 'missing-headers'
	| 'malformed-timestamp'
	| 'malformed-signature'
	| 'stale'
	| 'future'
	| 'no-keys'
	| 'no-match';

export type SignatureCheck = { valid: true } | { valid: false; reason: SignatureFailure };

export interface SignatureInput {
	/** The request body exactly as received: never re-serialised JSON. */
	rawBody: Buffer;
	headers: HeaderBag;
	keys: readonly KeyObject[];
	/** Current time in milliseconds. */
	now: number;
	toleranceSeconds?: number;
}

const ED25519_SIGNATURE_BYTES = 64;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The Ed25519 signatures in a `webhook-signature` header: space-separated `v1a,<base64>`
 * entries. Entries of other schemes (e.g. `v1` HMAC) are skipped; malformed `v1a` entries too.
 * Only the header's first characters and first few well-formed entries count, so a request
 * stuffed with signatures costs no more than one carrying a handful.
 */
export function parseSignatureHeader(value: string): Buffer[] {
	const signatures: Buffer[] = [];
	for (const entry of value.slice(0, MAX_SIGNATURE_HEADER_CHARS).split(' ')) {
		if (signatures.length >= MAX_VERIFIED_SIGNATURES) break;
		const comma = entry.indexOf(',');
		if (comma < 0 || entry.slice(0, comma) !== SIGNATURE_SCHEME.version) continue;
		const encoded = entry.slice(comma + 1);
		if (!BASE64.test(encoded)) continue;
		const signature = Buffer.from(encoded, 'base64');
		if (signature.length === ED25519_SIGNATURE_BYTES) signatures.push(signature);
	}
	return signatures;
}

/** `<webhook-id>.<webhook-timestamp>.<raw body bytes>` */
export function signedContent(webhookId: string, timestamp: string, rawBody: Buffer): Buffer {
	return Buffer.concat([Buffer.from(`${webhookId}.${timestamp}.`, 'utf8'), rawBody]);
}

/** Whether a unix-seconds timestamp lies within the tolerance around `now` (ms). */
export function checkTimestamp(
	timestamp: string,
	now: number,
	toleranceSeconds: number = SIGNATURE_SCHEME.toleranceSeconds,
): 'ok' | 'malformed-timestamp' | 'stale' | 'future' {
	if (!/^\d{1,12}$/.test(timestamp)) return 'malformed-timestamp';
	const offsetSeconds = Number(timestamp) - now / 1000;
	if (offsetSeconds < -toleranceSeconds) return 'stale';
	if (offsetSeconds > toleranceSeconds) return 'future';
	return 'ok';
}

function verifiesWithAny(content: Buffer, signatures: Buffer[], keys: readonly KeyObject[]): boolean {
	for (const key of keys) {
		for (const signature of signatures) {
			try {
				if (verify(null, content, key, signature)) return true;
			} catch {
				// A key of the wrong type cannot verify anything: try the next one.
			}
		}
	}
	return false;
}

/**
 * Checks a callback's Standard Webhooks signature. Cheap checks (headers, clock) run before
 * any cryptography, so a stale or malformed request costs next to nothing.
 */
export function verifyCallbackSignature(input: SignatureInput): SignatureCheck {
	const webhookId = headerValue(input.headers, CALLBACK_HEADERS.webhookId);
	const timestamp = headerValue(input.headers, CALLBACK_HEADERS.webhookTimestamp);
	const signatureHeader = headerValue(input.headers, CALLBACK_HEADERS.webhookSignature);
	if (!webhookId || !timestamp || !signatureHeader) return { valid: false, reason: 'missing-headers' };

	const clock = checkTimestamp(timestamp, input.now, input.toleranceSeconds);
	if (clock !== 'ok') return { valid: false, reason: clock };

	const signatures = parseSignatureHeader(signatureHeader);
	if (signatures.length === 0) return { valid: false, reason: 'malformed-signature' };
	if (input.keys.length === 0) return { valid: false, reason: 'no-keys' };

	const content = signedContent(webhookId, timestamp, input.rawBody);
	return verifiesWithAny(content, signatures, input.keys)
		? { valid: true }
		: { valid: false, reason: 'no-match' };
}

/** Human wording of a failure, for the log (never for the caller). */
export const SIGNATURE_FAILURE_TEXT: Record<SignatureFailure, string> = {
	'missing-headers': 'the webhook-id, webhook-timestamp or webhook-signature header is missing',
	'malformed-timestamp': 'webhook-timestamp is not a unix timestamp in seconds',
	'malformed-signature': 'webhook-signature holds no well-formed v1a (Ed25519) signature',
	stale: 'webhook-timestamp is more than 5 minutes in the past (replayed or delayed callback)',
	future: 'webhook-timestamp is more than 5 minutes in the future (check the server clock)',
	'no-keys': "Pliant's signing keys (JWKS) could not be loaded",
	'no-match': "no signature matches Pliant's signing keys (forged, altered, or signed with an unknown key)",
};
