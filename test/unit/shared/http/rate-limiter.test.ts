/**
 * The client-side limiter with an injected clock: the "wait" advances the clock instead of
 * sleeping, so the tests are exact and instant.
 */
import { RATE_LIMIT } from '../../../../nodes/shared/contract';
import { AdaptiveRateLimiter, limiterFor, rateLimiters } from '../../../../nodes/shared/http/rate-limiter';

function fakeClock(start = 1_000_000) {
	const clock = {
		now: start,
		waits: [] as number[],
		read: () => clock.now,
		wait: async (ms: number) => {
			clock.waits.push(ms);
			clock.now += ms;
		},
	};
	return clock;
}

describe('AdaptiveRateLimiter: the sliding window', () => {
	it('lets `limit` requests through at once, then waits until the oldest leaves the window', async () => {
		const clock = fakeClock();
		const limiter = new AdaptiveRateLimiter(3, 1000, clock.read, clock.wait);
		const sentAt: number[] = [];
		for (let index = 0; index < 4; index++) {
			await limiter.acquire();
			sentAt.push(clock.now);
		}
		expect(sentAt.slice(0, 3)).toEqual([1_000_000, 1_000_000, 1_000_000]);
		expect(clock.waits).toEqual([1001]);
		expect(sentAt[3]).toBe(1_001_001);
	});

	it('keeps one limiter per credential: one credential does not slow down another', () => {
		rateLimiters.clear();
		const a = limiterFor('https://a.test/api', 'client-1', 900, 300_000);
		expect(limiterFor('https://a.test/api', 'client-1', 900, 300_000)).toBe(a);
		expect(limiterFor('https://a.test/api', 'client-2', 900, 300_000)).not.toBe(a);
		expect(limiterFor('https://b.test/api', 'client-1', 900, 300_000)).not.toBe(a);
		rateLimiters.clear();
	});

	it('frees slots as time passes without any wait', async () => {
		const clock = fakeClock();
		const limiter = new AdaptiveRateLimiter(2, 1000, clock.read, clock.wait);
		await limiter.acquire();
		clock.now += 600;
		await limiter.acquire();
		clock.now += 500; // the first request left the window
		await limiter.acquire();
		expect(clock.waits).toEqual([]);
	});

	it("keeps 1,000 requests under Pliant's 900 per 5 minutes in every window", async () => {
		const clock = fakeClock();
		// The transport's setting: 98% of Pliant's limit, leaving room for the partner's other tools.
		const limit = Math.floor(RATE_LIMIT.requests * 0.98);
		const limiter = new AdaptiveRateLimiter(limit, RATE_LIMIT.windowMs, clock.read, clock.wait);
		const sentAt: number[] = [];
		for (let index = 0; index < 1000; index++) {
			await limiter.acquire();
			sentAt.push(clock.now);
			clock.now += 10; // a request every 10 ms: far faster than allowed
		}
		for (let first = 0; first < sentAt.length; first++) {
			const inWindow = sentAt.filter(
				(at) => at >= sentAt[first] && at < sentAt[first] + RATE_LIMIT.windowMs,
			);
			expect(inWindow.length).toBeLessThanOrEqual(limit);
		}
		expect(limit).toBeLessThan(RATE_LIMIT.requests);
		expect(clock.waits.length).toBeGreaterThan(0);
	});

	it('serves concurrent callers without exceeding the limit', async () => {
		// Timers that fire in time order, so concurrent waiters wake together as with a real clock.
		let now = 0;
		const timers: Array<{ at: number; fire: () => void }> = [];
		const wait = async (ms: number) =>
			await new Promise<void>((fire) => timers.push({ at: now + ms, fire }));
		const limiter = new AdaptiveRateLimiter(5, 1000, () => now, wait);
		const sentAt: number[] = [];
		const callers = Promise.all(
			Array.from({ length: 12 }, async () => {
				await limiter.acquire();
				sentAt.push(now);
			}),
		);
		const settle = async () => {
			for (let round = 0; round < 20; round++) await Promise.resolve();
		};
		await settle();
		while (timers.length > 0) {
			timers.sort((a, b) => a.at - b.at);
			const due = timers[0].at;
			now = due;
			for (const timer of timers.splice(0, timers.filter((t) => t.at === due).length)) timer.fire();
			await settle();
		}
		await callers;
		expect(sentAt).toHaveLength(12);
		expect(sentAt.filter((at) => at === 0)).toHaveLength(5);
		for (const start of sentAt) {
			expect(sentAt.filter((at) => at >= start && at < start + 1000).length).toBeLessThanOrEqual(5);
		}
	});
});

/** Timers that fire in time order, so concurrent waiters wake together as with a real clock. */
function timerClock() {
	const state = { now: 0 };
	const timers: Array<{ at: number; fire: () => void }> = [];
	const wait = async (ms: number) => await new Promise<void>((fire) => timers.push({ at: state.now + ms, fire }));
	const settle = async () => {
		for (let round = 0; round < 20; round++) await Promise.resolve();
	};
	/** Runs the timers in time order until `work` has settled. */
	async function runUntilDone(work: Promise<unknown>) {
		let finished = false;
		void work.finally(() => (finished = true));
		while (!finished) {
			await settle();
			if (timers.length === 0) continue;
			timers.sort((a, b) => a.at - b.at);
			const due = timers[0].at;
			state.now = due;
			for (const timer of timers.splice(0, timers.filter((t) => t.at === due).length)) timer.fire();
		}
		await work;
	}
	return { state, read: () => state.now, wait, runUntilDone };
}

describe('AdaptiveRateLimiter: after a 429', () => {
	it('holds every request of the credential until Retry-After, then spaces them at the average rate', async () => {
		const clock = timerClock();
		const limiter = new AdaptiveRateLimiter(900, 300_000, clock.read, clock.wait);
		limiter.rateLimited(10_000);
		const sentAt: number[] = [];
		const callers = Promise.all(
			Array.from({ length: 5 }, async () => {
				await limiter.acquire();
				sentAt.push(clock.state.now);
			}),
		);
		await clock.runUntilDone(callers);
		expect(sentAt[0]).toBe(10_000);
		const spacing = Math.ceil(300_000 / 900);
		expect(sentAt).toEqual([0, 1, 2, 3, 4].map((i) => 10_000 + i * spacing));
		expect(limiter.isThrottled()).toBe(true);
	});

	it('stops pacing one window after the pause', async () => {
		const clock = timerClock();
		const limiter = new AdaptiveRateLimiter(900, 300_000, clock.read, clock.wait);
		limiter.rateLimited(1_000);
		clock.state.now = 301_001;
		expect(limiter.isThrottled()).toBe(false);
		const sentAt: number[] = [];
		for (let i = 0; i < 3; i++) {
			await limiter.acquire();
			sentAt.push(clock.state.now);
		}
		expect(sentAt).toEqual([301_001, 301_001, 301_001]);
	});

	it('a 1,000-request run into a window that is 80% used elsewhere: after the first 429, Pliant\'s limit is never exceeded', async () => {
		// Pliant's side: 720 requests from before a restart, all at time 0; a sliding window of 900 / 300 s.
		const limit = 900;
		const windowMs = 300_000;
		const server: number[] = Array.from({ length: 720 }, () => 0);
		const clock = timerClock();
		clock.state.now = 1_000;
		const limiter = new AdaptiveRateLimiter(Math.floor(limit * 0.98), windowMs, clock.read, clock.wait);
		let rejected = 0;
		let rejectedAfterFirst = 0;
		const send = (): { ok: boolean; retryAfterMs?: number } => {
			const now = clock.state.now;
			const inWindow = server.filter((at) => at > now - windowMs);
			if (inWindow.length >= limit) {
				rejected++;
				return { ok: false, retryAfterMs: Math.max(1000, Math.ceil((inWindow[0] + windowMs - now) / 1000) * 1000) };
			}
			server.push(now);
			return { ok: true };
		};
		let firstRejectionAt: number | undefined;
		let done = 0;
		// four items in flight at once, as Create Lead does
		const queue = Array.from({ length: 1000 }, (_, i) => i);
		const worker = async () => {
			while (queue.length > 0) {
				queue.shift();
				for (;;) {
					await limiter.acquire();
					const answer = send();
					if (answer.ok) break;
					if (firstRejectionAt === undefined) firstRejectionAt = clock.state.now;
					else if (clock.state.now > firstRejectionAt) rejectedAfterFirst++;
					limiter.rateLimited(answer.retryAfterMs ?? 1000);
				}
				done++;
			}
		};
		const workers = Promise.all(Array.from({ length: 4 }, worker));
		await clock.runUntilDone(workers);
		expect(done).toBe(1000);
		expect(rejected).toBeGreaterThanOrEqual(1);
		expect(rejectedAfterFirst).toBe(0);
		for (const start of server) {
			expect(server.filter((at) => at >= start && at < start + windowMs).length).toBeLessThanOrEqual(limit);
		}
	});
});

describe('AdaptiveRateLimiter: room for calls that may be skipped (partner-ID lookups)', () => {
	it('has room while less than the share of the window is used, and none once it is, until the window moves on', async () => {
		const clock = fakeClock();
		const limiter = new AdaptiveRateLimiter(10, 1000, clock.read, clock.wait);
		for (let index = 0; index < 4; index++) await limiter.acquire();
		expect(limiter.hasRoom(0.5)).toBe(true);
		await limiter.acquire();
		expect(limiter.hasRoom(0.5)).toBe(false);
		clock.now += 1001;
		expect(limiter.hasRoom(0.5)).toBe(true);
	});

	it('has no room while requests are held or paced after a 429', () => {
		const clock = fakeClock();
		const limiter = new AdaptiveRateLimiter(10, 1000, clock.read, clock.wait);
		limiter.rateLimited(500);
		expect(limiter.hasRoom(0.5)).toBe(false);
		clock.now += 500 + 1000;
		expect(limiter.hasRoom(0.5)).toBe(true);
	});
});
