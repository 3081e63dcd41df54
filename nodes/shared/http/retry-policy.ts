import type { IHttpRequestMethods } from 'n8n-workflow';

import { mayHaveBeenProcessed, type FailureFacts } from '../errors/failure-facts';

export const MAX_ATTEMPTS = 4;

/**
 * How long one request may wait in total, from its first 429, for Pliant's rate limit before
 * it fails. Pliant's window is 5 minutes: a full window plus a margin.
 */
export const RATE_LIMIT_WAIT_BUDGET_MS = 6 * 60_000;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/**
 * Whether a failed call may be sent again.
 * - Reads and deletes are idempotent: retry on 429, 5xx and any network error.
 * - Writes (POST) are retried only when Pliant surely did not process them: 429 and 503
 *   answers, or a connection that was never established. Never after a timeout or reset:
 *   Pliant has no idempotency key, and a lead must never be created twice.
 */
export function isRetryable(method: IHttpRequestMethods, facts: FailureFacts): boolean {
	const idempotent = method === 'GET' || method === 'HEAD' || method === 'DELETE';
	if (facts.status) {
		if (idempotent) return facts.status === 429 || facts.status >= 500;
		return facts.status === 429 || facts.status === 503;
	}
	if (facts.cancelled) return false;
	if (facts.networkCode) return idempotent || !mayHaveBeenProcessed(facts);
	return false;
}

/** Exponential backoff with jitter (half to all of the step); a server's Retry-After, when sent, is used instead (capped at the rate-limit budget). */
export function retryDelayMs(attempt: number, facts: FailureFacts, random = Math.random): number {
	const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
	const jittered = Math.round(exponential / 2 + (random() * exponential) / 2);
	if (facts.retryAfterMs !== undefined) return Math.min(Math.max(facts.retryAfterMs, 0), RATE_LIMIT_WAIT_BUDGET_MS);
	return jittered;
}
