import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { LOGIN_FAILURE_MARKER, RATE_LIMIT } from '../contract';
import { endpointProblem, endpointsFor } from './endpoints';
import { toPliantApiError } from '../errors/api-error';
import { cancelSignalOf, untilCancelled } from './cancellation';
import { clock } from '../clock';
import { CREDENTIAL_TYPE } from '../identity';
import { failureFacts } from '../errors/failure-facts';
import { limiterFor, type AdaptiveRateLimiter } from './rate-limiter';
import { isRetryable, MAX_ATTEMPTS, RATE_LIMIT_WAIT_BUDGET_MS, retryDelayMs } from './retry-policy';
import { LOGIN_FAILURE_MEMORY_MS, tokenCache, tokenKey } from './token-cache';

export type PliantContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions | IPollFunctions | IWebhookFunctions;

export interface PliantRequest {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	/** Item the call belongs to, for error messages. */
	itemIndex?: number;
	/** How long the call may wait in total for Pliant's rate limit (429s); default the budget. */
	rateLimitWaitMs?: number;
	/** How long to wait for Pliant's answer; DEFAULT_TIMEOUT_MS when not set. */
	timeoutMs?: number;
	/**
	 * A call the caller can do without (e.g. a partner-ID lookup): refused at once instead of
	 * waiting when the rate window is more than OPTIONAL_SHARE used or held after a 429.
	 */
	optional?: boolean;
}

/** The share of the rate window optional calls may use: the rest stays for the calls that matter. */
export const OPTIONAL_SHARE = 0.5;

/** Refuses an optional call that would have to wait for the rate limit. */
function checkOptional(this: PliantContext, request: PliantRequest, limiter: AdaptiveRateLimiter): void {
	if (request.optional && !limiter.hasRoom(OPTIONAL_SHARE)) {
		throw new NodeOperationError(this.getNode(), "skipped: the credential's rate limit is in use by other calls");
	}
}

/** Pliant answers in well under a second; n8n's own default would wait 300 s. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The credential's message when n8n failed while fetching the token, else undefined. */
function loginFailureMessage(error: unknown): string | undefined {
	let layer = error as { message?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; layer && depth < 4; depth++) {
		const { message } = layer;
		if (typeof message === 'string' && message.includes(LOGIN_FAILURE_MARKER)) {
			return message.slice(message.indexOf(LOGIN_FAILURE_MARKER));
		}
		layer = layer.cause as typeof layer;
	}
	return undefined;
}

function loginError(this: PliantContext, message: string, itemIndex?: number) {
	return toPliantApiError(this.getNode(), { message }, itemIndex, {
		message,
		description: `Open the Pliant credential and press Test. Until the login works, items fail without asking Pliant again for ${LOGIN_FAILURE_MEMORY_MS / 1000} seconds, to spare the token quota.`,
	});
}

/** The rate limiter shared by every request of this credential in this n8n process. */
export function credentialLimiter(credentials: ICredentialDataDecryptedObject): AdaptiveRateLimiter {
	const requests = Number(credentials.rateLimitRequests) || RATE_LIMIT.requests;
	const windowMs = (Number(credentials.rateLimitWindowSeconds) || RATE_LIMIT.windowMs / 1000) * 1000;
	return limiterFor(endpointsFor(credentials).baseUrl, String(credentials.clientId ?? ''), requests, windowMs);
}

/** What an error must never show of this credential: its secret and its current access token. */
function secretsOf(credentials: ICredentialDataDecryptedObject): string[] {
	const { tokenUrl, audience } = endpointsFor(credentials);
	const secret = String(credentials.clientSecret ?? '');
	const current = tokenCache.current(tokenKey(tokenUrl, audience, String(credentials.clientId ?? ''), secret));
	return [secret, String(credentials.accessToken ?? ''), current ?? ''].filter(Boolean);
}

/** The HTTP request n8n sends for a Pliant call: JSON, a timeout, and no redirects followed. */
function httpOptions(request: PliantRequest, baseUrl: string): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		json: true,
		headers: { Accept: 'application/json' },
		timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		// A redirect would send the bearer token (and a lead) to wherever it points.
		disableFollowRedirect: true,
	};
	if (request.body !== undefined) options.body = request.body;
	if (request.qs !== undefined) options.qs = request.qs;
	return options;
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
	const endpoints = endpointsFor(credentials);
	const problem = endpointProblem(endpoints);
	if (problem) {
		throw new NodeOperationError(this.getNode(), problem, {
			itemIndex: request.itemIndex,
			description: 'Open the Pliant credential and correct the URL: the client secret and access token must never travel in clear.',
		});
	}
	const limiter = credentialLimiter(credentials);
	checkOptional.call(this, request, limiter);
	const options = httpOptions(request, endpoints.baseUrl);
	const shape = { method: request.method, timeoutMs: options.timeout }; // tells the error whether a lost answer may mean it was processed
	const cancelled = cancelSignalOf(this);
	const failed = (error: unknown) => toPliantApiError(this.getNode(), error, request.itemIndex, undefined, shape, secretsOf(credentials));
	const stopped = (stop: unknown) => {
		throw failed(stop);
	};

	// Attempts after other failures are counted; 429s are bounded by the wait budget instead.
	let failedAttempts = 0;
	let rateLimitedAttempts = 0;
	let rateLimitedSince: number | undefined;
	for (;;) {
		await untilCancelled(limiter.acquire(), cancelled).catch(stopped);
		try {
			return (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options)) as T;
		} catch (error) {
			const loginMessage = loginFailureMessage(error);
			if (loginMessage) throw loginError.call(this, loginMessage, request.itemIndex);
			const facts = failureFacts(error);
			let delay: number;
			if (facts.status === 429) {
				rateLimitedSince ??= clock.now();
				rateLimitedAttempts++;
				delay = retryDelayMs(rateLimitedAttempts, facts);
				// Held in the limiter, so every request of the credential waits, not only this one.
				limiter.rateLimited(delay);
				if (clock.now() + delay - rateLimitedSince > (request.rateLimitWaitMs ?? RATE_LIMIT_WAIT_BUDGET_MS)) {
					throw failed(error);
				}
			} else {
				failedAttempts++;
				if (failedAttempts >= MAX_ATTEMPTS || !isRetryable(request.method, facts)) {
					throw failed(error);
				}
				delay = retryDelayMs(failedAttempts, facts);
				await untilCancelled(clock.sleep(delay), cancelled).catch(stopped);
			}
			this.logger?.debug(
				`Pliant ${request.method} ${request.path} failed (${facts.status ?? facts.networkCode ?? 'error'}), retry in ${delay} ms`,
			);
		}
	}
}
