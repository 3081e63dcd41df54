/**
 * One token fetch at a time per client and environment: the first, after a 401, after expiry.
 * The clock is injected; fetches are fake promises the test settles.
 */
import { LOGIN_FAILURE_MEMORY_MS, TokenCache, tokenKey, type FetchedToken } from '../../../nodes/shared/http/token-cache';

const KEY = tokenKey('https://auth.test/oauth/token', 'aud', 'client-1', 'secret-1');

function deferredFetch() {
	let resolve: (token: FetchedToken) => void = () => undefined;
	let reject: (error: unknown) => void = () => undefined;
	const fetch = jest.fn(
		() =>
			new Promise<FetchedToken>((res, rej) => {
				resolve = res;
				reject = rej;
			}),
	);
	return { fetch, resolve: (t: FetchedToken) => resolve(t), reject: (e: unknown) => reject(e) };
}

describe('tokenKey', () => {
	it('differs by token URL, audience, client and secret, and never contains the secret', () => {
		const keys = [
			KEY,
			tokenKey('https://other.test/oauth/token', 'aud', 'client-1', 'secret-1'),
			tokenKey('https://auth.test/oauth/token', 'aud2', 'client-1', 'secret-1'),
			tokenKey('https://auth.test/oauth/token', 'aud', 'client-2', 'secret-1'),
			tokenKey('https://auth.test/oauth/token', 'aud', 'client-1', 'secret-2'),
		];
		expect(new Set(keys).size).toBe(keys.length);
		expect(KEY).not.toContain('secret-1');
	});
});

describe('TokenCache', () => {
	it('four items without a token: one fetch, all get the same token', async () => {
		const cache = new TokenCache(() => 0);
		const { fetch, resolve } = deferredFetch();
		const waiting = Promise.all([1, 2, 3, 4].map(async () => await cache.token(KEY, '', fetch)));
		resolve({ accessToken: 'tok-1', expiresIn: 86400 });
		expect(await waiting).toEqual(['tok-1', 'tok-1', 'tok-1', 'tok-1']);
		expect(fetch).toHaveBeenCalledTimes(1);
	});

	it('a second credential of the same client reuses the token', async () => {
		const cache = new TokenCache(() => 0);
		const fetch = jest.fn(async () => ({ accessToken: 'tok-1', expiresIn: 86400 }));
		expect(await cache.token(KEY, '', fetch)).toBe('tok-1');
		expect(await cache.token(KEY, '', fetch)).toBe('tok-1');
		expect(fetch).toHaveBeenCalledTimes(1);
	});

	it('after a 401: one new token for all items answered 401 with the old one, even late ones', async () => {
		const cache = new TokenCache(() => 0);
		let n = 0;
		const fetch = jest.fn(async () => ({ accessToken: `tok-${++n}`, expiresIn: 86400 }));
		await cache.token(KEY, '', fetch);
		const rejected = await Promise.all([1, 2, 3].map(async () => await cache.token(KEY, 'tok-1', fetch)));
		expect(rejected).toEqual(['tok-2', 'tok-2', 'tok-2']);
		// a request that was in flight with tok-1 comes back 401 after the refresh
		expect(await cache.token(KEY, 'tok-1', fetch)).toBe('tok-2');
		expect(fetch).toHaveBeenCalledTimes(2);
		// the new token itself rejected: fetch again
		expect(await cache.token(KEY, 'tok-2', fetch)).toBe('tok-3');
	});

	it('fetches again shortly before the token expires', async () => {
		let now = 0;
		const cache = new TokenCache(() => now);
		let n = 0;
		const fetch = jest.fn(async () => ({ accessToken: `tok-${++n}`, expiresIn: 3600 }));
		await cache.token(KEY, '', fetch);
		now = 3000 * 1000;
		expect(await cache.token(KEY, '', fetch)).toBe('tok-1');
		now = 3600 * 1000 - 30_000;
		expect(await cache.token(KEY, '', fetch)).toBe('tok-2');
	});

	it('other clients and environments have their own token and their own fetch', async () => {
		const cache = new TokenCache(() => 0);
		const a = jest.fn(async () => ({ accessToken: 'tok-a' }));
		const b = jest.fn(async () => ({ accessToken: 'tok-b' }));
		const other = tokenKey('https://sandbox.test/oauth/token', 'aud', 'client-1', 'secret-1');
		expect(await cache.token(KEY, '', a)).toBe('tok-a');
		expect(await cache.token(other, '', b)).toBe('tok-b');
	});

	it('remembers a failed login for a while instead of asking for every item', async () => {
		let now = 0;
		const cache = new TokenCache(() => now);
		const failure = new Error('[login] rejected');
		const fetch = jest.fn(async (): Promise<FetchedToken> => {
			throw failure;
		});
		const results = await Promise.allSettled([1, 2, 3, 4].map(async () => await cache.token(KEY, '', fetch)));
		expect(results.every((r) => r.status === 'rejected' && r.reason === failure)).toBe(true);
		await expect(cache.token(KEY, '', fetch)).rejects.toBe(failure);
		expect(fetch).toHaveBeenCalledTimes(1);
		now = LOGIN_FAILURE_MEMORY_MS;
		await expect(cache.token(KEY, '', fetch)).rejects.toBe(failure);
		expect(fetch).toHaveBeenCalledTimes(2);
	});
});
