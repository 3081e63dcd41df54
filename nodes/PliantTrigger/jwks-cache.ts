import { createPublicKey, type KeyObject } from 'crypto';

import { clock } from '../shared/clock';
import { boundedMap, processMemory, type BoundedMap } from '../shared/memory';
import type { Jwks, SigningJwk } from '../shared/contract';

/**
 * Pliant is asked for its keys at most once per this interval per credential, whatever the
 * traffic: failed checks (an unknown key, or a forgery: they look the same) cause at most 12
 * fetches a minute, and a key Pliant publishes is known at most this long after the first
 * callback signed with it (Pliant retries refused callbacks).
 */
export const JWKS_MIN_FETCH_INTERVAL_MS = 5_000;

/** Keys older than this are refreshed by the next callback, so a rotation is usually known early. */
export const JWKS_REFRESH_INTERVAL_MS = 60_000;

const MAX_KEY_OBJECTS = 256;

/** Credentials (and nodes with keys from static data) whose keys are held at once. */
const MAX_ENTRIES = 1_000;

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

/** Fetches the JWKS; reports its own failures (an empty answer keeps the keys held). */
export type FetchJwks = () => Promise<unknown>;

interface Entry {
	jwks: SigningJwk[];
	keys: KeyObject[];
	/** When the last fetch started (successful or not); undefined if keys only came from a seed. */
	lastFetchAt?: number;
	/** When the keys held were fetched or seeded: their age, for the refresh. */
	heldSince?: number;
	fetching: boolean;
}

/**
 * Pliant's public signing keys, per credential (API base and client), in this process's
 * memory. A fetch runs inside the callback that asked for it (n8n 2.x evaluates the
 * credential's expressions only while a webhook call is alive): that caller waits for its own
 * fetch, nobody waits for someone else's. A caller that may not fetch (one is running, or the
 * interval has not passed) is answered at once with the keys held, so forged traffic can make
 * neither Pliant nor a genuine caller wait, and costs at most one fetch per interval.
 */
export class JwksCache {
	constructor(
		private readonly now: () => number = () => clock.now(),
		private readonly minFetchIntervalMs: number = JWKS_MIN_FETCH_INTERVAL_MS,
		private readonly refreshIntervalMs: number = JWKS_REFRESH_INTERVAL_MS,
		private readonly entries: BoundedMap<string, Entry> = boundedMap('signing keys', { max: MAX_ENTRIES }),
		// Rotations are rare; the bound only guards against a misbehaving JWKS.
		private readonly keyObjects: BoundedMap<string, KeyObject> = boundedMap('signing key objects', { max: MAX_KEY_OBJECTS }),
	) {}

	/** The keys held for a credential, or undefined if none are. */
	keys(key: string): KeyObject[] | undefined {
		const entry = this.entries.get(key);
		return entry && entry.keys.length > 0 ? entry.keys : undefined;
	}

	/** The JWKS entries held for a credential (public keys only, safe to persist). */
	jwks(key: string): SigningJwk[] {
		return this.entries.get(key)?.jwks ?? [];
	}

	/** Stores keys fetched by the caller (activation), counting as a fetch. */
	store(key: string, jwks: unknown): KeyObject[] {
		const entry = this.entry(key);
		entry.jwks = usableJwks(jwks);
		entry.keys = this.toKeyObjects(entry.jwks);
		entry.lastFetchAt = this.now();
		entry.heldSince = entry.lastFetchAt;
		return entry.keys;
	}

	/**
	 * Fills an empty entry from a copy kept elsewhere (node static data) without counting as
	 * a fetch, so the first failed check still refreshes right away.
	 */
	seed(key: string, jwks: unknown): KeyObject[] | undefined {
		if (this.keys(key)) return this.keys(key);
		const usable = usableJwks(jwks);
		if (usable.length === 0) return undefined;
		const entry = this.entry(key);
		entry.jwks = usable;
		entry.keys = this.toKeyObjects(usable);
		entry.heldSince = this.now();
		return this.keys(key);
	}

	/**
	 * Fetches the keys now if allowed (no fetch running, interval passed) and resolves when the
	 * fetch is done, with true; resolves false at once when not allowed.
	 */
	async refresh(key: string, fetchJwks: FetchJwks): Promise<boolean> {
		const entry = this.entry(key);
		const last = entry.lastFetchAt;
		if (entry.fetching || (last !== undefined && this.now() - last < this.minFetchIntervalMs)) return false;
		entry.fetching = true;
		entry.lastFetchAt = this.now();
		try {
			const usable = usableJwks(await fetchJwks());
			// An empty or broken answer keeps the keys we have: better than verifying nothing.
			if (usable.length > 0) {
				entry.jwks = usable;
				entry.keys = this.toKeyObjects(usable);
				entry.heldSince = this.now();
			}
		} catch {
			// The fetcher reports its own failure; the keys held stay.
		} finally {
			entry.fetching = false;
		}
		return true;
	}

	/** Whether the keys held are older than the refresh interval (or there are none). */
	isOld(key: string): boolean {
		const since = this.entries.get(key)?.heldSince;
		return since === undefined || this.now() - since >= this.refreshIntervalMs;
	}

	private entry(key: string): Entry {
		let entry = this.entries.get(key);
		if (!entry) {
			entry = { jwks: [], keys: [], fetching: false };
			this.entries.set(key, entry);
		}
		return entry;
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
				this.keyObjects.set(id, key);
			}
			keys.push(key);
		}
		return keys;
	}
}

/** The one cache of this n8n process. */
export const jwksCache = new JwksCache(
	undefined,
	undefined,
	undefined,
	processMemory.create('signing keys', { max: MAX_ENTRIES }),
	processMemory.create('signing key objects', { max: MAX_KEY_OBJECTS }),
);
