import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { ENVIRONMENTS, type PliantEndpoints, type PliantEnvironment } from '../contract';

function trimSlash(url: string): string {
	return url.trim().replace(/\/+$/, '');
}

/** Token URL, audience and API base URL of the environment a credential points at. */
export function endpointsFor(credentials: ICredentialDataDecryptedObject): PliantEndpoints {
	const environment = (credentials.environment as PliantEnvironment | undefined) ?? 'production';
	if (environment === 'custom') {
		return {
			tokenUrl: String(credentials.tokenUrl ?? '').trim(),
			audience: String(credentials.audience ?? '').trim(),
			baseUrl: trimSlash(String(credentials.baseUrl ?? '')),
		};
	}
	const preset = ENVIRONMENTS[environment] ?? ENVIRONMENTS.production;
	const audience =
		environment === 'sandbox' && typeof credentials.sandboxAudience === 'string'
			? credentials.sandboxAudience.trim() || preset.audience
			: preset.audience;
	return { ...preset, audience };
}

/** Loopback hosts: 127.0.0.0/8, ::1 and localhost (the local emulator). */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (host === 'localhost' || host === '::1') return true;
	return /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Why a URL may not carry the client secret or a bearer token, or undefined when it may:
 * https, or http to a loopback host only (plain http elsewhere would send them in clear).
 */
function urlProblem(field: string, url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `${field} "${url}" of the Pliant credential is not a valid URL`;
	}
	if (parsed.protocol === 'https:') return undefined;
	if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return undefined;
	return `${field} of the Pliant credential must use https (plain http is allowed only for 127.0.0.1, ::1 or localhost), not "${parsed.protocol}//${parsed.host}"`;
}

/** The first problem of the credential's endpoints, naming the field, or undefined when both are safe. */
export function endpointProblem(endpoints: PliantEndpoints): string | undefined {
	return urlProblem('Token URL', endpoints.tokenUrl) ?? urlProblem('API Base URL', endpoints.baseUrl);
}

/** The words for a 3xx: redirects are never followed, so that neither secret nor token travels elsewhere. */
export function redirectRefused(what: string, status: number): string {
	return `${what} answered with a redirect (HTTP ${status}), and redirects are not followed, so the client secret and access token never go to another address. Set the credential's URL to the final address.`;
}
