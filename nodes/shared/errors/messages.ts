import type { IHttpRequestMethods } from 'n8n-workflow';

import { ERROR_CODES } from '../contract';
import { maskSecrets } from '../mask';
import { type FailureFacts, mayHaveBeenProcessed, pliantCode, pliantSaid } from './failure-facts';

export interface HumanMessage {
	message: string;
	description: string;
}

/** What was asked of Pliant, for the messages that depend on it. */
export interface RequestShape {
	method?: IHttpRequestMethods;
	timeoutMs?: number;
}

/** The words for a 3xx: redirects are never followed, so that neither secret nor token travels elsewhere. */
export function redirectRefused(what: string, status: number): string {
	return `${what} answered with a redirect (HTTP ${status}), and redirects are not followed, so the client secret and access token never go to another address. Set the credential's URL to the final address.`;
}

function seconds(ms: number): string {
	return `${Math.round(ms / 100) / 10} s`;
}

/** Why the answer to a write was lost, e.g. "Pliant did not answer within 30 s". */
export function lostAnswer(facts: FailureFacts, request: RequestShape): string {
	return facts.networkCode === 'ETIMEDOUT' || facts.networkCode === 'ESOCKETTIMEDOUT'
		? `Pliant did not answer within ${request.timeoutMs ? seconds(request.timeoutMs) : 'the timeout'}`
		: `The connection to Pliant broke after the request was sent (${facts.networkCode})`;
}

/** The failure of a write whose outcome is unknown: Pliant may have done it. */
function outcomeUnknown(facts: FailureFacts, request: RequestShape): HumanMessage {
	return {
		message: `${lostAnswer(facts, request)}: Pliant may have processed the request`,
		description:
			'The request was not repeated automatically, so nothing is done twice. Check at Pliant whether it took effect before sending it again.',
	};
}

/** No answer came: the connection failed or timed out. */
function networkMessage(facts: FailureFacts, request: RequestShape): HumanMessage {
	if (request.method && request.method !== 'GET' && mayHaveBeenProcessed(facts)) {
		return outcomeUnknown(facts, request);
	}
	if (facts.networkCode === 'ETIMEDOUT' || facts.networkCode === 'ESOCKETTIMEDOUT') {
		return {
			message: `Pliant did not answer in time${request.timeoutMs ? ` (${seconds(request.timeoutMs)})` : ''}`,
			description:
				'Retries were exhausted. Try again later, or raise Options > Timeout; see https://pliant-api.statuspage.io/.',
		};
	}
	return {
		message: `Could not reach Pliant (${facts.networkCode})`,
		description:
			'Check the API base URL of the credential, your network and proxy settings, and https://pliant-api.statuspage.io/.',
	};
}

/** A human message and a fix for each kind of failure; Pliant's own words are kept. */
export function humanMessage(facts: FailureFacts, request: RequestShape = {}): HumanMessage {
	if (facts.cancelled) {
		return {
			message: 'The run was stopped while waiting for Pliant',
			description:
				'The execution was cancelled; a request already sent may still have been processed by Pliant.',
		};
	}
	if (facts.networkCode) return networkMessage(facts, request);
	if (facts.status && facts.status >= 300 && facts.status < 400) {
		return {
			message: `Pliant answered with a redirect (HTTP ${facts.status}), which is not followed`,
			description: redirectRefused("The credential's API base URL", facts.status),
		};
	}
	// Pliant's words may echo what was sent; a named secret or token is masked.
	return statusMessage(facts.status, pliantCode(facts), maskSecrets(pliantSaid(facts)));
}

/** What an HTTP status from Pliant means for the user; `said` is Pliant's own (masked) words. */
function statusMessage(status: number | undefined, code: string | undefined, said: string): HumanMessage {
	const suffix = said ? ` Pliant said: ${said}` : '';
	switch (status) {
		case 400:
			return {
				message: 'Pliant rejected the request as invalid',
				description: `Fix the fields Pliant names and run again.${suffix}`,
			};
		case 401:
			return {
				message: 'Pliant did not accept the credentials',
				description: `Check the client ID, client secret and environment of the Pliant credential.${suffix}`,
			};
		case 403:
			return code === ERROR_CODES.onboardingDetailsNotShared
				? {
						message: 'The customer has not agreed to share onboarding details',
						description:
							'Pliant shares onboarding details only when the organization owner opts in. Ask the customer to enable sharing.',
					}
				: {
						message: 'Pliant refused access to this resource',
						description: `Your partner account lacks the permission (scope) for this call, or the organization has not authorized you.${suffix}`,
					};
		case 404:
			return {
				message: 'Not found at Pliant',
				description: `Check the ID you passed and that the credential's environment is the one the record lives in.${suffix}`,
			};
		case 409:
			return {
				message: 'Pliant reported a conflict',
				description: `The record already exists or is in a state that does not allow this.${suffix}`,
			};
		case 429:
			return {
				message: 'Pliant rate limit reached',
				description: `Pliant allows 900 requests per 5 minutes. Retries were exhausted; wait a few minutes or send fewer items at once.${suffix}`,
			};
	}
	if (status && status >= 500) {
		return {
			message: 'Pliant is unavailable right now',
			description: `Pliant answered ${status}. Try again later; see https://pliant-api.statuspage.io/.${suffix}`,
		};
	}
	return { message: 'The Pliant request failed', description: said || 'No further details were returned.' };
}
