import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { LOGIN_FAILURE_MARKER, RATE_LIMIT } from './contract';
import { endpointsFor } from './endpoints';
import { toPliantApiError } from './api-error';
import { cancelSignalOf, untilCancelled } from './cancellation';
import { failureFacts } from './failure-facts';
import { FirstRequestGate } from './first-request-gate';
import { SlidingWindowLimiter } from './rate-limiter';
import { isRetryable, MAX_ATTEMPTS, retryDelayMs } from './retry-policy';

export const CREDENTIAL_TYPE = 'pliantApi';

export type PliantContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions | IPollFunctions | IWebhookFunctions;

export interface PliantRequest {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** Item the call belongs to, for error messages. */
	itemIndex?: number;
	/** How long to wait for Pliant's answer; DEFAULT_TIMEOUT_MS when not set. */
	timeoutMs?: number;
}

/** Pliant answers in well under a second; n8n's own default would wait 300 s. */
export const DEFAULT_TIMEOUT_MS = 30_000;

// One limiter per (limit, window): all executions of this n8n process share it.
const limiters = new Map<string, SlidingWindowLimiter>();

function limiterFor(requests: number, windowMs: number): SlidingWindowLimiter {
	const key = `${requests}/${windowMs}`;
	let limiter = limiters.get(key);
	if (!limiter) {
		// Stay a little under the limit: the partner's other tools share it.
		limiter = new SlidingWindowLimiter(Math.max(1, Math.floor(requests * 0.98)), windowMs);
		limiters.set(key, limiter);
	}
	return limiter;
}

// Per credential: the first request goes alone, so only one token is fetched (see the gate).
const gates = new Map<string, FirstRequestGate>();

// Per credential: a failed login is not retried by every item of a batch (token quota).
const LOGIN_FAILURE_MEMORY_MS = 30_000;
const loginFailures = new Map<string, { at: number; message: string }>();

function gateFor(key: string): FirstRequestGate {
	let gate = gates.get(key);
	if (!gate) {
		gate = new FirstRequestGate();
		gates.set(key, gate);
	}
	return gate;
}

/** The credential's message when n8n failed while fetching the token, else undefined. */
function loginFailureMessage(error: unknown): string | undefined {
	let layer = error as { message?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; layer && depth < 4; depth++) {
		if (typeof layer.message === 'string' && layer.message.includes(LOGIN_FAILURE_MARKER)) {
			return layer.message.slice(layer.message.indexOf(LOGIN_FAILURE_MARKER));
		}
		layer = layer.cause as typeof layer;
	}
	return undefined;
}

function loginError(this: PliantContext, message: string, itemIndex?: number) {
	return toPliantApiError(this.getNode(), { message }, itemIndex, {
		message,
		description:
			'Open the Pliant credential and press Test. Until the login works, items fail without asking Pliant again for 30 seconds, to spare the token quota.',
	});
}

/** For tests: forget every recorded request, gate and login failure. */
export function resetRateLimiters(): void {
	limiters.clear();
	gates.clear();
	loginFailures.clear();
}

// The backoff wait; tests swap it to record delays without waiting.
let backoffSleep: (ms: number) => Promise<void> = sleep;

/** For tests: replace the wait between retries; call without an argument to restore it. */
export function setBackoffSleep(wait?: (ms: number) => Promise<void>): void {
	backoffSleep = wait ?? sleep;
}

/**
 * The one function through which every Pliant API call goes: base URL from the credential,
 * JSON in and out, authentication by n8n (token cached in the credential), client-side
 * rate limiting, safe retries, and errors turned into NodeApiError with human messages.
 */
export async function pliantApiRequest<T = IDataObject>(
	this: PliantContext,
	request: PliantRequest,
): Promise<T> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const { baseUrl } = endpointsFor(credentials);
	const requests = Number(credentials.rateLimitRequests) || RATE_LIMIT.requests;
	const windowMs = (Number(credentials.rateLimitWindowSeconds) || RATE_LIMIT.windowMs / 1000) * 1000;
	const limiter = limiterFor(requests, windowMs);
	const limiterKey = `${baseUrl}|${String(credentials.clientId ?? '')}`;

	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		json: true,
		headers: { Accept: 'application/json' },
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
	};
	const shape = { method: request.method, timeoutMs: options.timeout };
	const cancelled = cancelSignalOf(this);
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined) options.qs = request.qs;

	const gate = gateFor(limiterKey);
	for (let attempt = 1; ; attempt++) {
		const recentLoginFailure = loginFailures.get(limiterKey);
		if (recentLoginFailure && Date.now() - recentLoginFailure.at < LOGIN_FAILURE_MEMORY_MS) {
			throw loginError.call(this, recentLoginFailure.message, request.itemIndex);
		}
		await untilCancelled(limiter.acquire(limiterKey), cancelled).catch((error: unknown) => {
			throw toPliantApiError(this.getNode(), error, request.itemIndex, undefined, shape);
		});
		try {
			return (await gate.through(
				async () =>
					await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options),
			)) as T;
		} catch (error) {
			const loginMessage = loginFailureMessage(error);
			if (loginMessage) {
				loginFailures.set(limiterKey, { at: Date.now(), message: loginMessage });
				throw loginError.call(this, loginMessage, request.itemIndex);
			}
			loginFailures.delete(limiterKey);
			const facts = failureFacts(error);
			if (attempt >= MAX_ATTEMPTS || !isRetryable(request.method, facts)) {
				throw toPliantApiError(this.getNode(), error, request.itemIndex, undefined, shape);
			}
			const delay = retryDelayMs(attempt, facts);
			this.logger?.debug(
				`Pliant ${request.method} ${request.path} failed (${facts.status ?? facts.networkCode ?? 'error'}), retry ${attempt}/${MAX_ATTEMPTS - 1} in ${delay} ms`,
			);
			await untilCancelled(backoffSleep(delay), cancelled).catch((stop: unknown) => {
				throw toPliantApiError(this.getNode(), stop, request.itemIndex, undefined, shape);
			});
		}
	}
}
