import * as workflow from 'n8n-workflow';

type AbortableSleep = (ms: number, signal: AbortSignal) => Promise<void>;

/**
 * n8n's wait that clears its timer when the signal aborts: `sleep(ms, signal)` on 2.x,
 * `sleepWithAbort` on 1.x (whose `sleep` ignores a signal). Both reject on abort.
 */
const abortableSleep: AbortableSleep =
	(Reflect.get(workflow, 'sleepWithAbort') as AbortableSleep | undefined) ?? (workflow.sleep as AbortableSleep);

/** Waits `ms`, or less when the signal aborts first; never throws (the caller reads the signal). */
async function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
	if (signal.aborted) return;
	let onAbort: () => void = () => undefined;
	const aborted = new Promise<void>((resolve) => {
		onAbort = resolve;
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([abortableSleep(ms, signal).catch(() => undefined), aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/**
 * Time as the package reads and waits on it. One object, so that tests replace it with a fake
 * (`jest.spyOn(clock, 'sleep')`) instead of the package shipping set/reset functions.
 * With a signal, a wait ends (and its timer is cleared) as soon as the signal aborts.
 */
export const clock = {
	now: (): number => Date.now(),
	sleep: async (ms: number, signal?: AbortSignal): Promise<void> =>
		signal ? await sleepUnlessAborted(ms, signal) : await workflow.sleep(ms),
};
