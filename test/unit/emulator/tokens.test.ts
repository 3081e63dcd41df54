import { CREDENTIALS, Harness, httpCall } from './helpers';

describe('emulator: token endpoint and bearer auth', () => {
	let harness: Harness;

	beforeEach(async () => {
		harness = await Harness.start({ tokenQuota: { perHour: 3 } });
	});
	afterEach(() => harness.stop());

	it('issues a Bearer token for the right client, secret and audience (JSON body)', async () => {
		const result = await httpCall('POST', harness.emu.tokenUrl, CREDENTIALS);
		expect(result.status).toBe(200);
		expect(result.body).toEqual({
			access_token: expect.stringMatching(/^ey[\w-]+\.[\w-]+\.[\w-]+$/),
			expires_in: 86400,
			token_type: 'Bearer',
		});
		expect(result.headers['auth0-client-quota-limit']).toBe('b=per_hour;q=3;r=2;t=3600');
	});

	it('also accepts a form-encoded body (n8n OAuth2 credentials send one)', async () => {
		const form = new URLSearchParams(CREDENTIALS).toString();
		const result = await httpCall('POST', harness.emu.tokenUrl, form, {
			'content-type': 'application/x-www-form-urlencoded',
		});
		expect(result.status).toBe(200);
		expect(result.body.token_type).toBe('Bearer');
	});

	it.each(['text/plain', 'multipart/form-data; boundary=x', ''])(
		'refuses a body sent as "%s" with 415 and issues no token (only JSON or form)',
		async (contentType) => {
			const result = await httpCall('POST', harness.emu.tokenUrl, JSON.stringify(CREDENTIALS), { 'content-type': contentType });
			expect(result.status).toBe(415);
			expect(result.body).toEqual({ error: 'invalid_request', error_description: expect.stringContaining('application/json') });
			const state = await harness.control('GET', '/state');
			expect(JSON.stringify(state.body)).not.toContain('"token"');
		},
	);

	it('takes a JSON body sent with a charset or a +json type', async () => {
		for (const type of ['application/json; charset=utf-8', 'application/vnd.api+json']) {
			const result = await httpCall('POST', harness.emu.tokenUrl, JSON.stringify(CREDENTIALS), { 'content-type': type });
			expect(result.status).toBe(200);
		}
	});

	it('answers 401 access_denied for a wrong client id or secret', async () => {
		for (const wrong of [{ client_id: 'nope' }, { client_secret: 'nope' }]) {
			const result = await httpCall('POST', harness.emu.tokenUrl, { ...CREDENTIALS, ...wrong });
			expect(result.status).toBe(401);
			expect(result.body).toEqual({ error: 'access_denied', error_description: 'Unauthorized' });
		}
	});

	it('answers 403 for a wrong audience, naming it', async () => {
		const result = await httpCall('POST', harness.emu.tokenUrl, {
			...CREDENTIALS,
			audience: 'api.getpliant.com/api/integration',
		});
		expect(result.status).toBe(403);
		expect(result.body).toEqual({
			error: 'access_denied',
			error_description: 'Service not enabled within domain: api.getpliant.com/api/integration',
		});
	});

	it('rejects other grant types and incomplete bodies', async () => {
		const grant = await httpCall('POST', harness.emu.tokenUrl, {
			...CREDENTIALS,
			grant_type: 'password',
		});
		expect(grant.status).toBe(403);
		expect(grant.body.error).toBe('unauthorized_client');
		const missing = await httpCall('POST', harness.emu.tokenUrl, { client_id: 'emulator-client' });
		expect(missing.status).toBe(400);
		expect(missing.body.error).toBe('invalid_request');
	});

	it('enforces the hourly token quota with 429 "Client quota exceeded" and counts requests', async () => {
		for (let index = 0; index < 3; index++) {
			expect((await httpCall('POST', harness.emu.tokenUrl, CREDENTIALS)).status).toBe(200);
		}
		const over = await httpCall('POST', harness.emu.tokenUrl, CREDENTIALS);
		expect(over.status).toBe(429);
		expect(over.body).toEqual({
			error: 'too_many_requests',
			error_description: 'Client quota exceeded',
		});
		expect(over.headers['auth0-client-quota-limit']).toMatch(/^b=per_hour;q=3;r=0;t=\d+$/);
		const state = await harness.control('GET', '/state');
		expect(state.body.counters).toMatchObject({
			tokenRequests: 4,
			tokensIssued: 3,
			tokenQuotaExceeded: 1,
		});
	});

	it('the token quota can be changed at runtime through the control API', async () => {
		await harness.control('POST', '/config', { tokenQuota: { perHour: 1 } });
		expect((await httpCall('POST', harness.emu.tokenUrl, CREDENTIALS)).status).toBe(200);
		expect((await httpCall('POST', harness.emu.tokenUrl, CREDENTIALS)).status).toBe(429);
	});

	it('masks client_secret in the ledger', async () => {
		await httpCall('POST', harness.emu.tokenUrl, CREDENTIALS);
		const ledger = await harness.control('GET', '/ledger?path=/oauth/token');
		expect(ledger.body.entries).toHaveLength(1);
		expect(ledger.body.entries[0].body).toEqual({ ...CREDENTIALS, client_secret: '***' });
		expect(JSON.stringify(ledger.body)).not.toContain('emulator-secret');
	});

	it('requires a valid bearer token on every /api route (401 UNAUTHORIZED)', async () => {
		const routes: Array<[string, string]> = [
			['POST', '/leads'],
			['GET', '/organizations'],
			['GET', '/organizations/x'],
			['GET', '/organizations/x/risk'],
			['POST', '/organizations/x/activate'],
			['GET', '/subscriptions'],
			['POST', '/subscriptions/bulk-upsert'],
			['DELETE', '/subscriptions/x'],
			['GET', '/partner-management/signing/jwks.json'],
		];
		for (const [method, path] of routes) {
			const none = await httpCall(method, `${harness.emu.apiBaseUrl}${path}`);
			expect(none.status).toBe(401);
			expect(none.body).toEqual({ code: 'UNAUTHORIZED', message: expect.any(String) });
			const bogus = await httpCall(method, `${harness.emu.apiBaseUrl}${path}`, undefined, {
				authorization: 'Bearer not-a-token',
			});
			expect(bogus.status).toBe(401);
		}
	});

	it('tokens/expire revokes every token: the next call gets 401, a new token works (refresh-after-401)', async () => {
		expect((await harness.api('GET', '/subscriptions')).status).toBe(200);
		const expired = await harness.control('POST', '/tokens/expire');
		expect(expired.body).toEqual({ expired: 1 });
		const denied = await harness.api('GET', '/subscriptions');
		expect(denied.status).toBe(401);
		expect(denied.body.message).toMatch(/expired/i);
		harness.forgetToken();
		expect((await harness.api('GET', '/subscriptions')).status).toBe(200);
	});

	it('masks the Authorization header in the ledger', async () => {
		const token = await harness.accessToken();
		await harness.api('GET', '/subscriptions');
		const ledger = await harness.control('GET', '/ledger?path=/api/subscriptions');
		expect(ledger.body.entries[0].headers.authorization).toBe('Bearer ***');
		expect(JSON.stringify(ledger.body)).not.toContain(token);
	});
});

describe('emulator: token lifetime', () => {
	it('honours tokenTtlSeconds in expires_in', async () => {
		const harness = await Harness.start({ tokenTtlSeconds: 600 });
		try {
			const result = await httpCall('POST', harness.emu.tokenUrl, CREDENTIALS);
			expect(result.body.expires_in).toBe(600);
		} finally {
			await harness.stop();
		}
	});
});
