/**
 * nock set-up shared by the HTTP tests.
 *
 * - `useNock()` in a describe block (or at file level): no real network, interceptors cleared
 *   after each test, and nock switched OFF after the file. nock patches Node's `http` module,
 *   which jest shares between the test files of one worker: a file that leaves nock active
 *   (or net connect disabled) breaks the next file's requests to the local emulator.
 * - `networkError(code)`: the error for `.replyWithError(...)`. Pass an Error: nock 14 never
 *   settles the request when given a plain object.
 * - `recordBackoff()`: makes the package's waits instant and records them, so retry tests
 *   assert the delays (Retry-After, backoff, rate-limit pauses) without waiting or timing anything.
 */
import nock from 'nock';

import { fakeWaits, forgetProcessMemory } from './process-memory';

export function useNock(): void {
	beforeAll(() => {
		if (!nock.isActive()) nock.activate();
		nock.disableNetConnect();
	});
	beforeEach(() => forgetProcessMemory());
	afterEach(() => {
		nock.abortPendingRequests();
		nock.cleanAll();
	});
	afterAll(() => {
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
