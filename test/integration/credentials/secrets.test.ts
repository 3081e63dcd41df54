/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- a fake, distinctive client secret, to prove it never leaks */
/**
 * The client secret never leaves the credential: not in an error (message, description, its
 * JSON), not in a log line, not in the node's output, not anywhere in the stored run, whether
 * the token request fails, the API fails, or all goes well. Real engine, nock as Pliant.
 */
import nock from 'nock';

import {
	captureLogs,
	customCredentials,
	PliantCredentialsHelper,
	runNode,
} from '../../support/engine';
import { networkError, recordBackoff, useNock } from '../../support/nock';
import { PliantProbe, PROBE_NODE_TYPE } from '../../support/probe-node';

const ORIGIN = 'https://pliant.test';
const SECRET = 'sEcReT-7f3a9c1e-do-not-leak';
const probe = { [PROBE_NODE_TYPE]: new PliantProbe() };

type Reply = [number, object] | Error;

function reply(interceptor: nock.Interceptor, answer: Reply, times = 1) {
	if (answer instanceof Error) interceptor.times(times).replyWithError(answer);
	else interceptor.times(times).reply(answer[0], answer[1]);
}

/** Everything a user or an operator could see after the run. */
function everythingVisible(result: Awaited<ReturnType<typeof runNode>>, logs: unknown[]): string[] {
	const error = result.error;
	return [
		String(error?.message ?? ''),
		String(error?.description ?? ''),
		String(error?.stack ?? ''),
		JSON.stringify(error ?? null),
		JSON.stringify(result.items),
		JSON.stringify(result.run),
		JSON.stringify(logs),
	];
}

/** Every 8-character piece of the secret: no part of it may show, not even a cut-off start. */
const SECRET_PARTS = Array.from({ length: SECRET.length - 7 }, (_, start) => SECRET.slice(start, start + 8));

function expectNoSecret(texts: string[]): void {
	for (const text of texts) {
		expect(text).not.toContain(SECRET);
		for (const part of SECRET_PARTS) expect({ part, found: text.includes(part) }).toEqual({ part, found: false });
	}
}

/** A token endpoint (or proxy) that echoes the request body it got, in several spellings. */
function echoingTokenEndpoint(status: number, lead = '') {
	return (_uri: string, body: unknown): [number, object] => {
		const sent = body as Record<string, string>;
		const form = new URLSearchParams(sent).toString();
		return [
			status,
			{
				error: 'invalid_request',
				// `lead` pushes the secret across the 200-character cut of the message
				error_description: `${lead}bad request: ${form}`,
				message: `${lead}${JSON.stringify(sent)}`,
				echo: sent,
			},
		];
	};
}

async function run(continueOnFail: boolean, method: 'GET' | 'POST' = 'GET') {
	const helper = new PliantCredentialsHelper(customCredentials(ORIGIN, { clientSecret: SECRET }));
	return await runNode({
		nodeType: PROBE_NODE_TYPE,
		nodeTypes: probe,
		credentialsHelper: helper,
		parameters: {
			method,
			path: '/leads',
			body: method === 'POST' ? '{"partnerOrganizationId":"crm-1"}' : '',
		},
		items: [{ index: 0 }, { index: 1 }],
		continueOnFail,
	});
}

describe('the client secret stays secret (real engine, nock)', () => {
	useNock();
	recordBackoff();

	const tokenFailures: Array<[string, Reply]> = [
		['401 bad client', [401, { error: 'access_denied', error_description: 'Unauthorized' }]],
		[
			'403 bad audience',
			[403, { error: 'access_denied', error_description: 'Service not enabled within domain' }],
		],
		[
			'429 quota',
			[429, { error: 'too_many_requests', error_description: 'Client quota exceeded' }],
		],
		['500', [500, { error: 'server_error' }]],
		// A misbehaving proxy that echoes the request it got.
		[
			'400 echoing the request',
			[
				400,
				{
					error: 'invalid_request',
					error_description: `bad request: client_secret=${SECRET}`,
					request: { client_secret: SECRET },
				},
			],
		],
		['answer without a token', [200, { token_type: 'Bearer' }]],
		['connection refused', networkError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443')],
		['connection reset', networkError('ECONNRESET', 'socket hang up')],
	];

	describe.each([false, true])('Continue On Fail %s', (continueOnFail) => {
		it.each(tokenFailures)('token request fails: %s', async (_name, answer) => {
			const logs = captureLogs();
			reply(nock(ORIGIN).post('/oauth/token'), answer, 10);

			const result = await run(continueOnFail);

			if (continueOnFail) {
				expect(result.items).toHaveLength(2);
				expect(result.items.every((item) => typeof item.json.error === 'string')).toBe(true);
			} else {
				expect(result.error?.message).toMatch(/^Pliant login failed:/);
			}
			expectNoSecret(everythingVisible(result, logs));
		});

		it.each<[string, number, string]>([
			['400, body echoed as a form', 400, ''],
			['400, echo cut at 200 characters inside the secret', 400, 'x'.repeat(180)],
			['403, echo cut inside the secret', 403, 'y'.repeat(150)],
			['500, echo cut inside the secret', 500, 'z'.repeat(190)],
		])('token endpoint echoes the request: %s', async (_name, status, lead) => {
			const logs = captureLogs();
			nock(ORIGIN).post('/oauth/token').times(10).reply(echoingTokenEndpoint(status, lead));

			const result = await run(continueOnFail);

			if (!continueOnFail) expect(result.error?.message).toMatch(/^Pliant login failed:/);
			expectNoSecret(everythingVisible(result, logs));
		});

		it.each<[string, Reply]>([
			[
				'400 with details',
				[
					400,
					{
						code: 'ILLEGAL_ARGUMENTS_PROVIDED',
						message: 'Invalid',
						details: [{ field: 'company.name', message: 'missing' }],
					},
				],
			],
			['401 after a refresh', [401, { code: 'UNAUTHORIZED', message: 'Invalid token' }]],
			['500', [500, { message: 'Internal error' }]],
			['connection reset', networkError('ECONNRESET', 'socket hang up')],
		])('API call fails: %s', async (_name, answer) => {
			const logs = captureLogs();
			nock(ORIGIN)
				.post('/oauth/token')
				.times(10)
				.reply(200, { access_token: 'tok-1', expires_in: 60 });
			reply(nock(ORIGIN).post('/api/leads'), answer, 20);

			const result = await run(continueOnFail, 'POST');

			if (continueOnFail) expect(result.items).toHaveLength(2);
			else expect(result.error?.name).toBe('NodeApiError');
			expectNoSecret(everythingVisible(result, logs));
		});
	});

	it('all goes well: the output and logs hold no secret', async () => {
		const logs = captureLogs();
		nock(ORIGIN).post('/oauth/token').reply(200, { access_token: 'tok-1', expires_in: 60 });
		nock(ORIGIN).get('/api/leads').times(2).reply(200, { leads: [] });

		const result = await run(false);

		expect(result.items).toHaveLength(2);
		expectNoSecret(everythingVisible(result, logs));
	});
});

describe("the secret and the access token stay out of an error when Pliant's error body echoes them (real engine, nock)", () => {
	useNock();
	recordBackoff();

	// Characters that form encoders write as %21 %27 %28 %29 %7E and encodeURIComponent does not.
	const SPECIAL = "sEcReT!'(x)~7f3a9c1e-no-leak";
	const TOKEN = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJub2xlYWsifQ.c2lnLW5vLWxlYWs';
	const formEncoded = (text: string) =>
		encodeURIComponent(text).replace(/[!'()*~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
	const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
	const pieces = (text: string) => Array.from({ length: text.length - 7 }, (_, start) => text.slice(start, start + 8));

	it.each([400, 401, 500])('HTTP %s whose body echoes both, in several spellings', async (status) => {
		const logs = captureLogs();
		nock(ORIGIN).post('/oauth/token').times(10).reply(200, { access_token: TOKEN, expires_in: 3600 });
		nock(ORIGIN)
			.post('/api/leads')
			.times(20)
			.reply(status, {
				code: 'ILLEGAL_ARGUMENTS_PROVIDED',
				message: `token ${TOKEN} rejected; client_secret ${SPECIAL}`,
				details: [{ field: 'auth', message: `form: client_secret=${formEncoded(SPECIAL)} lower: ${lowerHex(formEncoded(SPECIAL))}` }],
				echo: { headers: { authorization: `Bearer ${TOKEN}` }, token: TOKEN },
			});
		const helper = new PliantCredentialsHelper(customCredentials(ORIGIN, { clientSecret: SPECIAL }));
		const result = await runNode({
			nodeType: PROBE_NODE_TYPE,
			nodeTypes: probe,
			credentialsHelper: helper,
			parameters: { method: 'POST', path: '/leads', body: '{"partnerOrganizationId":"crm-1"}' },
			items: [{ index: 0 }],
			continueOnFail: false,
		});
		expect(result.error?.name).toBe('NodeApiError');
		const visible = [
			...everythingVisible(result, logs),
			JSON.stringify((result.error as { context?: unknown })?.context ?? null),
			JSON.stringify((result.error as { messages?: unknown })?.messages ?? null),
		];
		for (const text of visible) {
			for (const part of [...pieces(TOKEN), ...pieces(SPECIAL), ...pieces(formEncoded(SPECIAL)), ...pieces(lowerHex(formEncoded(SPECIAL)))]) {
				expect({ part, found: text.includes(part) }).toEqual({ part, found: false });
			}
		}
	});
});
