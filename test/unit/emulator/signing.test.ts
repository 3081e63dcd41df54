import { createPublicKey, verify } from 'node:crypto';

import { Harness, startReceiver, verifyCallback, type Receiver } from './helpers';

describe('emulator: signing keys and signatures', () => {
	let harness: Harness;
	let receiver: Receiver;

	beforeEach(async () => {
		harness = await Harness.start({ delivery: { retries: 0, backoffMs: 1 } });
		receiver = await startReceiver();
	});
	afterEach(async () => {
		await harness.stop();
		await receiver.close();
	});

	const jwks = async () => (await harness.api('GET', '/partner-management/signing/jwks.json')).body;

	it('serves a JWKS of Ed25519 keys (bearer required)', async () => {
		const result = await harness.api('GET', '/partner-management/signing/jwks.json');
		expect(result.status).toBe(200);
		expect(result.body).toEqual({
			keys: [
				{
					kty: 'OKP',
					crv: 'Ed25519',
					x: expect.stringMatching(/^[\w-]{43}$/),
					kid: expect.any(String),
				},
			],
		});
		// it imports as a real public key
		expect(createPublicKey({ key: result.body.keys[0], format: 'jwk' }).asymmetricKeyType).toBe(
			'ed25519',
		);
	});

	it('POST /_emulator/sign gives Standard Webhooks headers that verify independently', async () => {
		const body = '{"eventType":"AUTHORIZATION_PENDING","organizationId":"o-1"}';
		const signed = await harness.control('POST', '/sign', {
			body,
			timestamp: 1767225600,
			webhookId: 'msg_1',
		});
		expect(signed.status).toBe(200);
		expect(signed.body.signedContent).toBe(`msg_1.1767225600.${body}`);
		const headers = signed.body.headers;
		expect(headers['webhook-id']).toBe('msg_1');
		expect(headers['webhook-timestamp']).toBe('1767225600');
		expect(headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
		const keys = await jwks();
		expect(verifyCallback(keys, headers, Buffer.from(body))).toBe(true);
		// by hand, to be sure the helper is not fooling us: the exact bytes, the one key
		const key = createPublicKey({ key: keys.keys[0], format: 'jwk' });
		const signature = Buffer.from(headers['webhook-signature'].slice(4), 'base64');
		expect(verify(null, Buffer.from(signed.body.signedContent), key, signature)).toBe(true);
		// and a tampered body, id or timestamp does not verify
		expect(verifyCallback(keys, headers, Buffer.from(body.replace('o-1', 'o-2')))).toBe(false);
		expect(verifyCallback(keys, { ...headers, 'webhook-id': 'msg_2' }, Buffer.from(body))).toBe(
			false,
		);
		expect(
			verifyCallback(keys, { ...headers, 'webhook-timestamp': '1767225601' }, Buffer.from(body)),
		).toBe(false);
	});

	it('signs delivered callbacks over the raw body bytes', async () => {
		await harness.api('POST', '/subscriptions/bulk-upsert', {
			subscriptions: [{ eventType: 'ORGANIZATION_STATE_CHANGED', callbackUrl: receiver.url }],
		});
		await harness.control('POST', '/events', {
			eventType: 'ORGANIZATION_STATE_CHANGED',
			organizationId: 'org-ü',
			statusChange: { beforeChange: 'ONBOARDING_STARTED', afterChange: 'ACTIVE' },
		});
		const [callback] = await receiver.waitFor(1);
		expect(verifyCallback(await jwks(), callback.headers, callback.raw)).toBe(true);
		expect(callback.headers['webhook-id']).toBe(callback.headers['x-callback-id']);
		expect(Number(callback.headers['webhook-timestamp'])).toBeGreaterThan(1_700_000_000);
	});

	it('rotate-keys adds a new current key and keeps the old one in the JWKS; new callbacks use the new key', async () => {
		const before = await jwks();
		const rotated = await harness.control('POST', '/keys/rotate');
		expect(rotated.status).toBe(200);
		expect(rotated.body.kid).not.toBe(before.keys[0].kid);
		const after = await jwks();
		expect(after.keys.map((key: { kid: string }) => key.kid)).toEqual([
			before.keys[0].kid,
			rotated.body.kid,
		]);

		await harness.control('POST', '/events', {
			eventType: 'AUTHORIZATION_PENDING',
			organizationId: 'o',
			callbackUrl: receiver.url,
		});
		const [callback] = await receiver.waitFor(1);
		expect(verifyCallback({ keys: [after.keys[1]] }, callback.headers, callback.raw)).toBe(true);
		expect(verifyCallback(before, callback.headers, callback.raw)).toBe(false);

		const keys = await harness.control('GET', '/keys');
		expect(keys.body.current).toBe(rotated.body.kid);
	});

	it('rotate-keys with dropOld leaves only the new key', async () => {
		const rotated = await harness.control('POST', '/keys/rotate', { dropOld: true });
		const after = await jwks();
		expect(after.keys).toHaveLength(1);
		expect(after.keys[0].kid).toBe(rotated.body.kid);
	});

	it('signWithAllKeys lists one v1a entry per key; any one may match', async () => {
		const before = await jwks();
		await harness.control('POST', '/keys/rotate');
		await harness.control('POST', '/config', { delivery: { signWithAllKeys: true } });
		await harness.control('POST', '/events', {
			eventType: 'AUTHORIZATION_PENDING',
			organizationId: 'o',
			callbackUrl: receiver.url,
		});
		const [callback] = await receiver.waitFor(1);
		expect(String(callback.headers['webhook-signature']).split(' ')).toHaveLength(2);
		// a receiver that only knows the old key still verifies
		expect(verifyCallback(before, callback.headers, callback.raw)).toBe(true);
	});
});
