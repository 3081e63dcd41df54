/** Thrown when a wait ends because n8n stopped the run; failureFacts() reads it as `cancelled`. */
export class RunCancelledError extends Error {
	override name = 'AbortError';

	constructor() {
		super('The run was stopped');
	}
}

/**
 * n8n's signal for "this execution was stopped", on lines that offer it (both 1.123 and 2.x do
 * for executions; hooks and load-options contexts do not).
 */
export function cancelSignalOf(context: object): AbortSignal | undefined {
	const get = (context as { getExecutionCancelSignal?: () => AbortSignal | undefined }).getExecutionCancelSignal;
	return typeof get === 'function' ? get.call(context) : undefined;
}

/** Resolves with `wait`, or rejects with RunCancelledError as soon as the run is stopped. */
export async function untilCancelled<T>(wait: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
	if (!signal) return await wait;
	if (signal.aborted) throw new RunCancelledError();
	let onAbort: () => void = () => undefined;
	const aborted = new Promise<never>((_, reject) => {
		onAbort = () => reject(new RunCancelledError());
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([wait, aborted]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
