import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import {
	ENVIRONMENTS,
	LOGIN_FAILURE_MARKER,
	RATE_LIMIT,
	SANDBOX_AUDIENCE_ALTERNATIVE,
	TOKEN_REQUEST,
	type TokenResponse,
} from '../nodes/shared/contract';
import { endpointProblem, endpointsFor, redirectRefused } from '../nodes/shared/http/endpoints';
import { failureFacts } from '../nodes/shared/errors/failure-facts';
import { clip, maskSecrets } from '../nodes/shared/mask';
import { tokenCache, tokenKey } from '../nodes/shared/http/token-cache';
import { CREDENTIAL_TYPE } from '../nodes/shared/identity';

const customOnly = { show: { environment: ['custom'] } };

/** Why the token request failed, in words; every secret masked before anything is cut. */
export function tokenFailureMessage(error: unknown, tokenUrl: string, audience: string, clientSecret = ''): string {
	return maskSecrets(`${LOGIN_FAILURE_MARKER} ${tokenFailureReason(error, tokenUrl, audience, clientSecret)}`, [clientSecret]);
}

function tokenFailureReason(error: unknown, tokenUrl: string, audience: string, clientSecret: string): string {
	const facts = failureFacts(error);
	const said = clip(String(facts.body?.error_description ?? facts.body?.message ?? ''), 200, [clientSecret]);
	if (facts.networkCode) {
		return `Could not reach the Pliant token URL ${tokenUrl} (${facts.networkCode}). Check the environment, the URL and your network or proxy.`;
	}
	if (facts.status && facts.status >= 300 && facts.status < 400) return redirectRefused(`The token URL ${tokenUrl}`, facts.status);
	if (facts.status === 401) {
		return 'Pliant rejected the client ID or client secret (401). Copy both again from your Pliant partner onboarding.';
	}
	if (facts.status === 403) {
		return `Pliant rejected the audience "${audience}" (403). For the sandbox, try the other audience spelling. ${said}`.trim();
	}
	if (facts.status === 429) {
		return 'Pliant\'s token quota is used up (429). Tokens are reused until they expire; wait for the quota to reset (see the Auth0-Client-Quota-Limit header).';
	}
	if (facts.status) {
		return `The Pliant token request failed with HTTP ${facts.status}. ${said}`.trim();
	}
	return `The Pliant token request failed: ${clip(String((error as Error)?.message ?? 'unknown error'), 200, [clientSecret])}`;
}

export class PliantApi implements ICredentialType {
	name = CREDENTIAL_TYPE;

	displayName = 'Pliant API';

	icon = { light: 'file:../icons/pliant.svg', dark: 'file:../icons/pliant.dark.svg' } as const;

	documentationUrl = 'https://partner.getpliant.com/docs/authenticated-api-usage';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'production',
			options: [
				{
					name: 'Custom',
					value: 'custom',
					description: 'Your own token URL, audience and API base URL, e.g. the local Pliant emulator or a proxy',
				},
				{ name: 'Production', value: 'production', description: 'Live Pliant data' },
				{ name: 'Sandbox', value: 'sandbox', description: "Pliant's partner sandbox" },
			],
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The OAuth client ID Pliant issued during partner onboarding',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Sandbox Audience',
			name: 'sandboxAudience',
			type: 'string',
			default: ENVIRONMENTS.sandbox.audience,
			displayOptions: { show: { environment: ['sandbox'] } },
			description: `Pliant documents this audience; some sandbox clients are set up with "${SANDBOX_AUDIENCE_ALTERNATIVE}" instead. If the test fails with a 403, try that one.`,
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. http://127.0.0.1:4010/oauth/token',
			displayOptions: customOnly,
		},
		{
			displayName: 'Audience',
			name: 'audience',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. pliant-emulator',
			displayOptions: customOnly,
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. http://127.0.0.1:4010/api',
			description: 'The URL the API paths are appended to, ending in /api',
			displayOptions: customOnly,
		},
		{
			displayName: 'Rate Limit (Requests)',
			name: 'rateLimitRequests',
			type: 'number',
			default: RATE_LIMIT.requests,
			description: 'How many API requests the server allows per window; the nodes stay just under it',
			displayOptions: customOnly,
		},
		{
			displayName: 'Rate Limit Window (Seconds)',
			name: 'rateLimitWindowSeconds',
			type: 'number',
			default: RATE_LIMIT.windowMs / 1000,
			displayOptions: customOnly,
		},
		{
			// Filled by preAuthentication and reused until Pliant answers 401: the token quota is tiny.
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			default: '',
			typeOptions: { expirable: true, password: true },
		},
	];

	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const endpoints = endpointsFor(credentials);
		const { tokenUrl, audience } = endpoints;
		const problem = endpointProblem(endpoints);
		if (problem) throw new Error(`${LOGIN_FAILURE_MARKER} ${problem}.`);
		const clientSecret = String(credentials.clientSecret ?? '');
		const key = tokenKey(tokenUrl, audience, String(credentials.clientId ?? ''), clientSecret);
		// n8n calls this for every item that has no token or was answered 401, with no lock:
		// the cache lets one of them fetch and hands the result to all the others.
		const accessToken = await tokenCache.token(key, String(credentials.accessToken ?? ''), async () => {
			const { fields } = TOKEN_REQUEST;
			let response: TokenResponse;
			try {
				response = (await this.helpers.httpRequest({
					method: 'POST',
					url: tokenUrl,
					json: true,
					// A redirect would re-send the body, secret included, to wherever it points.
					disableFollowRedirect: true,
					headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
					body: {
						[fields.clientId]: credentials.clientId,
						[fields.clientSecret]: clientSecret,
						[fields.audience]: audience,
						[fields.grantType]: TOKEN_REQUEST.grantType,
					},
				})) as TokenResponse;
			} catch (error) {
				// A fresh error: the original one carries the request, and so the client secret.
				throw new Error(tokenFailureMessage(error, tokenUrl, audience, clientSecret));
			}
			if (!response?.access_token) {
				throw new Error(`${LOGIN_FAILURE_MARKER} the token URL ${tokenUrl} answered without an access_token.`);
			}
			return { accessToken: response.access_token, expiresIn: Number(response.expires_in) || undefined };
		});
		return { accessToken };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : ($credentials.environment === "sandbox" ? "${ENVIRONMENTS.sandbox.baseUrl}" : "${ENVIRONMENTS.production.baseUrl}") }}`,
			url: '/organizations',
			qs: { limit: 1 },
			disableFollowRedirect: true,
		},
	};
}
