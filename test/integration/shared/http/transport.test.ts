/**
 * The transport's rules inside n8n's real engine (n8n's own HTTP stack), with nock as Pliant:
 * which failures are retried for reads and for writes, Retry-After, the attempt limit, and how
 * every kind of failure reaches the user. Waits are recorded, never slept or timed.
 */
import nock from 'nock';

import { ERROR_CODES } from '../../../../nodes/shared/contract';
import { MAX_ATTEMPTS, RATE_LIMIT_WAIT_BUDGET_MS } from '../../../../nodes/shared/http/retry-policy';
import {
	customCredentials,
	PliantCredentialsHelper,
	type RunError,
} from '../../../support/engine';
import { networkError, recordBackoff, useNock } from '../../../support/nock';
import { runProbe } from '../../../support/probe-node';

const ORIGIN = 'https://pliant.test';
const LEAD = {
	partnerOrganizationId: 'crm-1',
	company: { name: 'Acme', country: 'DE', industry: 'COMPUTER_SOFTWARE' },
};

type Method = 'GET' | 'POST';

function pathFor(method: Method): string {
	return method === 'GET' ? '/organizations/org-1' : '/leads';
}

/** The node's call, with a token already stored (no token traffic to think about). */
async function call(method: Method, options: { continueOnFail?: boolean } = {}) {
	const helper = new PliantCredentialsHelper(
		customCredentials(ORIGIN, { accessToken: 'tok-stored' }),
	);
	return await runProbe({
		credentialsHelper: helper,
		parameters: {
			method,
			path: pathFor(method),
			body: method === 'POST' ? JSON.stringify(LEAD) : '',
		},
		continueOnFail: options.continueOnFail,
	});
}

/** An API route that answers with the given replies in turn and counts what reached it. */
function pliant(
	method: Method,
	...replies: Array<[number, object?, Record<string, string>?] | Error>
) {
	const received: unknown[] = [];
	const scope = nock(ORIGIN);
	for (const reply of replies) {
		const interceptor =
			method === 'GET'
				? scope.get(`/api${pathFor(method)}`)
				: scope.post(`/api${pathFor(method)}`, (body) => {
						received.push(body);
						return true;
					});
		if (reply instanceof Error) {
			interceptor.replyWithError(reply);
		} else {
			interceptor.reply(function () {
				if (method === 'GET') received.push(this.req.path);
				const [status, body, headers] = reply;
				return [status, body ?? {}, headers ?? {}];
			});
		}
	}
	return { received, scope };
}

function pliantContext(error: RunError | undefined) {
	return error?.context?.pliant;
}

describe('transport rules (real engine, nock)', () => {
	useNock();
	const waits = recordBackoff();

	describe('reads (GET)', () => {
		it('retries after a 503 and returns the answer', async () => {
			const server = pliant(
				'GET',
				[503, { message: 'Maintenance' }],
				[200, { organizationId: 'org-1' }],
			);

			const result = await call('GET');

			expect(result.error).toBeUndefined();
			expect(result.items).toEqual([
				{ json: { organizationId: 'org-1' }, pairedItem: { item: 0 } },
			]);
			expect(server.scope.isDone()).toBe(true);
			expect(waits).toHaveLength(1);
			// First backoff: 500 ms with full jitter, so between 250 and 500 ms.
			expect(waits[0]).toBeGreaterThanOrEqual(250);
			expect(waits[0]).toBeLessThanOrEqual(500);
		});

		it('retries after a connection reset', async () => {
			const server = pliant('GET', networkError('ECONNRESET', 'socket hang up'), [
				200,
				{ organizationId: 'org-1' },
			]);

			const result = await call('GET');

			expect(result.error).toBeUndefined();
			expect(result.items[0].json).toEqual({ organizationId: 'org-1' });
			expect(server.scope.isDone()).toBe(true);
			expect(waits).toHaveLength(1);
		});

		it.each([429, 500, 502, 504])('retries after a %i', async (status) => {
			const server = pliant('GET', [status, {}], [200, { organizationId: 'org-1' }]);

			const result = await call('GET');

			expect(result.error).toBeUndefined();
			expect(server.scope.isDone()).toBe(true);
		});

		it.each([400, 401, 403, 404, 409])('does not retry a %i', async (status) => {
			// 401: n8n itself fetches a new token and resends once; the transport adds nothing.
			// A retry would find no mock, which useNock() reports.
			if (status === 401) nock(ORIGIN).post('/oauth/token').reply(200, { access_token: 'tok-new', expires_in: 60 });
			const replies = status === 401 ? 2 : 1;
			const server = pliant('GET', ...Array.from({ length: replies }, () => [status, { code: 'X' }] as [number, object]));

			const result = await call('GET');

			expect(result.error?.name).toBe('NodeApiError');
			expect(server.received).toHaveLength(replies);
			expect(waits).toEqual([]);
		});

		it(`stops after ${MAX_ATTEMPTS} attempts with growing waits`, async () => {
			const server = pliant(
				'GET',
				...Array.from({ length: MAX_ATTEMPTS }, () => [503, {}] as [number, object]),
			);

			const result = await call('GET');

			expect(server.received).toHaveLength(MAX_ATTEMPTS);
			expect(result.error?.message).toBe('Pliant is unavailable right now');
			expect(waits).toHaveLength(MAX_ATTEMPTS - 1);
			waits.forEach((wait, index) => {
				const ceiling = 500 * 2 ** index;
				expect(wait).toBeGreaterThanOrEqual(ceiling / 2);
				expect(wait).toBeLessThanOrEqual(ceiling);
			});
		});
	});

	describe('writes (POST)', () => {
		// A retry of these would find no mock, which useNock() reports.
		it('does not retry after a connection reset: exactly one request reached Pliant', async () => {
			const server = pliant('POST', networkError('ECONNRESET', 'socket hang up'));

			const result = await call('POST');

			expect(server.received).toEqual([LEAD]);
			expect(waits).toEqual([]);
			expect(result.error?.name).toBe('NodeApiError');
			expect(result.error?.message).toBe('The connection to Pliant broke after the request was sent (ECONNRESET): Pliant may have processed the request');
			expect(pliantContext(result.error)).toMatchObject({ networkCode: 'ECONNRESET' });
		});

		it.each(['ETIMEDOUT', 'ECONNABORTED', 'EPIPE'])('does not retry after %s', async (code) => {
			const server = pliant('POST', networkError(code));

			const result = await call('POST');

			expect(server.received).toHaveLength(1);
			expect(pliantContext(result.error)).toMatchObject({ networkCode: code });
		});

		it.each([500, 502, 504])(
			'does not retry after a %i (Pliant may have created the lead)',
			async (status) => {
				const server = pliant('POST', [status, {}]);

				const result = await call('POST');

				expect(server.received).toHaveLength(1);
				expect(result.error?.httpCode).toBe(String(status));
			},
		);

		it('retries after a 429, waiting as long as Retry-After asks', async () => {
			const server = pliant(
				'POST',
				[
					429,
					{ error: 'Sending more than 900 requests in 5 minutes is not allowed' },
					{ 'Retry-After': '7' },
				],
				[201, { leadId: 'lead-1' }],
			);

			const result = await call('POST');

			expect(result.error).toBeUndefined();
			expect(result.items[0].json).toEqual({ leadId: 'lead-1' });
			expect(server.received).toEqual([LEAD, LEAD]);
			expect(waits).toEqual([7000]);
		});

		it('retries after a 503', async () => {
			const server = pliant('POST', [503, { message: 'Maintenance' }], [201, { leadId: 'lead-1' }]);

			const result = await call('POST');

			expect(result.error).toBeUndefined();
			expect(server.received).toHaveLength(2);
			expect(waits).toHaveLength(1);
		});

		it('retries when the connection was refused (nothing was sent)', async () => {
			const server = pliant('POST', networkError('ECONNREFUSED'), [201, { leadId: 'lead-1' }]);

			const result = await call('POST');

			expect(result.error).toBeUndefined();
			expect(server.scope.isDone()).toBe(true);
		});

		it('keeps retrying a 429 as Retry-After asks while within the wait budget, then fails', async () => {
			// 100 s each: sent at 0, 100, 200 and 300 s; one more wait would pass the 6-minute budget
			const server = pliant(
				'POST',
				...Array.from({ length: 4 }, () => [429, {}, { 'Retry-After': '100' }] as [number, object, Record<string, string>]),
			);

			const result = await call('POST');

			expect(RATE_LIMIT_WAIT_BUDGET_MS).toBe(360_000);
			expect(server.received).toHaveLength(4);
			expect(waits).toHaveLength(3);
			// the credential's limiter holds the retry until Retry-After has passed (less the ms the test took)
			for (const wait of waits) expect(wait).toBeGreaterThan(99_000);
			expect(result.error?.message).toBe('Pliant rate limit reached');
		});
	});

	describe('error mapping', () => {
		const cases: Array<{
			name: string;
			reply: [number, object, Record<string, string>?] | Error;
			message: string;
			description: RegExp;
			pliant: Record<string, unknown>;
		}> = [
			{
				name: '400 with details',
				reply: [
					400,
					{
						code: ERROR_CODES.illegalArguments,
						message: 'Invalid lead',
						details: [{ field: 'company.country', message: 'is not supported' }],
					},
				],
				message: 'Pliant rejected the request as invalid',
				description: /company\.country: is not supported/,
				pliant: {
					status: 400,
					body: { code: ERROR_CODES.illegalArguments, details: [{ field: 'company.country', message: 'is not supported' }] },
				},
			},
			{
				name: '401',
				reply: [401, { code: ERROR_CODES.unauthorized, message: 'Invalid token' }],
				message: 'Pliant did not accept the credentials',
				description: /client ID, client secret and environment/,
				pliant: { status: 401, body: { code: ERROR_CODES.unauthorized } },
			},
			{
				name: '403',
				reply: [403, { code: 'FORBIDDEN', message: 'Missing scope' }],
				message: 'Pliant refused access to this resource',
				description: /permission/,
				pliant: { status: 403, body: { code: 'FORBIDDEN' } },
			},
			{
				name: '403 ONBOARDING_DETAILS_NOT_SHARED',
				reply: [403, { code: ERROR_CODES.onboardingDetailsNotShared, message: 'Not shared' }],
				message: 'The customer has not agreed to share onboarding details',
				description: /opts in/,
				pliant: { status: 403, body: { code: ERROR_CODES.onboardingDetailsNotShared } },
			},
			{
				name: '404',
				reply: [404, { code: ERROR_CODES.notFound, message: 'Organization not found' }],
				message: 'Not found at Pliant',
				description: /Check the ID/,
				pliant: { status: 404, body: { code: ERROR_CODES.notFound } },
			},
			{
				name: '409',
				reply: [
					409,
					{ code: ERROR_CODES.leadAlreadyExists, message: 'Lead exists', leadId: 'lead-0' },
				],
				message: 'Pliant reported a conflict',
				description: /already exists/,
				pliant: { status: 409, body: { code: ERROR_CODES.leadAlreadyExists, leadId: 'lead-0' } },
			},
			{
				name: '429',
				reply: [429, { error: 'Sending more than 900 requests in 5 minutes is not allowed' }, { 'Retry-After': '300' }],
				message: 'Pliant rate limit reached',
				description: /900 requests per 5 minutes/,
				pliant: { status: 429 },
			},
			{
				name: '500',
				reply: [500, { message: 'Internal error' }],
				message: 'Pliant is unavailable right now',
				description: /Pliant answered 500/,
				pliant: { status: 500 },
			},
			{
				name: '503',
				reply: [503, { message: 'Maintenance' }],
				message: 'Pliant is unavailable right now',
				description: /Pliant answered 503/,
				pliant: { status: 503 },
			},
			{
				name: 'network failure',
				reply: networkError('ENOTFOUND', 'getaddrinfo ENOTFOUND pliant.test'),
				message: 'Could not reach Pliant (ENOTFOUND)',
				description: /API base URL/,
				pliant: { networkCode: 'ENOTFOUND' },
			},
		];

		it.each(cases)(
			"$name → NodeApiError with a human message, the status and Pliant's code",
			async (expected) => {
				// 401: n8n fetches a new token and resends once
				if (expected.name === '401') nock(ORIGIN).post('/oauth/token').reply(200, { access_token: 'tok-new', expires_in: 60 });
				const reply = expected.reply;
				// as many attempts as the retry rules allow (asserted above): only the outcome counts here
				const interceptor = nock(ORIGIN).persist().get('/api/organizations/org-1');
				if (reply instanceof Error) interceptor.replyWithError(reply);
				else interceptor.reply(reply[0], reply[1], reply[2]);

				const result = await call('GET');

				const error = result.error as RunError;
				expect(error.name).toBe('NodeApiError');
				expect(error.message).toBe(expected.message);
				expect(error.description).toMatch(expected.description);
				const status = expected.pliant.status as number | undefined;
				expect(error.httpCode).toBe(status ? String(status) : null);
				expect(error.context?.itemIndex).toBe(0);
				expect(pliantContext(error)).toMatchObject(expected.pliant);
			},
		);

		it('puts the same facts on the error item under Continue On Fail, paired with its input', async () => {
			pliant('GET', [404, { code: ERROR_CODES.notFound, message: 'Organization not found' }]);

			const result = await call('GET', { continueOnFail: true });

			expect(result.error).toBeUndefined();
			expect(result.items).toEqual([
				{
					json: {
						error: 'Not found at Pliant',
						description: expect.stringContaining('Organization not found'),
						httpCode: '404',
					},
					pairedItem: { item: 0 },
				},
			]);
		});
	});
});
