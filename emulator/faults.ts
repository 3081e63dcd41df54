// Part of the local emulator: a dev server, never published (no community-node lint rule fires here).
/**
 * Fault injection for the contract routes. A rule expands into one action per request,
 * queued per route and consumed in order; once a route's actions are used up it behaves
 * normally again. Order inside one rule: connection resets first, then the statuses; a
 * `delayMs` applies to each of them (or, alone, delays `times` requests that then succeed).
 */
import { ERROR_CODES } from '../nodes/shared/contract';
import { json, type Reply } from './http';
import { rateLimitMessage } from './rate-limit';
import type { EmulatorState, FaultAction, FaultRule } from './state';

export function expandFault(rule: FaultRule): FaultAction[] {
	const base = { route: rule.route, delayMs: rule.delayMs, bodyIncludes: rule.bodyIncludes };
	const actions: FaultAction[] = [];
	for (let index = 0; index < (rule.resetConnection ?? 0); index++) {
		actions.push({ ...base, kind: 'reset', processBeforeReset: rule.processBeforeReset ?? false });
	}
	for (const status of rule.statuses ?? []) {
		actions.push({
			...base,
			kind: 'status',
			status,
			retryAfterSeconds: rule.retryAfterSeconds,
			body: rule.body,
			echoRequest: rule.echoRequest,
		});
	}
	if (actions.length === 0 && rule.delayMs !== undefined) {
		for (let index = 0; index < (rule.times ?? 1); index++)
			actions.push({ ...base, kind: 'delay' });
	}
	return actions;
}

/** Does `"POST /api/organizations/:id/activate"` (or `* /api/*`) cover this request? */
export function routeMatches(rule: string, method: string, path: string): boolean {
	const space = rule.indexOf(' ');
	const ruleMethod = rule.slice(0, space);
	const rulePath = rule.slice(space + 1).split('?')[0];
	if (ruleMethod !== '*' && ruleMethod !== method) return false;
	const want = rulePath.split('/');
	const got = path.split('/');
	if (want.length !== got.length) return false;
	return want.every(
		(segment, index) =>
			segment === got[index] || ((segment.startsWith(':') || segment === '*') && got[index] !== ''),
	);
}

/** Removes and returns the next action planned for this request, if any. */
export function takeFault(
	state: EmulatorState,
	method: string,
	path: string,
	rawBody = '',
): FaultAction | undefined {
	const index = state.faults.findIndex(
		(action) =>
			routeMatches(action.route, method, path) &&
			(action.bodyIncludes === undefined || rawBody.includes(action.bodyIncludes)),
	);
	if (index < 0) return undefined;
	const [action] = state.faults.splice(index, 1);
	state.counters.faultsInjected++;
	return action;
}

/** What an echoing proxy answers: the request, raw and as form fields, its secret placed across a 200-character cut. */
function echoBody(rawBody: string): Record<string, unknown> {
	let fields: Record<string, string> = {};
	try {
		fields = JSON.parse(rawBody) as Record<string, string>;
	} catch {
		fields = Object.fromEntries(new URLSearchParams(rawBody));
	}
	const form = new URLSearchParams(fields).toString();
	const cutAt = Math.max(0, 190 - form.indexOf('client_secret='));
	return {
		error: 'invalid_request',
		error_description: `${'.'.repeat(cutAt)}bad request: ${form}`,
		message: rawBody,
		echo: fields,
	};
}

/** The answer for an injected status: the body Pliant (or Auth0) would send for it. */
export function faultReply(action: FaultAction, path: string, state: EmulatorState, rawBody = ''): Reply {
	const status = action.status ?? 500;
	const headers: Record<string, string> = {};
	if (action.retryAfterSeconds !== undefined)
		headers['Retry-After'] = String(action.retryAfterSeconds);
	if (action.echoRequest) return json(status, echoBody(rawBody), headers);
	if (action.body !== undefined) return json(status, action.body, headers);
	if (status === 429) {
		if (headers['Retry-After'] === undefined) headers['Retry-After'] = '1';
		const body = path.startsWith('/oauth/')
			? { error: 'too_many_requests', error_description: 'Client quota exceeded' }
			: {
					error: rateLimitMessage(state.config.rateLimit.requests, state.config.rateLimit.windowMs),
				};
		return json(status, body, headers);
	}
	const codes: Record<number, string> = {
		400: ERROR_CODES.illegalArguments,
		401: ERROR_CODES.unauthorized,
		404: ERROR_CODES.notFound,
		500: 'INTERNAL_SERVER_ERROR',
		502: 'BAD_GATEWAY',
		503: 'SERVICE_UNAVAILABLE',
		504: 'GATEWAY_TIMEOUT',
	};
	return json(
		status,
		{
			code: codes[status] ?? `HTTP_${status}`,
			message: `Injected fault: HTTP ${status}`,
		},
		headers,
	);
}
