import { sleep } from 'n8n-workflow';

/**
 * Time as the package reads and waits on it. One object, so that tests replace it with a fake
 * (`jest.spyOn(clock, 'sleep')`) instead of the package shipping set/reset functions.
 */
export const clock = {
	now: (): number => Date.now(),
	sleep: async (ms: number): Promise<void> => await sleep(ms),
};
