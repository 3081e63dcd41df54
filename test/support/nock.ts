/**
 * nock set-up shared by the HTTP tests.
 *
 * - `useNock()` in a describe block (or at file level), in EVERY file that uses nock: no real
 *   network, process memory (token cache and the like) forgotten before each test, and after
 *   each test a failure for every mock it never used (`.times(n)` means exactly n requests; a
 *   `.persist()`ed mock must be used at least once) and for every request no mock answered
 *   (so a request the code must not send needs no trap mock), then the interceptors cleared; nock
 *   is switched OFF after the block. nock patches Node's `http` module, which jest shares
 *   between the test files of one worker: a file that leaves nock active (or net connect
 *   disabled) breaks the next file's requests to the local emulator.
 * - `networkError(code)`: the error for `.replyWithError(...)`. Pass an Error: nock 14 never
 *   settles the request when given a plain object.
 * - `recordBackoff()`: makes the package's waits instant and records them, so retry tests
 *   assert the delays (Retry-After, backoff, rate-limit pauses) without waiting or timing anything.
 */
import nock from 'nock';

import { fakeWaits, forgetProcessMemory } from './process-memory';

/** What nock's "no match" event hands over (a request or its options), as far as it is read. */
interface RequestLike {
	method?: string;
	hostname?: string;
	host?: string;
	path?: string;
}

export function useNock(): void {
	const unmatched: string[] = [];
	const onNoMatch = (req: RequestLike, options?: RequestLike) => {
		const request = options ?? req;
		unmatched.push(`${request.method ?? 'a request'} ${request.hostname ?? request.host ?? ''}${request.path ?? ''}`);
	};
	beforeAll(() => {
		if (!nock.isActive()) nock.activate();
		nock.disableNetConnect();
		nock.emitter.on('no match', onNoMatch);
	});
	beforeEach(() => {
		forgetProcessMemory();
		unmatched.length = 0;
	});
	afterEach(() => {
		const unused = nock.pendingMocks();
		const unexpected = [...new Set(unmatched)];
		nock.abortPendingRequests();
		nock.cleanAll();
		const problems = [
			...(unused.length > 0 ? [`mocks this test did not use up: ${unused.join(', ')}`] : []),
			...(unexpected.length > 0 ? [`requests no mock answered: ${unexpected.join(', ')}`] : []),
		];
		if (problems.length > 0) throw new Error(problems.join('; '));
	});
	afterAll(() => {
		nock.emitter.removeListener('no match', onNoMatch);
		nock.enableNetConnect();
		nock.restore();
	});
}

export function networkError(code: string, message = `${code}: simulated network failure`): Error {
	return Object.assign(new Error(message), { code });
}

/** Records every backoff wait instead of sleeping; restored after each test. */
export function recordBackoff(): number[] {
	const waits: number[] = [];
	let restore = () => undefined as void;
	beforeEach(() => {
		waits.length = 0;
		restore = fakeWaits(waits).restore;
	});
	afterEach(() => restore());
	return waits;
}
