import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { RATE_LIMIT } from './contract';
import { endpointsFor } from './endpoints';
import { failureFacts, toPliantApiError } from './errors';
import { SlidingWindowLimiter } from './rate-limiter';
import { isRetryable, MAX_ATTEMPTS, retryDelayMs } from './retry-policy';

export const CREDENTIAL_TYPE = 'pliantApi';

export type PliantContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions | IWebhookFunctions;

export interface PliantRequest {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** Item the call belongs to, for error messages. */
	itemIndex?: number;
}

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

/** For tests: forget every recorded request. */
export function resetRateLimiters(): void {
	limiters.clear();
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
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined) options.qs = request.qs;

	for (let attempt = 1; ; attempt++) {
		await limiter.acquire(limiterKey);
		try {
			return (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				options,
			)) as T;
		} catch (error) {
			const facts = failureFacts(error);
			if (attempt >= MAX_ATTEMPTS || !isRetryable(request.method, facts)) {
				throw toPliantApiError(this.getNode(), error, request.itemIndex);
			}
			const delay = retryDelayMs(attempt, facts);
			this.logger?.debug(
				`Pliant ${request.method} ${request.path} failed (${facts.status ?? facts.networkCode ?? 'error'}), retry ${attempt}/${MAX_ATTEMPTS - 1} in ${delay} ms`,
			);
			await sleep(delay);
		}
	}
}
