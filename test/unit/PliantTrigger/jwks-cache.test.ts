import {
	JWKS_MIN_FETCH_INTERVAL_MS,
	JWKS_REFRESH_INTERVAL_MS,
	JwksCache,
	usableJwks,
} from '../../../nodes/PliantTrigger/jwks-cache';
import { makeKey } from './keys';

const BASE = 'https://partner-api.example/api';
const OTHER_BASE = 'https://sandbox.partner-api.example/api';
const T0 = 1_700_000_000_000;

describe('usableJwks', () => {
	it('keeps Ed25519 keys and drops everything else', () => {
		const good = makeKey('k1').jwk;
		expect(
			usableJwks({
				keys: [
					good,
					{ kty: 'RSA', n: 'abc', e: 'AQAB', kid: 'rsa' },
					{ kty: 'OKP', crv: 'X25519', x: 'abc' },
					{ kty: 'OKP', crv: 'Ed25519' },
					null,
					'junk',
				],
			}),
		).toEqual([good]);
	});

	it.each([undefined, null, {}, { keys: 'x' }, 'text'])('returns nothing for %p', (value) => {
		expect(usableJwks(value)).toEqual([]);
	});
});

/** A fake clock: time moves only when the test says so. */
function fakeClock(start = T0) {
	const clock = { now: start, read: () => clock.now };
	return clock;
}

function cacheWith(clock: ReturnType<typeof fakeClock>) {
	return new JwksCache(clock.read);
}

describe('JwksCache: storage', () => {
	it('stores keys per credential', () => {
		const cache = new JwksCache();
		const key = makeKey('k1');
		cache.store(BASE, { keys: [key.jwk] });
		expect(cache.keys(BASE)).toHaveLength(1);
		expect(cache.keys(OTHER_BASE)).toBeUndefined();
		expect(cache.jwks(BASE)).toEqual([key.jwk]);
	});

	it('builds each KeyObject once and reuses it', () => {
		const cache = new JwksCache();
		const key = makeKey('k1');
		const first = cache.store(BASE, { keys: [key.jwk] });
		const second = cache.store(BASE, { keys: [key.jwk] });
		expect(second[0]).toBe(first[0]);
	});

	it('skips a JWKS entry that is not a valid Ed25519 point', () => {
		const cache = new JwksCache();
		const key = makeKey('k1');
		cache.store(BASE, { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'AAAA', kid: 'short' }, key.jwk] });
		expect(cache.keys(BASE)).toHaveLength(1);
	});

	it('does not let a seed replace fetched keys', () => {
		const cache = new JwksCache();
		const fetched = makeKey('fresh');
		cache.store(BASE, { keys: [fetched.jwk] });
		cache.seed(BASE, { keys: [makeKey('old').jwk] });
		expect(cache.jwks(BASE)).toEqual([fetched.jwk]);
	});

	it('returns nothing for an empty seed', () => {
		expect(new JwksCache().seed(BASE, { keys: [] })).toBeUndefined();
	});
});

describe('JwksCache: refresh policy (fake clock)', () => {
	it('fetches at once when nothing was fetched yet; a seed does not count as a fetch', async () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		cache.seed(BASE, { keys: [makeKey('k1').jwk] });
		const fetcher = jest.fn(async () => ({ keys: [makeKey('k2').jwk] }));
		expect(await cache.refresh(BASE, fetcher)).toBe(true);
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(cache.jwks(BASE)[0].kid).toBe('k2');
	});

	it('a caller never waits for a fetch someone else started: it is answered at once', async () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		const never = jest.fn(() => new Promise<unknown>(() => undefined));
		void cache.refresh(BASE, never); // e.g. a forged callback, waiting for its own fetch
		clock.now += 60_000;
		const others = await Promise.all(Array.from({ length: 50 }, async () => await cache.refresh(BASE, never)));
		expect(others.every((fetched) => !fetched)).toBe(true);
		expect(never).toHaveBeenCalledTimes(1);
	});

	it('fetches at most once per interval, whatever the number of failed checks', async () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		const fetcher = jest.fn(async () => ({ keys: [makeKey('k1').jwk] }));
		// 100 failed checks a minute, for 3 minutes
		for (let i = 0; i < 300; i++) {
			await cache.refresh(BASE, fetcher);
			clock.now += 600;
		}
		const perMinute = 60_000 / JWKS_MIN_FETCH_INTERVAL_MS;
		expect(fetcher.mock.calls.length).toBeLessThanOrEqual(3 * perMinute + 1);
		expect(fetcher.mock.calls.length).toBeGreaterThanOrEqual(Math.floor(3 * perMinute * 0.9));
	});

	it('forged request, then rotation: the new key is known within the interval when Pliant retries every second', async () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		let published = [makeKey('k1').jwk];
		const fetcher = jest.fn(async () => ({ keys: published }));
		cache.store(BASE, { keys: published });
		clock.now += JWKS_MIN_FETCH_INTERVAL_MS;
		expect(await cache.refresh(BASE, fetcher)).toBe(true); // a forgery spends the fetch
		clock.now += 10;
		published = [...published, makeKey('k2').jwk];
		const publishedAt = clock.now;
		while (!cache.jwks(BASE).some((k) => k.kid === 'k2')) {
			clock.now += 1000;
			await cache.refresh(BASE, fetcher); // a retry of the callback signed with k2
		}
		expect(clock.now - publishedAt).toBeLessThanOrEqual(JWKS_MIN_FETCH_INTERVAL_MS + 1000);
	});

	it('a failed fetch keeps the keys held and counts for the interval', async () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		cache.store(BASE, { keys: [makeKey('k1').jwk] });
		clock.now += JWKS_MIN_FETCH_INTERVAL_MS;
		const failing = jest.fn(async () => {
			throw new Error('down');
		});
		expect(await cache.refresh(BASE, failing)).toBe(true);
		expect(cache.keys(BASE)).toHaveLength(1);
		expect(await cache.refresh(BASE, failing)).toBe(false);
		clock.now += JWKS_MIN_FETCH_INTERVAL_MS;
		expect(await cache.refresh(BASE, failing)).toBe(true);
		expect(failing).toHaveBeenCalledTimes(2);
	});

	it('an empty JWKS answer keeps the keys held', async () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		cache.store(BASE, { keys: [makeKey('k1').jwk] });
		clock.now += JWKS_MIN_FETCH_INTERVAL_MS;
		await cache.refresh(BASE, async () => ({ keys: [] }));
		expect(cache.keys(BASE)).toHaveLength(1);
	});

	it('keys count as old after the refresh interval', () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		expect(cache.isOld(BASE)).toBe(true);
		cache.store(BASE, { keys: [makeKey('k1').jwk] });
		clock.now += JWKS_REFRESH_INTERVAL_MS - 1;
		expect(cache.isOld(BASE)).toBe(false);
		clock.now += 1;
		expect(cache.isOld(BASE)).toBe(true);
	});

	it("keeps credentials apart: one credential's forged traffic does not spend another's fetch", async () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		const a = jest.fn(async () => ({ keys: [makeKey('a').jwk] }));
		const b = jest.fn(async () => ({ keys: [makeKey('b').jwk] }));
		expect(await cache.refresh(BASE, a)).toBe(true);
		expect(await cache.refresh(OTHER_BASE, b)).toBe(true);
	});
});
