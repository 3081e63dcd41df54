/**
 * Test-only: what the package keeps in the n8n process between executions (every cache is
 * registered in nodes/shared/memory.ts), forgotten between tests; and a fake clock for the
 * waits. The shipped code has no set functions for either.
 */
import { clock } from '../../nodes/shared/clock';
import { processMemory } from '../../nodes/shared/memory';

export function forgetProcessMemory(): void {
	processMemory.forgetAll();
}

/**
 * Makes the package's waits instant: each wait is recorded and moves the package's clock on
 * by as much, so time-based logic (Retry-After, pacing) behaves as if the time had passed.
 */
export function fakeWaits(waits: number[] = []): { waits: number[]; restore: () => void } {
	let offset = 0;
	const now = jest.spyOn(clock, 'now').mockImplementation(() => Date.now() + offset);
	const sleep = jest.spyOn(clock, 'sleep').mockImplementation(async (ms: number) => {
		waits.push(ms);
		offset += ms;
	});
	return {
		waits,
		restore: () => {
			now.mockRestore();
			sleep.mockRestore();
		},
	};
}
