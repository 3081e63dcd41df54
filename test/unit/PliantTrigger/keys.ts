/**
 * Ed25519 test keys and Standard Webhooks signing, the way Pliant signs its callbacks.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'crypto';

import { CALLBACK_HEADERS, SIGNATURE_SCHEME, type SigningJwk } from '../../../nodes/shared/contract';

export interface TestKey {
	kid: string;
	privateKey: KeyObject;
	publicKey: KeyObject;
	jwk: SigningJwk;
}

export function makeKey(kid: string): TestKey {
	const { privateKey, publicKey } = generateKeyPairSync('ed25519');
	const { x } = publicKey.export({ format: 'jwk' }) as { x: string };
	return { kid, privateKey, publicKey, jwk: { kty: 'OKP', crv: 'Ed25519', x, kid } };
}

export function signatureOf(key: TestKey, webhookId: string, timestamp: number | string, body: string | Buffer): string {
	const content = Buffer.concat([Buffer.from(`${webhookId}.${timestamp}.`), Buffer.from(body)]);
	return sign(null, content, key.privateKey).toString('base64');
}

/** The three Standard Webhooks headers for a body, signed by each key given (in that order). */
export function signedHeaders(
	body: string,
	keys: TestKey[],
	options: { webhookId?: string; timestamp?: number } = {},
): Record<string, string> {
	const webhookId = options.webhookId ?? 'msg_test_1';
	const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
	return {
		[CALLBACK_HEADERS.webhookId]: webhookId,
		[CALLBACK_HEADERS.webhookTimestamp]: String(timestamp),
		[CALLBACK_HEADERS.webhookSignature]: keys
			.map((key) => `${SIGNATURE_SCHEME.version},${signatureOf(key, webhookId, timestamp, body)}`)
			.join(' '),
	};
}
