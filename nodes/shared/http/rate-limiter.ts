import { clock } from '../clock';
import { processMemory } from '../memory';
import { accountKey } from '../identity';

/**
 * The request budget of one credential, shared by every execution in this n8n process (module
 * state is deliberate: n8n runs node code in one long-lived process).
 *
 * - A sliding window of what this process sent keeps a big batch under the limit.
 * - A 429 is information: Pliant counts traffic this process cannot see (an earlier run before
 *   a restart, another worker, the partner's other tools). Nothing is sent until Retry-After
 *   has passed, and for the rest of that window requests are spaced evenly at the limit's
 *   average rate instead of in a burst, so the window cannot be overrun a second time.
 */
export class AdaptiveRateLimiter {
	/** Send times (ms) within the last window, oldest first. */
	private sent: number[] = [];

	private blockedUntil = 0;

	private pacedUntil = 0;

	private lastSentAt = Number.NEGATIVE_INFINITY;

	constructor(
		private readonly limit: number,
		private readonly windowMs: number,
		private readonly now: () => number = () => clock.now(),
		private readonly wait: (ms: number) => Promise<void> = async (ms) => await clock.sleep(ms),
	) {}

	/** Resolves once a request may be sent, and records it. */
	async acquire(): Promise<void> {
		for (;;) {
			const now = this.now();
			const at = this.earliest(now);
			if (at <= now) {
				this.sent.push(now);
				this.lastSentAt = now;
				return;
			}
			await this.wait(at - now);
		}
	}

	/** Pliant answered 429: hold every request of this credential for `pauseMs`, then pace them. */
	rateLimited(pauseMs: number): void {
		const now = this.now();
		this.blockedUntil = Math.max(this.blockedUntil, now + Math.max(0, pauseMs));
		this.pacedUntil = Math.max(this.pacedUntil, this.blockedUntil + this.windowMs);
	}

	/**
	 * Whether a request that may be skipped should go now: nothing held or paced after a 429,
	 * and less than `share` of the window used, so that such requests never make others wait.
	 */
	hasRoom(share: number): boolean {
		const now = this.now();
		return !this.isThrottled(now) && this.earliest(now) <= now && this.sent.length < Math.floor(this.limit * share);
	}

	/** Whether requests are being held or paced after a 429. */
	isThrottled(now: number = this.now()): boolean {
		return now < this.pacedUntil;
	}

	private earliest(now: number): number {
		const windowStart = now - this.windowMs;
		let drop = 0;
		while (drop < this.sent.length && this.sent[drop] <= windowStart) drop++;
		if (drop > 0) this.sent = this.sent.slice(drop);

		let at = Math.max(now, this.blockedUntil);
		if (this.sent.length >= this.limit) at = Math.max(at, this.sent[this.sent.length - this.limit] + this.windowMs + 1);
		if (now < this.pacedUntil) at = Math.max(at, this.lastSentAt + Math.ceil(this.windowMs / this.limit));
		return at;
	}
}

/** One limiter per credential (API base, client, limit): all executions of this process share it. */
export const rateLimiters = processMemory.create<string, AdaptiveRateLimiter>('rate limiters', { max: 1_000 });

export function limiterFor(baseUrl: string, clientId: string, requests: number, windowMs: number): AdaptiveRateLimiter {
	const key = `${accountKey({ baseUrl, clientId })}|${requests}/${windowMs}`;
	let limiter = rateLimiters.get(key);
	if (!limiter) {
		// Stay a little under the limit: the partner's other tools share it.
		limiter = new AdaptiveRateLimiter(Math.max(1, Math.floor(requests * 0.98)), windowMs);
		rateLimiters.set(key, limiter);
	}
	return limiter;
}
