// Part of the local emulator: a dev server, never published (no community-node lint rule fires here).
/**
 * Pliant's API rate limit: N requests per sliding window per client (default 900 per
 * 5 minutes). Rejected requests are not counted, so a client is let back in as soon as it
 * falls under the limit, as Pliant describes it.
 */
import { json, type Reply } from './http';
import type { EmulatorState } from './state';

/** "Sending more than 900 requests in 5 minutes is not allowed" (the contract's text for the default). */
export function rateLimitMessage(requests: number, windowMs: number): string {
	const window =
		windowMs % 60_000 === 0
			? `${windowMs / 60_000} minute${windowMs === 60_000 ? '' : 's'}`
			: windowMs % 1000 === 0
				? `${windowMs / 1000} second${windowMs === 1000 ? '' : 's'}`
				: `${windowMs} ms`;
	return `Sending more than ${requests} requests in ${window} is not allowed`;
}

/** Returns a 429 reply when `key` is over the limit, otherwise counts the request. */
export function checkRateLimit(
	state: EmulatorState,
	key: string,
	now = Date.now(),
): Reply | undefined {
	const { requests, windowMs } = state.config.rateLimit;
	const recent = (state.rateWindows.get(key) ?? []).filter((at) => at > now - windowMs);
	if (recent.length >= requests) {
		state.rateWindows.set(key, recent);
		state.counters.rateLimited++;
		const retryAfter = Math.max(1, Math.ceil((recent[0] + windowMs - now) / 1000));
		return json(
			429,
			{ error: rateLimitMessage(requests, windowMs) },
			{ 'Retry-After': String(retryAfter) },
		);
	}
	recent.push(now);
	state.rateWindows.set(key, recent);
	return undefined;
}
