import { createPublicKey, type KeyObject } from 'crypto';

import {
	checkTimestamp,
	parseSignatureHeader,
	signedContent,
	verifyCallbackSignature,
} from '../../../nodes/PliantTrigger/signature';
import { makeKey, signatureOf, signedHeaders } from './keys';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const NOW_SECONDS = NOW / 1000;
const BODY =
	'{"eventType":"REPRESENTATIVE_SUBMISSION_STATUS_CHANGED","organizationId":"b1f8e35c-c500-4bbf-aa20-3dc14b83ff19",' +
	'"representativeId":"2acaec98-b337-4006-ba09-a93874d9b338","statusChange":{"beforeChange":"INTERNAL_ONLY","afterChange":"INFO_REQUESTED"}}';

const pliant = makeKey('pliant-1');
const attacker = makeKey('attacker');

function check(headers: Record<string, string | undefined>, body: string | Buffer = BODY, keys = [pliant.publicKey], now = NOW) {
	return verifyCallbackSignature({ rawBody: Buffer.from(body), headers, keys, now });
}

describe('verifyCallbackSignature', () => {
	it('accepts a valid signature over the raw body', () => {
		expect(check(signedHeaders(BODY, [pliant], { timestamp: NOW_SECONDS }))).toEqual({ valid: true });
	});

	it('verifies the bytes as sent, whitespace and key order included', () => {
		const spaced = '{ "organizationId": "o-1",\n  "eventType": "AUTHORIZATION_GRANTED" }';
		expect(check(signedHeaders(spaced, [pliant], { timestamp: NOW_SECONDS }), spaced)).toEqual({ valid: true });
		const reserialised = JSON.stringify(JSON.parse(spaced));
		expect(check(signedHeaders(spaced, [pliant], { timestamp: NOW_SECONDS }), reserialised)).toEqual({
			valid: false,
			reason: 'no-match',
		});
	});

	it('rejects a signature made with another key', () => {
		expect(check(signedHeaders(BODY, [attacker], { timestamp: NOW_SECONDS }))).toEqual({
			valid: false,
			reason: 'no-match',
		});
	});

	it('rejects a tampered body', () => {
		const headers = signedHeaders(BODY, [pliant], { timestamp: NOW_SECONDS });
		expect(check(headers, BODY.replace('INFO_REQUESTED', 'APPROVED'))).toEqual({ valid: false, reason: 'no-match' });
	});

	it('rejects a changed webhook-id or timestamp (both are signed)', () => {
		const headers = signedHeaders(BODY, [pliant], { timestamp: NOW_SECONDS });
		expect(check({ ...headers, 'webhook-id': 'msg_other' })).toEqual({ valid: false, reason: 'no-match' });
		expect(check({ ...headers, 'webhook-timestamp': String(NOW_SECONDS - 1) })).toEqual({
			valid: false,
			reason: 'no-match',
		});
	});

	it('rejects a stale timestamp (more than 5 minutes old) before any cryptography', () => {
		const headers = signedHeaders(BODY, [pliant], { timestamp: NOW_SECONDS - 301 });
		expect(check(headers)).toEqual({ valid: false, reason: 'stale' });
	});

	it('rejects a timestamp more than 5 minutes in the future', () => {
		const headers = signedHeaders(BODY, [pliant], { timestamp: NOW_SECONDS + 301 });
		expect(check(headers)).toEqual({ valid: false, reason: 'future' });
	});

	it('accepts timestamps exactly at the 5-minute tolerance, both ways', () => {
		expect(check(signedHeaders(BODY, [pliant], { timestamp: NOW_SECONDS - 300 }))).toEqual({ valid: true });
		expect(check(signedHeaders(BODY, [pliant], { timestamp: NOW_SECONDS + 300 }))).toEqual({ valid: true });
	});

	it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('rejects a request without %s', (name) => {
		const headers: Record<string, string | undefined> = signedHeaders(BODY, [pliant], { timestamp: NOW_SECONDS });
		delete headers[name];
		expect(check(headers)).toEqual({ valid: false, reason: 'missing-headers' });
		expect(check({ ...headers, [name]: '   ' })).toEqual({ valid: false, reason: 'missing-headers' });
	});

	it('rejects a request without any signature headers', () => {
		expect(check({})).toEqual({ valid: false, reason: 'missing-headers' });
	});

	it('accepts several signatures when one of them is valid', () => {
		const headers = signedHeaders(BODY, [attacker, pliant, attacker], { timestamp: NOW_SECONDS });
		expect(headers['webhook-signature'].split(' ')).toHaveLength(3);
		expect(check(headers)).toEqual({ valid: true });
	});

	it('accepts a valid entry next to malformed and foreign-scheme entries', () => {
		const headers = signedHeaders(BODY, [pliant], { timestamp: NOW_SECONDS });
		headers['webhook-signature'] = `v1,aGVsbG8= v1a,!!notbase64!! v1a,c2hvcnQ= ${headers['webhook-signature']}`;
		expect(check(headers)).toEqual({ valid: true });
	});

	it.each([
		['garbage', 'garbage'],
		['empty v1a entry', 'v1a,'],
		['not base64', 'v1a,%%%%'],
		['wrong length', 'v1a,c2hvcnQ='],
		['HMAC scheme only', 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4='],
		['no comma', 'v1a'],
	])('rejects a malformed webhook-signature header (%s)', (_label, value) => {
		const headers = { ...signedHeaders(BODY, [pliant], { timestamp: NOW_SECONDS }), 'webhook-signature': value };
		expect(check(headers)).toEqual({ valid: false, reason: 'malformed-signature' });
	});

	it.each(['abc', '1.5', '-10', '1e9', '+1768478400', '1768478400000'])('rejects a malformed timestamp %p', (timestamp) => {
		const headers = { ...signedHeaders(BODY, [pliant], { timestamp: NOW_SECONDS }), 'webhook-timestamp': timestamp };
		expect(check(headers)).toEqual({ valid: false, reason: 'malformed-timestamp' });
	});

	it('reports no keys (instead of a forgery) when none are known', () => {
		expect(check(signedHeaders(BODY, [pliant], { timestamp: NOW_SECONDS }), BODY, [])).toEqual({
			valid: false,
			reason: 'no-keys',
		});
	});

	it('tries every known key (old and new during a rotation)', () => {
		const rotated = makeKey('pliant-2');
		const headers = signedHeaders(BODY, [rotated], { timestamp: NOW_SECONDS });
		expect(check(headers, BODY, [pliant.publicKey, rotated.publicKey])).toEqual({ valid: true });
	});

	it('ignores a key of the wrong type instead of throwing', () => {
		const p256 = createPublicKey(
			'-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9\nq9UU8I5mEovUf86QZ7kOBIjJwqnzD1omageEHWwHdBO6B+dFabmdT9POxg==\n-----END PUBLIC KEY-----\n',
		);
		expect(check(signedHeaders(BODY, [pliant], { timestamp: NOW_SECONDS }), BODY, [p256, pliant.publicKey])).toEqual({
			valid: true,
		});
	});

	it('reads repeated headers (arrays) as one space-separated list', () => {
		const headers = signedHeaders(BODY, [pliant], { timestamp: NOW_SECONDS });
		const result = verifyCallbackSignature({
			rawBody: Buffer.from(BODY),
			headers: { ...headers, 'webhook-signature': ['v1a,AAAA', headers['webhook-signature']] },
			keys: [pliant.publicKey],
			now: NOW,
		});
		expect(result).toEqual({ valid: true });
	});
});

describe('signature helpers', () => {
	it('builds the signed content from id, timestamp and the raw bytes', () => {
		expect(signedContent('msg_1', '1700000000', Buffer.from('{"a":1}')).toString()).toBe('msg_1.1700000000.{"a":1}');
	});

	it('keeps only well-formed v1a entries', () => {
		const good = signatureOf(pliant, 'id', 1, 'x');
		expect(parseSignatureHeader(`v1,${good} v1a,${good} v1a,abc`)).toHaveLength(1);
	});

	it('reads at most 5 entries and the first 1,024 characters of the header', () => {
		const good = signatureOf(pliant, 'id', 1, 'x');
		expect(parseSignatureHeader(Array.from({ length: 150 }, () => `v1a,${good}`).join(' '))).toHaveLength(5);
		expect(parseSignatureHeader(`${'v1,x '.repeat(205)}v1a,${good}`)).toHaveLength(0);
	});

	it('classifies timestamps', () => {
		expect(checkTimestamp(String(NOW_SECONDS), NOW)).toBe('ok');
		expect(checkTimestamp(String(NOW_SECONDS - 3600), NOW)).toBe('stale');
		expect(checkTimestamp(String(NOW_SECONDS + 3600), NOW)).toBe('future');
		expect(checkTimestamp('x', NOW)).toBe('malformed-timestamp');
	});
});

/**
 * One fixed vector, in the style of the Standard Webhooks library's own tests (its webhook-id
 * and timestamp), with the Ed25519 key of RFC 8032's test 1. The signature was made OUTSIDE
 * this package, so the package's own signing cannot vouch for its verifier:
 *
 *   SEED=9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60
 *   echo "302e020100300506032b657004220420$SEED" | xxd -r -p | openssl pkey -inform DER -out key.pem
 *   printf '%s' "$PINNED_ID.$PINNED_TIMESTAMP.$PINNED_BODY" > content.bin
 *   openssl pkeyutl -sign -rawin -inkey key.pem -in content.bin | base64 -w0   # OpenSSL 3.0
 *
 * The body keeps its spaces: JSON read and written again would differ from the signed bytes.
 */
const PINNED_ED25519_X = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'; // RFC 8032 test 1, base64url
const PINNED_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const PINNED_TIMESTAMP = '1614265330';
const PINNED_BODY = '{"eventType": "ORGANIZATION_ADDED", "organizationId": "b1f8e35c-c500-4bbf-aa20-3dc14b83ff19"}';
const PINNED_SIGNATURE = 'syeacqklzcKi+KUBfeWmnDvQE8ZZsmOy2ke0sem7GNTsV5lg3ZpBp5PapQxSqUmgjjTInIjr3NH7QAMflhdCAA==';

describe('the pinned signature vector (signed with openssl)', () => {
	const key: KeyObject = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: PINNED_ED25519_X }, format: 'jwk' });
	const at = Number(PINNED_TIMESTAMP) * 1000;

	function pinned(change: { id?: string; timestamp?: string; body?: Buffer; signature?: Buffer } = {}) {
		const signature = (change.signature ?? Buffer.from(PINNED_SIGNATURE, 'base64')).toString('base64');
		return verifyCallbackSignature({
			rawBody: change.body ?? Buffer.from(PINNED_BODY),
			headers: {
				'webhook-id': change.id ?? PINNED_ID,
				'webhook-timestamp': change.timestamp ?? PINNED_TIMESTAMP,
				'webhook-signature': `v1a,${signature}`,
			},
			keys: [key],
			now: at,
		});
	}

	/** `bytes` with the byte at `index` changed (its lowest bit flipped). */
	function flipped(bytes: Buffer, index: number): Buffer {
		const copy = Buffer.from(bytes);
		copy[index] ^= 1;
		return copy;
	}

	const NO_MATCH = { valid: false, reason: 'no-match' };

	it('accepts the vector exactly as signed', () => {
		expect(pinned()).toEqual({ valid: true });
	});

	it('refuses it with any one byte of the body changed', () => {
		const body = Buffer.from(PINNED_BODY);
		for (let i = 0; i < body.length; i++) expect({ i, check: pinned({ body: flipped(body, i) }) }).toEqual({ i, check: NO_MATCH });
	});

	it('refuses it with any one byte of the webhook-id changed', () => {
		const id = Buffer.from(PINNED_ID);
		for (let i = 0; i < id.length; i++) {
			expect({ i, check: pinned({ id: flipped(id, i).toString() }) }).toEqual({ i, check: NO_MATCH });
		}
	});

	it('refuses it with the timestamp one second off, either way', () => {
		expect(pinned({ timestamp: '1614265331' })).toEqual(NO_MATCH);
		expect(pinned({ timestamp: '1614265329' })).toEqual(NO_MATCH);
	});

	it('refuses it with any one byte of the signature changed', () => {
		const signature = Buffer.from(PINNED_SIGNATURE, 'base64');
		for (let i = 0; i < signature.length; i++) {
			expect({ i, check: pinned({ signature: flipped(signature, i) }) }).toEqual({ i, check: NO_MATCH });
		}
	});

	it('refuses the same body read and written again as JSON (the raw bytes are what is signed)', () => {
		expect(pinned({ body: Buffer.from(JSON.stringify(JSON.parse(PINNED_BODY))) })).toEqual(NO_MATCH);
	});
});
