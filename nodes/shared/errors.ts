import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ERROR_CODES, type PliantErrorBody } from './contract';

/** What went wrong with one HTTP call, dug out of n8n's and axios' error shapes. */
export interface FailureFacts {
	status?: number;
	/** Network error code such as ECONNRESET, when no response came back. */
	networkCode?: string;
	body?: PliantErrorBody;
	retryAfterMs?: number;
}

const NETWORK_CODES = [
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
];

type Loose = Record<string, unknown> | undefined;

function layers(error: unknown): Loose[] {
	const found: Loose[] = [];
	let current = error as Loose;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		found.push(current);
		current = (current.cause ?? current.reason) as Loose;
	}
	return found;
}

function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = String(Array.isArray(value) ? value[0] : value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const at = Date.parse(text);
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function failureFacts(error: unknown): FailureFacts {
	const facts: FailureFacts = {};
	for (const layer of layers(error)) {
		const response = layer?.response as Loose;
		const status = Number(response?.status ?? response?.statusCode ?? layer?.httpCode ?? NaN);
		if (!facts.status && Number.isInteger(status) && status >= 100) facts.status = status;
		const data = (response?.data ?? response?.body) as unknown;
		if (!facts.body && data && typeof data === 'object' && !Buffer.isBuffer(data)) {
			facts.body = data as PliantErrorBody;
		} else if (!facts.body && typeof data === 'string' && data.trim().startsWith('{')) {
			try {
				facts.body = JSON.parse(data) as PliantErrorBody;
			} catch {
				// not JSON after all: keep the status only
			}
		}
		const headers = response?.headers as Loose;
		if (facts.retryAfterMs === undefined && headers) {
			const value =
				typeof (headers as { get?: unknown }).get === 'function'
					? (headers as unknown as { get: (name: string) => unknown }).get('retry-after')
					: (headers['retry-after'] ?? headers['Retry-After']);
			facts.retryAfterMs = parseRetryAfter(value);
		}
		const code = layer?.code;
		if (!facts.networkCode && typeof code === 'string' && NETWORK_CODES.includes(code)) {
			facts.networkCode = code;
		}
	}
	if (!facts.networkCode && !facts.status) {
		const message = String((error as Error)?.message ?? '');
		const named = NETWORK_CODES.find((code) => message.includes(code));
		if (named) facts.networkCode = named;
		else if (/socket hang up/i.test(message)) facts.networkCode = 'ECONNRESET';
		else if (/timeout/i.test(message)) facts.networkCode = 'ETIMEDOUT';
	}
	return facts;
}

/** A human message and a fix for each kind of failure; Pliant's own code and details are kept. */
function humanMessage(facts: FailureFacts): { message: string; description: string } {
	const pliantMessage = facts.body?.message ?? facts.body?.error_description ?? facts.body?.error;
	const details = (facts.body?.details ?? [])
		.map((detail) => [detail.field, detail.message].filter(Boolean).join(': '))
		.filter(Boolean)
		.join('; ');
	const said = [pliantMessage, details].filter(Boolean).join(' — ');
	const suffix = said ? ` Pliant said: ${said}` : '';
	const code = facts.body?.code;

	if (facts.networkCode) {
		return {
			message: `Could not reach Pliant (${facts.networkCode})`,
			description:
				'Check the API base URL of the credential, your network and proxy settings, and https://pliant-api.statuspage.io/.',
		};
	}
	switch (facts.status) {
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
		default:
			if (facts.status && facts.status >= 500) {
				return {
					message: 'Pliant is unavailable right now',
					description: `Pliant answered ${facts.status}. Try again later; see https://pliant-api.statuspage.io/.${suffix}`,
				};
			}
			return {
				message: 'The Pliant request failed',
				description: said || 'No further details were returned.',
			};
	}
}

/** Wraps any failure of a Pliant call into a NodeApiError with a human message. */
export function toPliantApiError(
	node: INode,
	error: unknown,
	itemIndex?: number,
	override?: { message?: string; description?: string },
): NodeApiError {
	const facts = failureFacts(error);
	const human = humanMessage(facts);
	const apiError = new NodeApiError(node, (facts.body ?? { message: human.message }) as JsonObject, {
		message: override?.message ?? human.message,
		description: override?.description ?? human.description,
		httpCode: facts.status ? String(facts.status) : undefined,
		itemIndex,
	});
	// NodeApiError swaps any message naming a network code (ECONNRESET...) for n8n's generic
	// text, which would hide the Pliant-specific message (and the token URL for a failed login).
	apiError.message = override?.message ?? human.message;
	// Keep the facts machine-readable for the nodes (e.g. the 409 of Create Lead).
	apiError.context.pliant = {
		status: facts.status,
		code: facts.body?.code,
		details: facts.body?.details,
		networkCode: facts.networkCode,
		// 409 LEAD_ALREADY_EXISTS: the existing lead, for Create Lead's "Return Existing Lead"
		leadId: facts.body?.leadId,
	};
	return apiError;
}
