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

/**
 * The one key for what is kept per Pliant account (rate limiter, signing keys, poll baseline):
 * API base and client, so two credentials never share state.
 */
export function credentialKey(account: { baseUrl: string; clientId?: unknown }): string {
	return `${account.baseUrl}|${String(account.clientId ?? '')}`;
}
