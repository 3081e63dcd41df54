/**
 * Which failures may be sent again, and how long to wait. A write (POST) is repeated only when
 * Pliant surely did not process it: a lead must never be created twice.
 */
import type { FailureFacts } from '../../../nodes/shared/errors/failure-facts';
import { isRetryable, MAX_ATTEMPTS, RATE_LIMIT_WAIT_BUDGET_MS, retryDelayMs } from '../../../nodes/shared/http/retry-policy';

const status = (code: number): FailureFacts => ({ status: code });
const network = (code: string): FailureFacts => ({ networkCode: code });

describe('isRetryable', () => {
	it.each(['GET', 'HEAD', 'DELETE'] as const)(
		'%s: retries 429, every 5xx and every network failure',
		(method) => {
			for (const code of [429, 500, 502, 503, 504])
				expect(isRetryable(method, status(code))).toBe(true);
			for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'ENOTFOUND', 'EPIPE']) {
				expect(isRetryable(method, network(code))).toBe(true);
			}
		},
	);

	it.each(['GET', 'POST'] as const)('%s: never retries a 4xx other than 429', (method) => {
		for (const code of [400, 401, 403, 404, 409, 422])
			expect(isRetryable(method, status(code))).toBe(false);
	});

	it.each(['POST', 'PUT', 'PATCH'] as const)(
		'%s: retries only 429 and 503 among answers',
		(method) => {
			expect(isRetryable(method, status(429))).toBe(true);
			expect(isRetryable(method, status(503))).toBe(true);
			for (const code of [500, 502, 504]) expect(isRetryable(method, status(code))).toBe(false);
		},
	);

	it('POST: never after a reset or a timeout, once the request may have been sent', () => {
		for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'EPIPE']) {
			expect(isRetryable('POST', network(code))).toBe(false);
		}
	});

	it('POST: retries when no connection was made (nothing was sent)', () => {
		for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']) {
			expect(isRetryable('POST', network(code))).toBe(true);
		}
	});

	it('does not retry a failure it cannot classify', () => {
		expect(isRetryable('GET', {})).toBe(false);
		expect(isRetryable('POST', {})).toBe(false);
	});

	it('tries a few times at most', () => {
		expect(MAX_ATTEMPTS).toBeGreaterThanOrEqual(2);
		expect(MAX_ATTEMPTS).toBeLessThanOrEqual(5);
	});
});

describe('retryDelayMs', () => {
	it('backs off exponentially with full jitter in [half, whole] of 500 ms × 2^(attempt-1)', () => {
		for (let attempt = 1; attempt <= 4; attempt++) {
			const ceiling = 500 * 2 ** (attempt - 1);
			expect(retryDelayMs(attempt, {}, () => 0)).toBe(ceiling / 2);
			expect(retryDelayMs(attempt, {}, () => 1)).toBe(ceiling);
			const middle = retryDelayMs(attempt, {}, () => 0.5);
			expect(middle).toBeGreaterThan(ceiling / 2);
			expect(middle).toBeLessThan(ceiling);
		}
	});

	it('caps the backoff at 30 seconds', () => {
		expect(retryDelayMs(20, {}, () => 1)).toBe(30_000);
	});

	it("honours the server's Retry-After", () => {
		expect(retryDelayMs(1, { status: 429, retryAfterMs: 7000 }, () => 0)).toBe(7000);
		expect(retryDelayMs(3, { status: 503, retryAfterMs: 0 }, () => 1)).toBe(0);
	});

	it('waits at most the rate-limit budget, whatever Retry-After asks', () => {
		expect(retryDelayMs(1, { status: 429, retryAfterMs: 3_600_000 })).toBe(RATE_LIMIT_WAIT_BUDGET_MS);
	});
});
