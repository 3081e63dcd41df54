import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import type { KeyObject } from 'crypto';

import { PATHS, type SigningJwk } from '../shared/contract';
import { endpointsFor } from '../shared/http/endpoints';
import { CREDENTIAL_TYPE, pliantApiRequest, type PliantContext } from '../shared/http/transport';
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

/** The fetch for the key cache: failures go to the log, never to the caller (the keys held are kept). */
function loggedFetch(this: IWebhookFunctions): FetchJwks {
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
 * Verifies a callback with the cached keys (seeded from static data after a restart). When no
 * key matches (a new key, or a forgery), fresh keys are fetched and the check repeated, but
 * only if this callback may fetch (none running, the last one at least 5 s ago): otherwise the
 * refusal goes back at once and Pliant's retry is checked against the keys fetched meanwhile.
 * Keys older than a minute are refreshed by the next valid callback. Stale, future or
 * malformed requests never cause a fetch.
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
	if (check.valid) {
		// n8n 2.x can run the fetch only while this call is alive: a minute's refresh costs one GET.
		if (jwksCache.isOld(key)) await jwksCache.refresh(key, loggedFetch.call(this));
		return check;
	}
	if (check.reason !== 'no-match' && check.reason !== 'no-keys') return check;
	if (!(await jwksCache.refresh(key, loggedFetch.call(this)))) return check;
	return verifyCallbackSignature({ rawBody, headers, keys: jwksCache.keys(key) ?? [], now });
}
