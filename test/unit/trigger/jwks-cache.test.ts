import { JWKS_REFETCH_INTERVAL_MS, JwksCache, usableJwks } from '../../../nodes/PliantTrigger/jwks-cache';
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

describe('JwksCache', () => {
	it('stores keys per API base', () => {
		const cache = new JwksCache();
		const key = makeKey('k1');
		cache.store(BASE, { keys: [key.jwk] }, T0);
		expect(cache.keys(BASE)).toHaveLength(1);
		expect(cache.keys(OTHER_BASE)).toBeUndefined();
		expect(cache.jwks(BASE)).toEqual([key.jwk]);
	});

	it('builds each KeyObject once and reuses it', () => {
		const cache = new JwksCache();
		const key = makeKey('k1');
		const first = cache.store(BASE, { keys: [key.jwk] }, T0);
		const second = cache.store(BASE, { keys: [key.jwk] }, T0 + 1);
		expect(second[0]).toBe(first[0]);
	});

	it('skips a JWKS entry that is not a valid Ed25519 point', () => {
		const cache = new JwksCache();
		const key = makeKey('k1');
		cache.store(BASE, { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'AAAA', kid: 'short' }, key.jwk] }, T0);
		expect(cache.keys(BASE)).toHaveLength(1);
	});

	it('allows a refetch at most once per interval', async () => {
		const cache = new JwksCache();
		const fetcher = jest.fn(async () => ({ keys: [makeKey('k2').jwk] }));
		cache.store(BASE, { keys: [makeKey('k1').jwk] }, T0);

		expect(await cache.refetch(BASE, fetcher, T0 + 1000)).toBeUndefined();
		expect(fetcher).not.toHaveBeenCalled();

		expect(await cache.refetch(BASE, fetcher, T0 + JWKS_REFETCH_INTERVAL_MS)).toHaveLength(1);
		expect(fetcher).toHaveBeenCalledTimes(1);

		expect(await cache.refetch(BASE, fetcher, T0 + JWKS_REFETCH_INTERVAL_MS + 59_000)).toBeUndefined();
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('fetches right away when the base has no keys yet, and shares one request between concurrent callers', async () => {
		const cache = new JwksCache();
		let release: () => void = () => {};
		const gate = new Promise<void>((resolve) => (release = resolve));
		const fetcher = jest.fn(async () => {
			await gate;
			return { keys: [makeKey('k1').jwk] };
		});
		const calls = [cache.refetch(BASE, fetcher, T0), cache.refetch(BASE, fetcher, T0), cache.refetch(BASE, fetcher, T0)];
		release();
		const results = await Promise.all(calls);
		expect(fetcher).toHaveBeenCalledTimes(1);
		for (const result of results) expect(result).toHaveLength(1);
	});

	it('counts a failed fetch, so an outage is asked once a minute, not per callback', async () => {
		const cache = new JwksCache();
		const failing = jest.fn(async () => {
			throw new Error('503');
		});
		await expect(cache.refetch(BASE, failing, T0)).rejects.toThrow('503');
		expect(await cache.refetch(BASE, failing, T0 + 10_000)).toBeUndefined();
		expect(failing).toHaveBeenCalledTimes(1);
		await expect(cache.refetch(BASE, failing, T0 + JWKS_REFETCH_INTERVAL_MS)).rejects.toThrow('503');
		expect(failing).toHaveBeenCalledTimes(2);
	});

	it('seeds from a stored copy without counting as a fetch', async () => {
		const cache = new JwksCache();
		const key = makeKey('k1');
		expect(cache.seed(BASE, { keys: [key.jwk] })).toHaveLength(1);
		expect(cache.canRefetch(BASE, T0)).toBe(true);
		const fetcher = jest.fn(async () => ({ keys: [makeKey('k2').jwk] }));
		expect(await cache.refetch(BASE, fetcher, T0)).toHaveLength(1);
		expect(fetcher).toHaveBeenCalledTimes(1);
	});

	it('does not let a seed replace fetched keys', () => {
		const cache = new JwksCache();
		const fetched = makeKey('fresh');
		cache.store(BASE, { keys: [fetched.jwk] }, T0);
		cache.seed(BASE, { keys: [makeKey('old').jwk] });
		expect(cache.jwks(BASE)).toEqual([fetched.jwk]);
	});

	it('returns nothing for an empty seed', () => {
		expect(new JwksCache().seed(BASE, { keys: [] })).toBeUndefined();
	});
});
