/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- a fake, distinctive client secret, to prove it never leaks */
/**
 * The Pliant API credential: its fields, the JSON token request of preAuthentication, the
 * errors it raises (clear, and never carrying the secret), the header it adds and the request
 * behind n8n's Test button.
 */
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeProperties,
	INodeType,
	INodeTypes,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { PliantApi } from '../../../credentials/PliantApi.credentials';
import { forgetProcessMemory } from '../../support/process-memory';
import {
	ENVIRONMENTS,
	LOGIN_FAILURE_MARKER,
	SANDBOX_AUDIENCE_ALTERNATIVE,
} from '../../../nodes/shared/contract';

const SECRET = 'sEcReT-unit-4b1d';
const credential = new PliantApi();

function property(name: string): INodeProperties {
	const found = credential.properties.find((candidate) => candidate.name === name);
	if (!found) throw new Error(`no property ${name}`);
	return found;
}

function helpersAnswering(answer: () => Promise<unknown>) {
	const httpRequest = jest.fn<Promise<unknown>, [IHttpRequestOptions]>(async () => await answer());
	return { helper: { helpers: { httpRequest } } as unknown as IHttpRequestHelper, httpRequest };
}

async function preAuth(
	credentials: ICredentialDataDecryptedObject,
	answer: () => Promise<unknown>,
) {
	const { helper, httpRequest } = helpersAnswering(answer);
	const call = credential.preAuthentication!.call(helper, credentials);
	return { call, httpRequest };
}

/** What axios throws for an HTTP error: the request config (with the secret) included. */
function axiosFailure(status: number, data: object) {
	return Object.assign(new Error(`Request failed with status code ${status}`), {
		isAxiosError: true,
		config: { data: JSON.stringify({ client_secret: SECRET }) },
		request: { body: { client_secret: SECRET } },
		response: { status, data, headers: {}, config: { data: { client_secret: SECRET } } },
	});
}

async function failureOf(
	answer: () => Promise<unknown>,
	credentials: ICredentialDataDecryptedObject = {},
) {
	const { call } = await preAuth(
		{ clientId: 'client-a', clientSecret: SECRET, ...credentials },
		answer,
	);
	return await call.then(
		() => {
			throw new Error('expected preAuthentication to fail');
		},
		(error: Error) => error,
	);
}

/** Resolves an n8n expression against `$credentials`, as n8n does for the Test request. */
function resolve(expression: string, credentials: ICredentialDataDecryptedObject): unknown {
	const node: INode = {
		id: '1',
		name: 'n',
		type: 'noop',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const noop = { description: { properties: [] } } as unknown as INodeType;
	const nodeTypes: INodeTypes = {
		getByName: () => noop,
		getByNameAndVersion: () => noop,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(
		node,
		expression,
		'internal',
		{ $credentials: credentials },
		undefined,
		'',
	);
}

describe('PliantApi credential: description', () => {
	it('is the "Pliant API" credential with icons and documentation', () => {
		expect(credential.name).toBe('pliantApi');
		expect(credential.displayName).toBe('Pliant API');
		expect(credential.icon).toEqual({
			light: 'file:../icons/pliant.svg',
			dark: 'file:../icons/pliant.dark.svg',
		});
		expect(credential.documentationUrl).toMatch(/^https:\/\//);
	});

	it('offers Custom, Production and Sandbox (sorted), Production by default', () => {
		const environment = property('environment');
		expect(environment.default).toBe('production');
		expect(
			(environment.options as Array<{ name: string; value: string }>).map((option) => option.value),
		).toEqual(['custom', 'production', 'sandbox']);
	});

	it('hides the client secret and the token, and only those', () => {
		expect(property('clientSecret').typeOptions?.password).toBe(true);
		expect(property('clientId').typeOptions?.password).toBeUndefined();
		expect(property('accessToken')).toMatchObject({
			type: 'hidden',
			default: '',
			typeOptions: { expirable: true, password: true },
		});
	});

	it('lets the sandbox audience be edited, naming the other spelling', () => {
		const audience = property('sandboxAudience');
		expect(audience.default).toBe(ENVIRONMENTS.sandbox.audience);
		expect(audience.displayOptions).toEqual({ show: { environment: ['sandbox'] } });
		expect(audience.description).toContain(SANDBOX_AUDIENCE_ALTERNATIVE);
	});

	it('asks for token URL, audience and API base URL only for Custom', () => {
		for (const name of ['tokenUrl', 'audience', 'baseUrl']) {
			expect(property(name).displayOptions).toEqual({ show: { environment: ['custom'] } });
			expect(property(name).required).toBe(true);
		}
	});

	it('sends the cached token as a bearer header', () => {
		expect(credential.authenticate).toEqual({
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
		});
	});

	it("is offered by n8n's HTTP Request node as a Predefined Credential Type", () => {
		// HTTP Request lists credential types matching "has:authenticate" and may use any of them,
		// unless a type restricts itself to its own nodes (proven in real n8n: test/e2e/partner-loop)
		expect(credential.authenticate).toBeDefined();
		expect((credential as { restrictToSupportedNodes?: true }).restrictToSupportedNodes).toBeUndefined();
	});

	it.each([
		['production', {}, ENVIRONMENTS.production.baseUrl],
		['sandbox', {}, ENVIRONMENTS.sandbox.baseUrl],
		['custom', { baseUrl: 'http://127.0.0.1:4010/api/' }, 'http://127.0.0.1:4010/api'],
	])('Test button: a cheap authenticated GET against the %s API', (environment, extra, baseUrl) => {
		const { request } = credential.test;
		expect(request.method ?? 'GET').toBe('GET');
		expect(request.url).toBe('/organizations');
		expect(request.qs).toEqual({ limit: 1 });
		expect(resolve(String(request.baseURL), { environment, ...extra })).toBe(baseUrl);
	});
});

describe('PliantApi credential: preAuthentication', () => {
	beforeEach(() => forgetProcessMemory());

	it('requests a token with a JSON client-credentials body and returns it for the hidden field', async () => {
		const { call, httpRequest } = await preAuth(
			{
				environment: 'custom',
				clientId: 'client-a',
				clientSecret: SECRET,
				tokenUrl: 'https://t/oauth/token',
				audience: 'aud',
				baseUrl: 'https://t/api',
			},
			async () => ({ access_token: 'tok-1', expires_in: 86400, token_type: 'Bearer' }),
		);
		await expect(call).resolves.toEqual({ accessToken: 'tok-1' });
		expect(httpRequest).toHaveBeenCalledTimes(1);
		const options = httpRequest.mock.calls[0][0];
		expect(options).toMatchObject({ method: 'POST', url: 'https://t/oauth/token', json: true });
		expect(options.headers).toMatchObject({ 'Content-Type': 'application/json' });
		expect(options.body).toEqual({
			client_id: 'client-a',
			client_secret: SECRET,
			audience: 'aud',
			grant_type: 'client_credentials',
		});
	});

	it('uses the sandbox audience the user chose', async () => {
		const { call, httpRequest } = await preAuth(
			{
				environment: 'sandbox',
				clientId: 'c',
				clientSecret: SECRET,
				sandboxAudience: SANDBOX_AUDIENCE_ALTERNATIVE,
			},
			async () => ({ access_token: 'tok' }),
		);
		await call;
		expect(httpRequest.mock.calls[0][0]).toMatchObject({
			url: ENVIRONMENTS.sandbox.tokenUrl,
			body: { audience: SANDBOX_AUDIENCE_ALTERNATIVE },
		});
	});

	it.each([
		[
			'bad client ID or secret',
			axiosFailure(401, { error: 'access_denied' }),
			/client ID or client secret \(401\)/,
		],
		[
			'bad audience',
			axiosFailure(403, {
				error: 'access_denied',
				error_description: 'Service not enabled within domain',
			}),
			/audience "api\.getpliant\.com\/api\/integration" \(403\)/,
		],
		[
			'token quota used up',
			axiosFailure(429, { error: 'too_many_requests', error_description: 'Client quota exceeded' }),
			/token quota is used up \(429\)/,
		],
		[
			'host unreachable',
			Object.assign(new Error('getaddrinfo ENOTFOUND x'), {
				code: 'ENOTFOUND',
				config: { data: SECRET },
			}),
			/Could not reach the Pliant token URL https:\/\/infinnityprodinternal\.eu\.auth0\.com\/oauth\/token \(ENOTFOUND\)/,
		],
		['other HTTP failure', axiosFailure(500, { error: 'server_error' }), /failed with HTTP 500/],
	])('says what is wrong: %s', async (_name, failure, message) => {
		const error = await failureOf(async () => await Promise.reject(failure));
		expect(error.message.startsWith(LOGIN_FAILURE_MARKER)).toBe(true);
		expect(error.message).toMatch(message);
	});

	it('fails clearly when the answer has no token', async () => {
		const error = await failureOf(async () => ({ token_type: 'Bearer' }));
		expect(error.message).toMatch(/answered without an access_token/);
	});

	it('throws a fresh error: no cause, no request, no secret anywhere in it', async () => {
		const error = await failureOf(
			async () => await Promise.reject(axiosFailure(401, { error: 'access_denied' })),
		);
		expect((error as Error & { cause?: unknown }).cause).toBeUndefined();
		expect(Object.keys(error)).toEqual([]);
		for (const text of [
			error.message,
			String(error.stack),
			JSON.stringify(error),
			JSON.stringify(Object.entries(error)),
		]) {
			expect(text).not.toContain(SECRET);
		}
	});

	it('masks the secret even when the token endpoint echoes it back', async () => {
		const echo = axiosFailure(400, {
			error: 'invalid_request',
			error_description: `client_secret ${SECRET} / ${encodeURIComponent(SECRET)} rejected`,
		});
		const error = await failureOf(async () => await Promise.reject(echo));
		expect(error.message).not.toContain(SECRET);
		expect(error.message).toContain('***');
	});
});
