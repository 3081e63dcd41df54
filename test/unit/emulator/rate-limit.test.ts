import { rateLimitMessage } from '../../../emulator/rate-limit';
import { CREDENTIALS, Harness, httpCall } from './helpers';

describe('emulator: API rate limit', () => {
	it('uses the contract message for the default limit', () => {
		expect(rateLimitMessage(900, 300_000)).toBe(
			'Sending more than 900 requests in 5 minutes is not allowed',
		);
		expect(rateLimitMessage(3, 60_000)).toBe(
			'Sending more than 3 requests in 1 minute is not allowed',
		);
		expect(rateLimitMessage(5, 10_000)).toBe(
			'Sending more than 5 requests in 10 seconds is not allowed',
		);
	});

	describe('scaled down to 3 requests per minute', () => {
		let harness: Harness;

		beforeEach(async () => {
			harness = await Harness.start({ rateLimit: { requests: 3, windowMs: 60_000 } });
		});
		afterEach(() => harness.stop());

		it('answers 429 with Retry-After once the client is over the limit, and counts it', async () => {
			for (let index = 0; index < 3; index++)
				expect((await harness.api('GET', '/subscriptions')).status).toBe(200);
			const limited = await harness.api('GET', '/organizations');
			expect(limited.status).toBe(429);
			expect(limited.body).toEqual({
				error: 'Sending more than 3 requests in 1 minute is not allowed',
			});
			expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
			expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
			await harness.api('GET', '/subscriptions');
			const state = await harness.control('GET', '/state');
			expect(state.body.counters.rateLimited).toBe(2);
			expect(state.body.counters.requestsByRoute['GET /api/subscriptions']).toBe(4);
		});

		it('does not limit the token endpoint or the control API', async () => {
			for (let index = 0; index < 3; index++) await harness.api('GET', '/subscriptions');
			expect((await httpCall('POST', harness.emu.tokenUrl, CREDENTIALS)).status).toBe(200);
			for (let index = 0; index < 5; index++)
				expect((await harness.control('GET', '/health')).status).toBe(200);
		});

		it('can be changed at runtime and is reset by /reset', async () => {
			await harness.control('POST', '/config', { rateLimit: { requests: 1, windowMs: 60_000 } });
			expect((await harness.api('GET', '/subscriptions')).status).toBe(200);
			expect((await harness.api('GET', '/subscriptions')).status).toBe(429);
			await harness.control('POST', '/reset');
			// back to the start option (3), with fresh counters
			for (let index = 0; index < 3; index++)
				expect((await harness.api('GET', '/subscriptions')).status).toBe(200);
			expect((await harness.api('GET', '/subscriptions')).status).toBe(429);
		});
	});
});
