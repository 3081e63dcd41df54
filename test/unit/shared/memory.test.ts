import { clock } from '../../../nodes/shared/clock';
import { boundedMap, processMemory } from '../../../nodes/shared/memory';
import { forgetProcessMemory } from '../../support/process-memory';

// Loaded for their registrations: every process-wide cache of the package.
import { credentialBindings } from '../../../nodes/PliantTrigger/credential-binding';
import { recentIdsFor } from '../../../nodes/PliantTrigger/dedup';
import { rejectionLog } from '../../../nodes/PliantTrigger/rejection-log';
import { jwksCache } from '../../../nodes/PliantTrigger/jwks-cache';
import { limiterFor } from '../../../nodes/shared/http/rate-limiter';
import { tokenCache } from '../../../nodes/shared/http/token-cache';
import '../../../nodes/PliantOnboardingStatusTrigger/poll';
// registered when loaded: the caches of the trigger's sample events and the partner-ID resolver
import '../../../nodes/PliantTrigger/sample-delivery';
import '../../../nodes/shared/onboarding/partner-organization';

describe('boundedMap', () => {
	it('forgets the oldest written entry beyond its bound', () => {
		const map = boundedMap<string, number>('t', { max: 2 });
		map.set('a', 1);
		map.set('b', 2);
		map.set('a', 3); // rewritten: now the newest
		map.set('c', 4);
		expect(map.has('b')).toBe(false);
		expect([map.get('a'), map.get('c'), map.size]).toEqual([3, 4, 2]);
	});

	it('does not reorder on get or has', () => {
		const map = boundedMap<string, number>('t', { max: 2 });
		map.set('a', 1);
		map.set('b', 2);
		map.get('a');
		map.has('a');
		map.set('c', 3);
		expect(map.has('a')).toBe(false);
	});

	it('counts an entry older than its ttl as absent', () => {
		let now = 1_000;
		const spy = jest.spyOn(clock, 'now').mockImplementation(() => now);
		const map = boundedMap<string, number>('t', { max: 5, ttlMs: 100 });
		map.set('a', 1);
		now += 99;
		expect(map.get('a')).toBe(1);
		now += 1;
		expect(map.has('a')).toBe(false);
		expect(map.size).toBe(0);
		spy.mockRestore();
	});

	it('holds a falsy value as present', () => {
		const map = boundedMap<string, number>('t', { max: 1 });
		map.set('zero', 0);
		expect(map.has('zero')).toBe(true);
	});
});

describe('processMemory', () => {
	it('tells a cache of an entry it drops by itself (bound, clear), so work it owns can stop', () => {
		const stopped: string[] = [];
		const cache = processMemory.create<string, string>('test owned work', { max: 1, onForget: (value: string) => stopped.push(value) });
		cache.set('a', 'first');
		cache.set('b', 'second');
		expect(stopped).toEqual(['first']);
		cache.delete('b');
		expect(stopped).toEqual(['first']);
		cache.set('c', 'third');
		cache.clear();
		expect(stopped).toEqual(['first', 'third']);
	});

	it('one cache never evicts another cache\'s entries', () => {
		const first = processMemory.create<string, number>('test first', { max: 1 });
		const second = processMemory.create<string, number>('test second', { max: 1 });
		first.set('kept', 1);
		second.set('x', 1);
		second.set('y', 2);
		expect(first.get('kept')).toBe(1);
		expect(second.has('x')).toBe(false);
	});

	it('registers every process-wide cache of the package in one place', () => {
		expect(processMemory.names()).toEqual(
			expect.arrayContaining([
				'recent callback ids',
				'rejection log',
				'credential bindings',
				'credential re-reads',
				'signing keys',
				'signing key objects',
				'tokens',
				'rate limiters',
				'polls under way',
				'sample events',
				'partner organization IDs',
			]),
		);
	});

	it('forgets all of it in one call', async () => {
		recentIdsFor('wf|node|webhook').add('cb-1');
		expect(rejectionLog.line('wf|node', 'first')).toBe('first');
		expect(rejectionLog.line('wf|node', 'second')).toBeUndefined();
		jwksCache.seed('account', { keys: [{ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }] });
		const limiter = limiterFor('https://api.example', 'client', 10, 1_000);
		await tokenCache.token('client', '', async () => ({ accessToken: 'token-1' }));
		const context = { getCredentials: async () => ({ environment: 'custom', baseUrl: 'https://api.example', clientId: 'c' }) };
		await credentialBindings.read(context as never, 'cred-1');

		forgetProcessMemory();

		expect(recentIdsFor('wf|node|webhook').has('cb-1')).toBe(false);
		expect(rejectionLog.line('wf|node', 'again')).toBe('again');
		expect(jwksCache.keys('account')).toBeUndefined();
		expect(limiterFor('https://api.example', 'client', 10, 1_000)).not.toBe(limiter);
		expect(await tokenCache.token('client', '', async () => ({ accessToken: 'token-2' }))).toBe('token-2');
		let reads = 0;
		const counting = { getCredentials: async () => (reads++, { environment: 'custom', baseUrl: 'https://api.example', clientId: 'c' }) };
		await credentialBindings.current(counting as never, 'cred-1');
		expect(reads).toBe(1);
	});
});
