import { createPublicKey, type KeyObject } from 'crypto';

import { clock } from '../shared/clock';
import type { Jwks, SigningJwk } from '../shared/contract';

/**
 * Failed checks (an unknown key, or a forgery: they look the same) ask Pliant for its keys at
 * most once per this interval per credential: at most 12 fetches a minute, whatever the
 * traffic, and a key published by Pliant is known at most this long after the first callback
 * signed with it.
 */
export const JWKS_MIN_FETCH_INTERVAL_MS = 5_000;

/** Keys older than this are refreshed in the background, so a rotation is usually known early. */
export const JWKS_REFRESH_INTERVAL_MS = 60_000;

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

/** Fetches the JWKS; reports its own failures (it runs in the background). */
export type FetchJwks = () => Promise<unknown>;

interface Entry {
	jwks: SigningJwk[];
	keys: KeyObject[];
	/** When the last fetch started (successful or not); undefined if keys only came from a seed. */
	lastFetchAt?: number;
	/** When the keys held were fetched or seeded: their age, for the background refresh. */
	heldSince?: number;
	inFlight?: Promise<void>;
	/** A fetch is planned for when the interval allows it. */
	deferred?: boolean;
}

export interface JwksCacheOptions {
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
}

/**
 * Pliant's public signing keys, per credential (API base and client), in this process's
 * memory. Verification never waits for a fetch: a failed check answers at once and asks for a
 * refresh in the background, which runs now, or as soon as the interval allows (one planned
 * fetch at most). A forged request therefore costs the caller nothing and Pliant at most one
 * request per interval; Pliant's own retry of a callback signed with a new key is accepted.
 */
export class JwksCache {
	private readonly entries = new Map<string, Entry>();

	private readonly keyObjects = new Map<string, KeyObject>();

	private readonly now: () => number;

	private readonly sleep: (ms: number) => Promise<void>;

	constructor(
		options: JwksCacheOptions = {},
		private readonly minFetchIntervalMs: number = JWKS_MIN_FETCH_INTERVAL_MS,
		private readonly refreshIntervalMs: number = JWKS_REFRESH_INTERVAL_MS,
	) {
		this.now = options.now ?? (() => clock.now());
		this.sleep = options.sleep ?? (async (ms) => await clock.sleep(ms));
	}

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
	 * Asks for fresh keys without waiting for them: now if none is running and the interval
	 * has passed, else once, as soon as it has. Returns the fetch when one started now (tests).
	 */
	requestRefresh(key: string, fetchJwks: FetchJwks): Promise<void> | undefined {
		const entry = this.entry(key);
		if (entry.inFlight || entry.deferred) return undefined;
		const last = entry.lastFetchAt;
		const waitMs = last === undefined ? 0 : last + this.minFetchIntervalMs - this.now();
		if (waitMs <= 0) return this.startFetch(entry, fetchJwks);
		entry.deferred = true;
		void this.sleep(waitMs).then(() => {
			entry.deferred = false;
			void this.startFetch(entry, fetchJwks);
		});
		return undefined;
	}

	/** Refreshes in the background when the keys are older than the refresh interval. */
	refreshIfOld(key: string, fetchJwks: FetchJwks): void {
		const since = this.entries.get(key)?.heldSince;
		if (since === undefined || this.now() - since >= this.refreshIntervalMs) this.requestRefresh(key, fetchJwks);
	}

	private entry(key: string): Entry {
		let entry = this.entries.get(key);
		if (!entry) {
			entry = { jwks: [], keys: [] };
			this.entries.set(key, entry);
		}
		return entry;
	}

	private startFetch(entry: Entry, fetchJwks: FetchJwks): Promise<void> {
		entry.lastFetchAt = this.now();
		const inFlight = (async () => {
			try {
				const usable = usableJwks(await fetchJwks());
				// An empty or broken answer keeps the keys we have: better than verifying nothing.
				if (usable.length > 0) {
					entry.jwks = usable;
					entry.keys = this.toKeyObjects(usable);
				}
				entry.heldSince = this.now();
			} catch {
				// The fetcher reports its own failure; nobody waits on this promise.
			} finally {
				entry.inFlight = undefined;
			}
		})();
		entry.inFlight = inFlight;
		return inFlight;
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
