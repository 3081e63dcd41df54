import { sleep } from 'n8n-workflow';

/**
 * Sliding-window limiter shared by every execution in this n8n process, one window per
 * credential, so a big batch waits for a free slot instead of getting 429s from Pliant.
 * Module state is deliberate: n8n runs node code in one long-lived process.
 */
export class SlidingWindowLimiter {
	private readonly windows = new Map<string, number[]>();

	constructor(
		private readonly limit: number,
		private readonly windowMs: number,
		private readonly now: () => number = () => Date.now(),
		private readonly wait: (ms: number) => Promise<void> = sleep,
	) {}

	/** Resolves once a request for `key` may be sent, and records it. */
	async acquire(key: string): Promise<void> {
		for (;;) {
			const now = this.now();
			const sent = (this.windows.get(key) ?? []).filter((at) => at > now - this.windowMs);
			if (sent.length < this.limit) {
				sent.push(now);
				this.windows.set(key, sent);
				return;
			}
			this.windows.set(key, sent);
			await this.wait(sent[0] + this.windowMs - now + 1);
		}
	}

	reset(): void {
		this.windows.clear();
	}
}
