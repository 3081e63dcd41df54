import { createHash } from 'crypto';

import { clock } from '../clock';
import { boundedMap, processMemory, type BoundedMap } from '../memory';

/** A failed token request is not repeated for this long (Pliant's token quota is ~42 an hour). */
export const LOGIN_FAILURE_MEMORY_MS = 30_000;

/** A token is treated as expired this long before Pliant's `expires_in` runs out. */
const EXPIRY_MARGIN_MS = 60_000;

/** Clients and environments whose token is held at once (one per credential in use). */
const MAX_CLIENTS = 1_000;

export interface FetchedToken {
	accessToken: string;
	/** Seconds, from the token response; undefined when Pliant sent none. */
	expiresIn?: number;
}

interface Entry {
	token?: string;
	expiresAt?: number;
	inFlight?: Promise<string>;
	failure?: { at: number; error: unknown };
}

/** The identity a token belongs to: environment (token URL, audience) and client, secret included. */
export function tokenKey(tokenUrl: string, audience: string, clientId: string, clientSecret: string): string {
	// Only a digest of the secret: the key stays in memory, but never the secret itself.
	const secret = createHash('sha256').update(clientSecret).digest('base64url');
	return `${tokenUrl}|${audience}|${clientId}|${secret}`;
}

/**
 * Pliant access tokens of this n8n process, one per client and environment. Every token fetch
 * (the first, after a 401, after expiry) is single-flight: callers that need a token while one
 * is being fetched wait for it and reuse it. n8n offers no lock around `preAuthentication`, so
 * without this every item in flight would spend one token of a quota as small as 42 an hour.
 */
export class TokenCache {
	constructor(
		private readonly now: () => number = () => clock.now(),
		private readonly entries: BoundedMap<string, Entry> = boundedMap('tokens', { max: MAX_CLIENTS }),
	) {}

	/** The token held for `key` now, if any (to mask it wherever Pliant might echo it). */
	current(key: string): string | undefined {
		return this.entries.get(key)?.token;
	}

	/**
	 * A token for `key`. `held` is the token the caller has ('' for none, or the one Pliant
	 * just rejected): a different, newer token fetched meanwhile is handed out instead of
	 * fetching again. A failed fetch is remembered for a while and rethrown without asking again.
	 */
	async token(key: string, held: string, fetch: () => Promise<FetchedToken>): Promise<string> {
		let entry = this.entries.get(key);
		if (!entry) {
			entry = {};
			this.entries.set(key, entry);
		}
		if (entry.inFlight) return await entry.inFlight;
		const now = this.now();
		if (entry.token && entry.token !== held && (entry.expiresAt === undefined || now < entry.expiresAt)) {
			return entry.token;
		}
		if (entry.failure && now - entry.failure.at < LOGIN_FAILURE_MEMORY_MS) throw entry.failure.error;

		const current = entry;
		current.inFlight = fetch()
			.then(
				(fetched) => {
					current.token = fetched.accessToken;
					current.expiresAt =
						fetched.expiresIn && fetched.expiresIn > 0
							? this.now() + Math.max(fetched.expiresIn * 1000 - EXPIRY_MARGIN_MS, fetched.expiresIn * 500)
							: undefined;
					current.failure = undefined;
					return fetched.accessToken;
				},
				async (error: unknown) => {
					current.failure = { at: this.now(), error };
					return await Promise.reject(error);
				},
			)
			.finally(() => {
				current.inFlight = undefined;
			});
		return await current.inFlight;
	}
}

/** The one token cache of this n8n process. */
export const tokenCache = new TokenCache(undefined, processMemory.create('tokens', { max: MAX_CLIENTS }));
