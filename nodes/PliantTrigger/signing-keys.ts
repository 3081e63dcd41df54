import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import type { KeyObject } from 'crypto';

import { PATHS, type SigningJwk } from '../shared/contract';
import { endpointsFor } from '../shared/endpoints';
import { CREDENTIAL_TYPE, pliantApiRequest, type PliantContext } from '../shared/transport';
import { jwksCache, usableJwks, type FetchJwks } from './jwks-cache';
import { verifyCallbackSignature, type HeaderBag, type SignatureCheck } from './signature';

/** Where the node keeps a copy of the public keys, so a restarted n8n verifies without a fetch. */
const STATIC_DATA_KEY = 'signingKeys';

interface StoredSigningKeys {
	baseUrl: string;
	keys: SigningJwk[];
}

/** The credential's identity for the key cache: API base and client (two credentials never share state). */
export async function signingKeysKey(this: PliantContext): Promise<{ key: string; baseUrl: string }> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const { baseUrl } = endpointsFor(credentials);
	return { key: `${baseUrl}|${String(credentials.clientId ?? '')}`, baseUrl };
}

async function fetchJwks(this: PliantContext): Promise<unknown> {
	return await pliantApiRequest.call(this, { method: 'GET', path: PATHS.jwks });
}

/** A background fetch: failures go to the log, never to a caller (the keys held are kept). */
function backgroundFetch(this: IWebhookFunctions): FetchJwks {
	return async () => {
		try {
			return await fetchJwks.call(this);
		} catch (error) {
			this.logger.warn(
				`Pliant Trigger: could not refresh Pliant's signing keys (JWKS): ${(error as Error).message}`,
			);
			return undefined;
		}
	};
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
export async function warmSigningKeys(this: IHookFunctions): Promise<number> {
	const { key, baseUrl } = await signingKeysKey.call(this);
	const keys = jwksCache.store(key, await fetchJwks.call(this));
	const staticData = this.getWorkflowStaticData('node');
	const stored: StoredSigningKeys = { baseUrl, keys: jwksCache.jwks(key) };
	staticData[STATIC_DATA_KEY] = stored as unknown as IDataObject;
	return keys.length;
}

/** Forgets the static copy (on delete). */
export function forgetStoredSigningKeys(staticData: IDataObject): void {
	delete staticData[STATIC_DATA_KEY];
}

/**
 * Verifies a callback with the cached keys (seeded from static data after a restart). Never
 * waits for Pliant: when no key matches (a new key, or a forgery), the answer goes back at
 * once and fresh keys are fetched in the background (at most once per interval), so Pliant's
 * retry of a genuine callback is accepted. Keys older than a minute are refreshed in the
 * background too. Stale, future or malformed requests never cause a fetch.
 */
export async function verifyWithSigningKeys(
	this: IWebhookFunctions,
	rawBody: Buffer,
	headers: HeaderBag,
	now: number = Date.now(),
): Promise<SignatureCheck> {
	const { key, baseUrl } = await signingKeysKey.call(this);
	const cached: KeyObject[] =
		jwksCache.keys(key) ??
		jwksCache.seed(key, { keys: storedKeysFor(this.getWorkflowStaticData('node'), baseUrl) }) ??
		[];
	const check = verifyCallbackSignature({ rawBody, headers, keys: cached, now });
	if (!check.valid && (check.reason === 'no-match' || check.reason === 'no-keys')) {
		jwksCache.requestRefresh(key, backgroundFetch.call(this));
	} else if (check.valid) {
		jwksCache.refreshIfOld(key, backgroundFetch.call(this));
	}
	return check;
}
