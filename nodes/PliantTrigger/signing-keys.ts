import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import type { KeyObject } from 'crypto';

import { PATHS, type SigningJwk } from '../shared/contract';
import { endpointsFor } from '../shared/endpoints';
import { CREDENTIAL_TYPE, pliantApiRequest, type PliantContext } from '../shared/transport';
import { jwksCache, usableJwks } from './jwks-cache';
import { verifyCallbackSignature, type HeaderBag, type SignatureCheck } from './signature';

/** Where the node keeps a copy of the public keys, so a restarted n8n verifies without a fetch. */
const STATIC_DATA_KEY = 'signingKeys';

interface StoredSigningKeys {
	baseUrl: string;
	keys: SigningJwk[];
}

/** The API base URL of the node's credential: the JWKS cache is kept per base. */
export async function apiBaseUrl(this: PliantContext): Promise<string> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	return endpointsFor(credentials).baseUrl;
}

async function fetchJwks(this: PliantContext): Promise<unknown> {
	return await pliantApiRequest.call(this, { method: 'GET', path: PATHS.jwks });
}

function storedKeysFor(staticData: IDataObject, baseUrl: string): SigningJwk[] | undefined {
	const stored = staticData[STATIC_DATA_KEY] as StoredSigningKeys | undefined;
	return stored?.baseUrl === baseUrl ? usableJwks({ keys: stored.keys }) : undefined;
}

/**
 * Lifecycle (publish, test listen): fetches Pliant's JWKS now, so the first callback needs no
 * outbound call, and keeps a copy of the public keys in the node's static data.
 * Returns how many usable Ed25519 keys the JWKS holds.
 */
export async function warmSigningKeys(this: IHookFunctions, now: number = Date.now()): Promise<number> {
	const baseUrl = await apiBaseUrl.call(this);
	const keys = jwksCache.store(baseUrl, await fetchJwks.call(this), now);
	const staticData = this.getWorkflowStaticData('node');
	const stored: StoredSigningKeys = { baseUrl, keys: jwksCache.jwks(baseUrl) };
	staticData[STATIC_DATA_KEY] = stored as unknown as IDataObject;
	return keys.length;
}

/** Forgets the static copy (on delete). */
export function forgetStoredSigningKeys(staticData: IDataObject): void {
	delete staticData[STATIC_DATA_KEY];
}

/**
 * Verifies a callback with the cached keys (seeded from static data after a restart). Only
 * when no key matches, and at most once a minute per API base, it asks Pliant for its keys
 * again: that is how a key rotation is picked up. Stale, future or malformed requests never
 * cause a fetch.
 */
export async function verifyWithSigningKeys(
	this: IWebhookFunctions,
	rawBody: Buffer,
	headers: HeaderBag,
	now: number = Date.now(),
): Promise<SignatureCheck> {
	const baseUrl = await apiBaseUrl.call(this);
	const cached: KeyObject[] =
		jwksCache.keys(baseUrl) ??
		jwksCache.seed(baseUrl, { keys: storedKeysFor(this.getWorkflowStaticData('node'), baseUrl) }) ??
		[];
	const first = verifyCallbackSignature({ rawBody, headers, keys: cached, now });
	if (first.valid || (first.reason !== 'no-match' && first.reason !== 'no-keys')) return first;

	let fresh: KeyObject[] | undefined;
	try {
		fresh = await jwksCache.refetch(baseUrl, async () => await fetchJwks.call(this), now);
	} catch (error) {
		this.logger.warn(
			`Pliant Trigger: could not refresh Pliant's signing keys (JWKS): ${(error as Error).message}`,
		);
		return first;
	}
	if (!fresh) return first; // refetched less than a minute ago
	return verifyCallbackSignature({ rawBody, headers, keys: fresh, now });
}
