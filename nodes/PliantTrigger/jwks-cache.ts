import { createPublicKey, type KeyObject } from 'crypto';

import type { Jwks, SigningJwk } from '../shared/contract';

/** Ask Pliant for its keys again at most this often per API base (key rotation). */
export const JWKS_REFETCH_INTERVAL_MS = 60_000;

const MAX_KEY_OBJECTS = 256;

/** The usable Ed25519 entries of a JWKS; anything else (other curves, junk) is dropped. */
export function usableJwks(jwks: unknown): SigningJwk[] {
	const keys = (jwks as Partial<Jwks> | undefined)?.keys;
	if (!Array.isArray(keys)) return [];
	return keys
		.filter(
			(key): key is SigningJwk =>
				!!key &&
				typeof key === 'object' &&
				key.kty === 'OKP' &&
				key.crv === 'Ed25519' &&
				typeof key.x === 'string' &&
				key.x !== '',
		)
		.map((key) => ({ kty: key.kty, crv: key.crv, x: key.x, ...(key.kid ? { kid: String(key.kid) } : {}) }));
}

interface Entry {
	jwks: SigningJwk[];
	keys: KeyObject[];
	/** When the last fetch started (successful or not); undefined if keys only came from a seed. */
	lastFetchAt?: number;
	inFlight?: Promise<KeyObject[]>;
}

/**
 * Pliant's public signing keys, per API base URL, in this process's memory. KeyObjects are
 * built once per key and reused; a refetch (unknown key or failed check) is allowed at most
 * once per interval, and concurrent refetches share one request.
 */
export class JwksCache {
	private readonly entries = new Map<string, Entry>();

	private readonly keyObjects = new Map<string, KeyObject>();

	constructor(private readonly refetchIntervalMs: number = JWKS_REFETCH_INTERVAL_MS) {}

	/** The keys held for an API base, or undefined if none are. */
	keys(baseUrl: string): KeyObject[] | undefined {
		const entry = this.entries.get(baseUrl);
		return entry && entry.keys.length > 0 ? entry.keys : undefined;
	}

	/** The JWKS entries held for an API base (public keys only, safe to persist). */
	jwks(baseUrl: string): SigningJwk[] {
		return this.entries.get(baseUrl)?.jwks ?? [];
	}

	/** Stores freshly fetched keys. */
	store(baseUrl: string, jwks: unknown, now: number): KeyObject[] {
		const usable = usableJwks(jwks);
		const entry: Entry = { jwks: usable, keys: this.toKeyObjects(usable), lastFetchAt: now };
		this.entries.set(baseUrl, entry);
		return entry.keys;
	}

	/**
	 * Fills an empty entry from a copy kept elsewhere (node static data) without counting as
	 * a fetch, so the first unknown key still triggers a refetch right away.
	 */
	seed(baseUrl: string, jwks: unknown): KeyObject[] | undefined {
		if (this.keys(baseUrl)) return this.keys(baseUrl);
		const usable = usableJwks(jwks);
		if (usable.length === 0) return undefined;
		const previous = this.entries.get(baseUrl);
		this.entries.set(baseUrl, { ...previous, jwks: usable, keys: this.toKeyObjects(usable) });
		return this.keys(baseUrl);
	}

	/** Whether a refetch is allowed now (none yet, or the last one is older than the interval). */
	canRefetch(baseUrl: string, now: number): boolean {
		const last = this.entries.get(baseUrl)?.lastFetchAt;
		return last === undefined || now - last >= this.refetchIntervalMs;
	}

	/**
	 * Fetches the keys again if allowed; returns the fresh keys, or undefined when the
	 * interval has not passed. A failed fetch also counts, so an outage is not hammered.
	 */
	async refetch(
		baseUrl: string,
		fetchJwks: () => Promise<unknown>,
		now: number,
	): Promise<KeyObject[] | undefined> {
		const entry = this.entries.get(baseUrl);
		if (entry?.inFlight) return await entry.inFlight;
		if (!this.canRefetch(baseUrl, now)) return undefined;

		const current: Entry = entry ?? { jwks: [], keys: [] };
		current.lastFetchAt = now;
		this.entries.set(baseUrl, current);
		const inFlight = (async () => {
			try {
				const usable = usableJwks(await fetchJwks());
				current.jwks = usable;
				current.keys = this.toKeyObjects(usable);
				return current.keys;
			} finally {
				current.inFlight = undefined;
			}
		})();
		current.inFlight = inFlight;
		return await inFlight;
	}

	/** For tests: forget everything. */
	clear(): void {
		this.entries.clear();
		this.keyObjects.clear();
	}

	private toKeyObjects(jwks: SigningJwk[]): KeyObject[] {
		const keys: KeyObject[] = [];
		for (const jwk of jwks) {
			const id = `${jwk.kid ?? ''}|${jwk.x}`;
			let key = this.keyObjects.get(id);
			if (!key) {
				try {
					key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
				} catch {
					continue; // not a valid Ed25519 point: unusable, skip it
				}
				// Rotations are rare; the bound only guards against a misbehaving JWKS.
				if (this.keyObjects.size >= MAX_KEY_OBJECTS) this.keyObjects.clear();
				this.keyObjects.set(id, key);
			}
			keys.push(key);
		}
		return keys;
	}
}

/** The one cache of this n8n process. */
export const jwksCache = new JwksCache();
