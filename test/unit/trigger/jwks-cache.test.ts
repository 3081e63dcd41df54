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

/**
 * A fake clock: `sleep` registers a timer; `advance` moves time and runs the timers that are due,
 * letting the promises they start settle.
 */
function fakeClock(start = T0) {
	const timers: Array<{ at: number; resolve: () => void }> = [];
	const clock = {
		now: start,
		read: () => clock.now,
		sleep: async (ms: number) => await new Promise<void>((resolve) => timers.push({ at: clock.now + ms, resolve })),
		async advance(ms: number) {
			const until = clock.now + ms;
			for (;;) {
				timers.sort((a, b) => a.at - b.at);
				const next = timers[0];
				if (!next || next.at > until) break;
				timers.shift();
				clock.now = next.at;
				next.resolve();
				await flush();
			}
			clock.now = until;
			await flush();
		},
	};
	return clock;
}

async function flush(): Promise<void> {
	for (let i = 0; i < 10; i++) await Promise.resolve();
}

function cacheWith(clock: ReturnType<typeof fakeClock>) {
	return new JwksCache({ now: clock.read, sleep: clock.sleep });
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
		cache.requestRefresh(BASE, fetcher);
		expect(fetcher).toHaveBeenCalledTimes(1);
		await flush();
		expect(cache.jwks(BASE)[0].kid).toBe('k2');
	});

	it('never lets a caller wait: the request returns before the fetch ends', () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		const never = jest.fn(() => new Promise<unknown>(() => undefined));
		const started = Date.now();
		for (let i = 0; i < 50; i++) cache.requestRefresh(BASE, never);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(never).toHaveBeenCalledTimes(1);
	});

	it('fetches at most once per interval, whatever the number of requests', async () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		const fetcher = jest.fn(async () => ({ keys: [makeKey('k1').jwk] }));
		// 100 failed checks a minute, for 3 minutes
		for (let i = 0; i < 300; i++) {
			cache.requestRefresh(BASE, fetcher);
			await clock.advance(600);
		}
		const perMinute = 60_000 / JWKS_MIN_FETCH_INTERVAL_MS;
		expect(fetcher.mock.calls.length).toBeLessThanOrEqual(3 * perMinute + 1);
		expect(fetcher.mock.calls.length).toBeGreaterThanOrEqual(3 * perMinute - 1);
	});

	it('a request inside the interval plans one fetch for when the interval ends', async () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		const fetcher = jest.fn(async () => ({ keys: [makeKey('k1').jwk] }));
		cache.store(BASE, { keys: [makeKey('k0').jwk] });
		await clock.advance(1000);
		cache.requestRefresh(BASE, fetcher);
		cache.requestRefresh(BASE, fetcher);
		expect(fetcher).not.toHaveBeenCalled();
		await clock.advance(JWKS_MIN_FETCH_INTERVAL_MS - 1001);
		expect(fetcher).not.toHaveBeenCalled();
		await clock.advance(1);
		expect(fetcher).toHaveBeenCalledTimes(1);
		expect(cache.jwks(BASE)[0].kid).toBe('k1');
		await clock.advance(60_000);
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('forged request, then rotation: the new key is known within the interval of the publication', async () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		let published = [makeKey('k1').jwk];
		const fetcher = jest.fn(async () => ({ keys: published }));
		cache.store(BASE, { keys: published });
		await clock.advance(JWKS_MIN_FETCH_INTERVAL_MS);
		cache.requestRefresh(BASE, fetcher); // a forgery spends the fetch
		await clock.advance(10);
		published = [...published, makeKey('k2').jwk];
		const publishedAt = clock.now;
		// Pliant's callback signed with k2 fails, then is retried every second
		while (!cache.jwks(BASE).some((k) => k.kid === 'k2')) {
			cache.requestRefresh(BASE, fetcher);
			await clock.advance(1000);
		}
		expect(clock.now - publishedAt).toBeLessThanOrEqual(JWKS_MIN_FETCH_INTERVAL_MS);
	});

	it('a failed fetch keeps the keys held and counts for the interval', async () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		cache.store(BASE, { keys: [makeKey('k1').jwk] });
		await clock.advance(JWKS_MIN_FETCH_INTERVAL_MS);
		const failing = jest.fn(async () => {
			throw new Error('down');
		});
		await cache.requestRefresh(BASE, failing);
		expect(cache.keys(BASE)).toHaveLength(1);
		cache.requestRefresh(BASE, failing);
		expect(failing).toHaveBeenCalledTimes(1);
		await clock.advance(JWKS_MIN_FETCH_INTERVAL_MS);
		expect(failing).toHaveBeenCalledTimes(2);
	});

	it('an empty JWKS answer keeps the keys held', async () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		cache.store(BASE, { keys: [makeKey('k1').jwk] });
		await clock.advance(JWKS_MIN_FETCH_INTERVAL_MS);
		await cache.requestRefresh(BASE, async () => ({ keys: [] }));
		expect(cache.keys(BASE)).toHaveLength(1);
	});

	it('refreshes keys older than the refresh interval, and only those', async () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		const fetcher = jest.fn(async () => ({ keys: [makeKey('k2').jwk] }));
		cache.store(BASE, { keys: [makeKey('k1').jwk] });
		await clock.advance(JWKS_REFRESH_INTERVAL_MS - 1);
		cache.refreshIfOld(BASE, fetcher);
		expect(fetcher).not.toHaveBeenCalled();
		await clock.advance(1);
		cache.refreshIfOld(BASE, fetcher);
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('keeps credentials apart: one credential\'s forged traffic does not spend another\'s fetch', async () => {
		const clock = fakeClock();
		const cache = cacheWith(clock);
		const a = jest.fn(async () => ({ keys: [makeKey('a').jwk] }));
		const b = jest.fn(async () => ({ keys: [makeKey('b').jwk] }));
		cache.requestRefresh(BASE, a);
		cache.requestRefresh(OTHER_BASE, b);
		expect(a).toHaveBeenCalledTimes(1);
		expect(b).toHaveBeenCalledTimes(1);
	});
});
