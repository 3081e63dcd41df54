/**
 * The credential's token flow inside n8n's real engine, against a fake token endpoint (nock):
 * the JSON client-credentials request, one token for many requests and executions, and the
 * refresh n8n does after a 401.
 */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { ENVIRONMENTS, SANDBOX_AUDIENCE_ALTERNATIVE } from '../../../../nodes/shared/contract';
import { customCredentials, PliantCredentialsHelper } from '../../../support/engine';
import { useNock } from '../../../support/nock';
import { runProbe } from '../../../support/probe-node';

const ORIGIN = 'https://pliant.test';
const tokenReply = (token: string) => ({
	access_token: token,
	expires_in: 86400,
	token_type: 'Bearer',
});

interface TokenCall {
	body: Record<string, unknown>;
	contentType: string;
}

/**
 * A fake token endpoint that records every call and hands out tok-<first>, tok-<first+1>, ...
 * It answers any number of calls (each test asserts how many it saw) and must see one at least.
 */
function fakeTokenEndpoint(origin = ORIGIN, path = '/oauth/token', first = 1): TokenCall[] {
	const calls: TokenCall[] = [];
	nock(origin)
		.persist()
		.post(path)
		.reply(function (_uri, body) {
			calls.push({
				body: body as Record<string, unknown>,
				contentType: String(this.req.headers['content-type']),
			});
			return [200, tokenReply(`tok-${first + calls.length - 1}`)];
		});
	return calls;
}

async function probeRun(
	credentialsHelper: PliantCredentialsHelper,
	items: number,
	parameters: Record<string, unknown> = {},
) {
	return await runProbe({
		credentialsHelper,
		parameters: { method: 'GET', path: '/organizations', ...parameters },
		items: Array.from({ length: items }, (_, index) => ({ index })),
	});
}

describe('token flow (real engine, fake token endpoint)', () => {
	useNock();

	it('requests the token with a JSON body carrying client ID, secret, audience and grant type', async () => {
		const calls = fakeTokenEndpoint();
		nock(ORIGIN)
			.get('/api/organizations')
			.matchHeader('authorization', 'Bearer tok-1')
			.reply(200, {});
		const helper = new PliantCredentialsHelper(
			customCredentials(ORIGIN, {
				clientId: 'client-a',
				clientSecret: 'secret-a',
				audience: 'aud-a',
			}),
		);

		const result = await probeRun(helper, 1);

		expect(result.error).toBeUndefined();
		expect(calls).toHaveLength(1);
		expect(calls[0].contentType).toMatch(/^application\/json/);
		expect(calls[0].body).toEqual({
			client_id: 'client-a',
			client_secret: 'secret-a',
			audience: 'aud-a',
			grant_type: 'client_credentials',
		});
		expect(helper.accessToken).toBe('tok-1');
	});

	it.each([
		{
			label: 'production',
			environment: 'production',
			extra: {} as IDataObject,
			expected: ENVIRONMENTS.production,
		},
		{
			label: 'sandbox (documented audience)',
			environment: 'sandbox',
			extra: {} as IDataObject,
			expected: ENVIRONMENTS.sandbox,
		},
		{
			label: 'sandbox (the other audience spelling)',
			environment: 'sandbox',
			extra: { sandboxAudience: SANDBOX_AUDIENCE_ALTERNATIVE } as IDataObject,
			expected: { ...ENVIRONMENTS.sandbox, audience: SANDBOX_AUDIENCE_ALTERNATIVE },
		},
	])(
		'uses the token URL, audience and API base URL of $label',
		async ({ environment, extra, expected }) => {
			const tokenUrl = new URL(expected.tokenUrl);
			const calls = fakeTokenEndpoint(tokenUrl.origin, tokenUrl.pathname);
			const api = new URL(expected.baseUrl);
			nock(api.origin).get(`${api.pathname}/organizations`).reply(200, { ok: true });
			const helper = new PliantCredentialsHelper({
				environment,
				clientId: 'client-a',
				clientSecret: 'secret-a',
				...extra,
			});

			const result = await probeRun(helper, 1);

			expect(result.error).toBeUndefined();
			expect(result.items[0].json).toEqual({ ok: true });
			expect(calls.map((call) => call.body.audience)).toEqual([expected.audience]);
		},
	);

	it('sends 1,000 authenticated requests with exactly one token request', async () => {
		const calls = fakeTokenEndpoint();
		const seen = new Set<string>();
		nock(ORIGIN)
			.get('/api/organizations')
			.times(1000)
			.reply(function () {
				seen.add(String(this.req.headers.authorization));
				return [200, { ok: true }];
			});
		// Above Pliant's 900 per 5 minutes, so the limiter must not hold the test back.
		const helper = new PliantCredentialsHelper(
			customCredentials(ORIGIN, { rateLimitRequests: 100_000 }),
		);

		// Four executions sharing one stored credential, items sent 10 at a time.
		let items = 0;
		for (let run = 0; run < 4; run++) {
			const result = await probeRun(helper, 250, { concurrency: 10 });
			expect(result.error).toBeUndefined();
			items += result.items.length;
		}

		expect(items).toBe(1000);
		expect(calls).toHaveLength(1);
		// n8n asks the credential for a token once per item in flight (no lock): it fetches once
		expect(helper.tokenRequests).toBeLessThanOrEqual(10);
		expect([...seen]).toEqual(['Bearer tok-1']);
	}, 60_000);

	it('reuses the stored token in a later execution', async () => {
		const calls = fakeTokenEndpoint();
		nock(ORIGIN).get('/api/organizations').times(2).reply(200, {});
		const helper = new PliantCredentialsHelper(customCredentials(ORIGIN));

		expect((await probeRun(helper, 1)).tokenRequests).toBe(1);
		expect((await probeRun(helper, 1)).tokenRequests).toBe(0);
		expect(calls).toHaveLength(1);
	});

	it('fetches a new token after a 401 and resends the request once', async () => {
		const calls = fakeTokenEndpoint(ORIGIN, '/oauth/token', 2);
		const apiCalls: string[] = [];
		nock(ORIGIN)
			.get('/api/organizations')
			.times(3)
			.reply(function () {
				const authorization = String(this.req.headers.authorization);
				apiCalls.push(authorization);
				return authorization === 'Bearer tok-1'
					? [401, { code: 'UNAUTHORIZED', message: 'Token expired' }]
					: [200, { ok: true }];
			});
		// A token stored by an earlier execution that Pliant no longer accepts.
		const helper = new PliantCredentialsHelper(customCredentials(ORIGIN, { accessToken: 'tok-1' }));

		const result = await probeRun(helper, 1);

		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([{ json: { ok: true }, pairedItem: { item: 0 } }]);
		expect(result.tokenRequests).toBe(1);
		expect(calls).toHaveLength(1);
		expect(apiCalls).toEqual(['Bearer tok-1', 'Bearer tok-2']);
		expect(helper.accessToken).toBe('tok-2');

		// The refreshed token is stored: the next execution asks for none.
		const next = await probeRun(helper, 1);
		expect(next.tokenRequests).toBe(0);
		expect(apiCalls).toEqual(['Bearer tok-1', 'Bearer tok-2', 'Bearer tok-2']);
	});

	it('gives up after one refresh when Pliant keeps answering 401', async () => {
		const calls = fakeTokenEndpoint();
		const scope = nock(ORIGIN)
			.get('/api/organizations')
			.times(2)
			.reply(401, { code: 'UNAUTHORIZED', message: 'Token rejected' });

		const result = await probeRun(new PliantCredentialsHelper(customCredentials(ORIGIN)), 1);

		expect(scope.isDone()).toBe(true);
		expect(calls).toHaveLength(2);
		expect(result.error?.message).toBe('Pliant did not accept the credentials');
		expect((result.error as { httpCode?: string }).httpCode).toBe('401');
	});

	it('fetches one token for items sent in parallel before any token is stored', async () => {
		const calls = fakeTokenEndpoint();
		nock(ORIGIN).get('/api/organizations').times(8).reply(200, {});

		const result = await probeRun(new PliantCredentialsHelper(customCredentials(ORIGIN)), 8, {
			concurrency: 4,
		});

		expect(result.items).toHaveLength(8);
		expect(calls).toHaveLength(1);
	});
});
