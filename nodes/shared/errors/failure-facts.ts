import { ERROR_CODES, type PliantErrorBody } from '../contract';

/**
 * The one reader of a failed Pliant call: status, Pliant's body (code, message, details),
 * Retry-After and network code, from every shape a node gets to see:
 * - an axios error (tests, the credential's token request);
 * - n8n 2.x: the NodeApiError of httpRequestWithAuthentication keeps the axios error as `cause`;
 * - n8n 1.x: its NodeApiError loses `cause` (a class field resets it), so the body is only in
 *   `context.data`, the status in `httpCode` (which holds the network code, e.g. "ECONNRESET",
 *   when no answer came) and the original axios message in `messages`;
 * - the package's own NodeApiError (failure.ts), which keeps these facts once, as `context.pliant`.
 */
export interface FailureFacts {
	status?: number;
	/** Network error code such as ECONNRESET, when no response came back. */
	networkCode?: string;
	body?: PliantErrorBody;
	retryAfterMs?: number;
	/** The run was stopped (n8n's execution cancel signal aborted the request). */
	cancelled?: boolean;
}

/** Network failures after which a request may have reached Pliant and been processed. */
const AMBIGUOUS_NETWORK_CODES = ['ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'EPIPE'];

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

function asBody(data: unknown): PliantErrorBody | undefined {
	if (data && typeof data === 'object' && !Array.isArray(data) && !Buffer.isBuffer(data)) {
		return data as PliantErrorBody;
	}
	if (typeof data === 'string' && data.trim().startsWith('{')) {
		try {
			return JSON.parse(data) as PliantErrorBody;
		} catch {
			// not JSON after all: keep the status only
		}
	}
	return undefined;
}

function readHeader(headers: Loose, name: string): unknown {
	if (!headers) return undefined;
	if (typeof (headers as { get?: unknown }).get === 'function') {
		return (headers as unknown as { get: (key: string) => unknown }).get(name);
	}
	const key = Object.keys(headers).find((header) => header.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}

/** A network code named in a message: "read ECONNRESET", "socket hang up", "timeout of 30000ms exceeded". */
function networkCodeIn(text: string): string | undefined {
	const named = NETWORK_CODES.find((code) => text.includes(code));
	if (named) return named;
	if (/socket hang up/i.test(text)) return 'ECONNRESET';
	if (/timeout|timed out/i.test(text)) return 'ETIMEDOUT';
	return undefined;
}

/** The facts the package's own NodeApiError keeps (context.pliant, see failure.ts), if it is one. */
function ownFacts(error: unknown): FailureFacts | undefined {
	const pliant = ((error as { context?: Loose })?.context ?? {}).pliant as Loose;
	if (!pliant || typeof pliant !== 'object') return undefined;
	const facts: FailureFacts = {};
	if (typeof pliant.status === 'number') facts.status = pliant.status;
	if (typeof pliant.networkCode === 'string') facts.networkCode = pliant.networkCode;
	const body = asBody(pliant.body);
	if (body) facts.body = body;
	if (typeof pliant.retryAfterMs === 'number') facts.retryAfterMs = pliant.retryAfterMs;
	if (pliant.cancelled === true) facts.cancelled = true;
	return facts;
}

export function failureFacts(error: unknown): FailureFacts {
	const own = ownFacts(error);
	if (own) return own;
	const facts: FailureFacts = {};
	const texts: string[] = [];
	for (const layer of layers(error)) {
		const response = layer?.response as Loose;
		const httpCode = layer?.httpCode;
		const status = Number(response?.status ?? response?.statusCode ?? httpCode ?? NaN);
		if (!facts.status && Number.isInteger(status) && status >= 100) facts.status = status;
		facts.body ??= asBody(response?.data ?? response?.body);
		// n8n 1.x: the body survives only as context.data of its NodeApiError
		facts.body ??= asBody(((layer?.context ?? {}) as Loose)?.data);
		if (facts.retryAfterMs === undefined) {
			facts.retryAfterMs = parseRetryAfter(readHeader(response?.headers as Loose, 'retry-after'));
		}
		for (const code of [layer?.code, httpCode]) {
			if (!facts.networkCode && typeof code === 'string' && NETWORK_CODES.includes(code)) {
				facts.networkCode = code;
			}
			if (code === 'ERR_CANCELED') facts.cancelled = true;
		}
		if (layer?.name === 'CanceledError' || layer?.name === 'AbortError') facts.cancelled = true;
		const message = layer?.message;
		if (typeof message === 'string') texts.push(message);
		if (Array.isArray(layer?.messages)) texts.push(...layer.messages.map(String));
	}
	if (facts.retryAfterMs === undefined) delete facts.retryAfterMs;
	if (!facts.body) delete facts.body;
	// axios reports its own timeout as ECONNABORTED "timeout of … exceeded": a timeout it is
	const timedOut = texts.some((text) => /timeout of \d+ms exceeded/i.test(text));
	if (timedOut && !facts.status) facts.networkCode = 'ETIMEDOUT';
	if (!facts.networkCode && !facts.status) {
		const named = texts.map(networkCodeIn).find(Boolean);
		if (named) facts.networkCode = named;
	}
	if (!facts.status && texts.some((text) => /^canceled$|aborted by the user|operation was aborted/i.test(text))) {
		facts.cancelled = true;
	}
	return facts;
}

/** Pliant's error code, if it sent one. */
export function pliantCode(facts: FailureFacts): string | undefined {
	return facts.body?.code;
}

/** Pliant's own words: its message and the fields it names, e.g. "Invalid lead — company.country: is not supported". */
export function pliantSaid(facts: FailureFacts): string {
	const message = facts.body?.message ?? facts.body?.error_description ?? facts.body?.error;
	const details = (facts.body?.details ?? [])
		.map((detail) => [detail.field, detail.message].filter(Boolean).join(': '))
		.filter(Boolean)
		.join('; ');
	return [message, details].filter(Boolean).join(' — ');
}

/** Whether Pliant refused onboarding details because the customer has not opted in to sharing. */
export function isDetailsNotShared(error: unknown): boolean {
	const facts = failureFacts(error);
	return facts.status === 403 && pliantCode(facts) === ERROR_CODES.onboardingDetailsNotShared;
}

/** Whether the request may have reached Pliant and been processed although no answer came. */
export function mayHaveBeenProcessed(facts: FailureFacts): boolean {
	return facts.networkCode !== undefined && AMBIGUOUS_NETWORK_CODES.includes(facts.networkCode);
}
