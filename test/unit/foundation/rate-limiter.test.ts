/**
 * The client-side limiter with an injected clock: the "wait" advances the clock instead of
 * sleeping, so the tests are exact and instant.
 */
import { RATE_LIMIT } from '../../../nodes/shared/contract';
import { SlidingWindowLimiter } from '../../../nodes/shared/rate-limiter';

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

describe('SlidingWindowLimiter', () => {
	it('lets `limit` requests through at once, then waits until the oldest leaves the window', async () => {
		const clock = fakeClock();
		const limiter = new SlidingWindowLimiter(3, 1000, clock.read, clock.wait);
		const sentAt: number[] = [];
		for (let index = 0; index < 4; index++) {
			await limiter.acquire('credential-a');
			sentAt.push(clock.now);
		}
		expect(sentAt.slice(0, 3)).toEqual([1_000_000, 1_000_000, 1_000_000]);
		expect(clock.waits).toEqual([1001]);
		expect(sentAt[3]).toBe(1_001_001);
	});

	it('keeps a window per key: one credential does not slow down another', async () => {
		const clock = fakeClock();
		const limiter = new SlidingWindowLimiter(2, 1000, clock.read, clock.wait);
		await limiter.acquire('a');
		await limiter.acquire('a');
		await limiter.acquire('b');
		await limiter.acquire('b');
		expect(clock.waits).toEqual([]);
		await limiter.acquire('a');
		expect(clock.waits).toHaveLength(1);
	});

	it('frees slots as time passes without any wait', async () => {
		const clock = fakeClock();
		const limiter = new SlidingWindowLimiter(2, 1000, clock.read, clock.wait);
		await limiter.acquire('a');
		clock.now += 600;
		await limiter.acquire('a');
		clock.now += 500; // the first request left the window
		await limiter.acquire('a');
		expect(clock.waits).toEqual([]);
	});

	it('forgets everything on reset', async () => {
		const clock = fakeClock();
		const limiter = new SlidingWindowLimiter(1, 1000, clock.read, clock.wait);
		await limiter.acquire('a');
		limiter.reset();
		await limiter.acquire('a');
		expect(clock.waits).toEqual([]);
	});

	it("keeps 1,000 requests under Pliant's 900 per 5 minutes in every window", async () => {
		const clock = fakeClock();
		// The transport's setting: 98% of Pliant's limit, leaving room for the partner's other tools.
		const limit = Math.floor(RATE_LIMIT.requests * 0.98);
		const limiter = new SlidingWindowLimiter(limit, RATE_LIMIT.windowMs, clock.read, clock.wait);
		const sentAt: number[] = [];
		for (let index = 0; index < 1000; index++) {
			await limiter.acquire('a');
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
		const limiter = new SlidingWindowLimiter(5, 1000, () => now, wait);
		const sentAt: number[] = [];
		const callers = Promise.all(
			Array.from({ length: 12 }, async () => {
				await limiter.acquire('a');
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
