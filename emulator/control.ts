// Part of the local emulator: a dev server, never published (no community-node lint rule fires here).
/**
 * The control API under `/_emulator`: what Pliant does on its side (onboard, reject, walk
 * the steps, fire events, rotate keys) plus test hooks (ledger, faults, config, reset,
 * token expiry, waiting for deliveries). No auth; the server only answers it on loopback.
 */
import { ERROR_CODES } from '../nodes/shared/contract';
import type { EmulatorContext } from './context';
import { callbackUrlProblem } from './callback-hosts';
import { expandFault } from './faults';
import {
	EmulatorError,
	json,
	noContent,
	parseJsonBody,
	type EmulatorRequest,
	type Reply,
	type Route,
} from './http';
import {
	burstSchema,
	configSchema,
	deliveryFailureSchema,
	detailsSharedSchema,
	eventSchema,
	expireTokensSchema,
	faultsBodySchema,
	fillRateWindowSchema,
	parseWith,
	resetSchema,
	rotateSchema,
	signSchema,
	waitSchema,
} from './schemas';
import { publicConfig, type FaultRule, type RuntimeConfig } from './state';
import { expireAllTokens } from './tokens';

export const CONTROL_PREFIX = '/_emulator';

function body(req: EmulatorRequest): unknown {
	const parsed = parseJsonBody(req);
	if (!parsed.ok) throw new EmulatorError(400, ERROR_CODES.illegalArguments, parsed.error);
	return parsed.value;
}

function parse<T>(result: { ok: true; value: T } | { ok: false; reply: Reply }): T {
	if (!result.ok) {
		const content = result.reply.body as { message: string; details: unknown };
		throw new EmulatorError(400, ERROR_CODES.illegalArguments, content.message, {
			details: content.details,
		});
	}
	return result.value;
}

function lead(context: EmulatorContext, id: string) {
	const found = context.state.findLead(id);
	if (!found)
		throw new EmulatorError(
			404,
			ERROR_CODES.notFound,
			`Lead ${id} not found (give a leadId or a partnerOrganizationId)`,
		);
	return found;
}

function organization(context: EmulatorContext, id: string) {
	const found = context.state.findOrganization(id);
	if (!found) {
		throw new EmulatorError(
			404,
			ERROR_CODES.notFound,
			`Organization ${id} not found (give an organizationId or a partnersOrganizationId)`,
		);
	}
	return found;
}

function cloneConfig(config: RuntimeConfig): RuntimeConfig {
	return JSON.parse(JSON.stringify(config)) as RuntimeConfig;
}

/* ------------------------------------------------------------------ handlers */

const health = (_req: EmulatorRequest, context: EmulatorContext): Reply =>
	json(200, {
		status: 'ok',
		...context.urls,
		clientId: context.state.config.clientId,
		audience: context.state.config.audience,
	});

const getState = (_req: EmulatorRequest, context: EmulatorContext): Reply =>
	json(200, {
		...context.state.snapshot(),
		keys: context.keys.kids(),
		pendingDeliveries: context.deliveries.pendingCount,
	});

const getConfig = (_req: EmulatorRequest, context: EmulatorContext): Reply =>
	json(200, publicConfig(context.state.config));

function setConfig(req: EmulatorRequest, context: EmulatorContext): Reply {
	const changes = parse(parseWith(configSchema, body(req) ?? {}));
	const config = context.state.config;
	const { delivery, ...rest } = changes;
	Object.assign(config, rest);
	if (delivery) config.delivery = { ...config.delivery, ...delivery };
	return json(200, publicConfig(config));
}

function reset(req: EmulatorRequest, context: EmulatorContext): Reply {
	const options = parse(parseWith(resetSchema, body(req))) ?? {};
	context.onboarding.cancelTimers();
	context.deliveries.cancelAll();
	context.state.reset({ tokens: options.tokens, config: cloneConfig(context.initialConfig) });
	if (options.keys) context.keys.rotate(true);
	return json(200, { reset: true, tokensKept: !options.tokens, keys: context.keys.kids() });
}

function ledger(req: EmulatorRequest, context: EmulatorContext): Reply {
	const path = req.query.get('path');
	const method = req.query.get('method')?.toUpperCase();
	const since = Number(req.query.get('since') ?? 0);
	const entries = context.state.ledger.filter(
		(entry) =>
			(!path || entry.path.startsWith(path)) &&
			(!method || entry.method === method) &&
			entry.seq > since,
	);
	return json(200, { entries });
}

function clearLedger(_req: EmulatorRequest, context: EmulatorContext): Reply {
	context.state.ledger = [];
	return noContent();
}

const listFaults = (_req: EmulatorRequest, context: EmulatorContext): Reply =>
	json(200, { faults: context.state.faults });

function addFaults(req: EmulatorRequest, context: EmulatorContext): Reply {
	const value = parse(parseWith(faultsBodySchema, body(req)));
	const rules: FaultRule[] = Array.isArray(value)
		? value
		: 'faults' in value
			? value.faults
			: [value];
	const actions = rules.flatMap((rule) => expandFault(rule));
	if (actions.length === 0) {
		throw new EmulatorError(
			400,
			ERROR_CODES.illegalArguments,
			'A fault needs statuses, resetConnection or delayMs',
		);
	}
	context.state.faults.push(...actions);
	return json(200, { added: actions.length, faults: context.state.faults });
}

function clearFaults(req: EmulatorRequest, context: EmulatorContext): Reply {
	const route = req.query.get('route');
	const before = context.state.faults.length;
	context.state.faults = route
		? context.state.faults.filter((action) => action.route !== route)
		: [];
	return json(200, { removed: before - context.state.faults.length });
}

function onboard(req: EmulatorRequest, context: EmulatorContext): Reply {
	return json(200, context.onboarding.onboardLead(lead(context, req.params.leadId)));
}

function reject(req: EmulatorRequest, context: EmulatorContext): Reply {
	const record = context.onboarding.rejectLead(lead(context, req.params.leadId));
	return json(200, {
		leadId: record.leadId,
		partnerOrganizationId: record.partnerOrganizationId,
		status: record.status,
	});
}

function advance(req: EmulatorRequest, context: EmulatorContext): Reply {
	return json(200, context.onboarding.advance(organization(context, req.params.organizationId)));
}

function complete(req: EmulatorRequest, context: EmulatorContext): Reply {
	return json(200, context.onboarding.complete(organization(context, req.params.organizationId)));
}

function detailsShared(req: EmulatorRequest, context: EmulatorContext): Reply {
	const { shared } = parse(parseWith(detailsSharedSchema, body(req)));
	const record = organization(context, req.params.organizationId);
	record.detailsShared = shared;
	return json(200, { organizationId: record.organization.organizationId, detailsShared: shared });
}

/** Any single signed event, to every subscription of its type or to one URL. */
function fire(req: EmulatorRequest, context: EmulatorContext): Reply {
	const value = parse(parseWith(eventSchema, body(req)));
	const { eventType, organizationId, callbackUrl, ...fields } = value;
	const problem = callbackUrl === undefined ? undefined : callbackUrlProblem(callbackUrl, context.callbackHosts);
	if (problem) throw new EmulatorError(400, ERROR_CODES.illegalArguments, `callbackUrl ${problem}`);
	const known = context.state.findOrganization(organizationId);
	const partnerOrganizationId =
		known?.organization.partnersOrganizationId ??
		(typeof fields.partnerOrganizationId === 'string' ? fields.partnerOrganizationId : undefined);
	const records = context.deliveries.dispatch(
		[{ body: { eventType, organizationId, ...fields }, partnerOrganizationId }],
		callbackUrl,
	);
	return json(200, {
		event: { eventType, organizationId, ...fields },
		callbacks: records.map((record) => ({
			deliveryId: record.deliveryId,
			callbackId: record.callbackId,
			url: record.url,
		})),
	});
}

/**
 * One signed event sent `copies` times at once to `callbackUrl`, all under one X-Callback-Id and
 * each under a fresh webhook-id, timestamp and signature (a receiver must run it once).
 */
async function burst(req: EmulatorRequest, context: EmulatorContext): Promise<Reply> {
	const value = parse(parseWith(burstSchema, body(req)));
	const { eventType, organizationId, callbackUrl, copies, ...fields } = value;
	const known = context.state.findOrganization(organizationId);
	const partnerOrganizationId =
		known?.organization.partnersOrganizationId ??
		(typeof fields.partnerOrganizationId === 'string' ? fields.partnerOrganizationId : undefined);
	const sent = await context.deliveries.burst(
		{ body: { eventType, organizationId, ...fields }, partnerOrganizationId },
		callbackUrl,
		copies,
	);
	return json(200, {
		callbackId: sent.record.callbackId,
		deliveryId: sent.record.deliveryId,
		webhookIds: sent.webhookIds,
		statuses: sent.statuses.map((result) => result.status ?? result.error ?? 'ERROR'),
	});
}

const getKeys = (_req: EmulatorRequest, context: EmulatorContext): Reply =>
	json(200, { current: context.keys.current.kid, ...context.keys.jwks() });

function rotateKeys(req: EmulatorRequest, context: EmulatorContext): Reply {
	const options = parse(parseWith(rotateSchema, body(req))) ?? {};
	const kid = context.keys.rotate(options.dropOld ?? false);
	return json(200, { kid, ...context.keys.jwks() });
}

function expireTokens(req: EmulatorRequest, context: EmulatorContext): Reply {
	const options = parse(parseWith(expireTokensSchema, body(req))) ?? {};
	if (options.afterRequests !== undefined) {
		context.state.revokeTokensAfter = options.afterRequests;
		return json(200, { expired: 0, afterRequests: options.afterRequests });
	}
	return json(200, { expired: expireAllTokens(context.state) });
}

/** Pre-fills a client's rate-limit window, as if a run before a restart had used it. */
function fillRateWindow(req: EmulatorRequest, context: EmulatorContext): Reply {
	const { count, clientId } = parse(parseWith(fillRateWindowSchema, body(req)));
	const key = `client:${clientId ?? context.state.config.clientId}`;
	const now = Date.now();
	const window = context.state.rateWindows.get(key) ?? [];
	for (let index = 0; index < count; index++) window.push(now);
	context.state.rateWindows.set(key, window);
	return json(200, { clientId: clientId ?? context.state.config.clientId, inWindow: window.length, limit: context.state.config.rateLimit });
}

function signBody(req: EmulatorRequest, context: EmulatorContext): Reply {
	const value = parse(parseWith(signSchema, body(req)));
	const webhookId =
		value.webhookId ?? `msg_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
	const timestamp = value.timestamp ?? Math.floor(Date.now() / 1000);
	const headers = context.keys.sign(value.body, webhookId, timestamp, value.allKeys ?? false);
	return json(200, {
		headers,
		signedContent: `${webhookId}.${timestamp}.${value.body}`,
		kid: context.keys.current.kid,
	});
}

function deliveries(req: EmulatorRequest, context: EmulatorContext): Reply {
	const pendingOnly = req.query.get('pending') === 'true';
	const eventType = req.query.get('eventType');
	const organizationId = req.query.get('organizationId');
	const url = req.query.get('url');
	const list = context.state.deliveries.filter(
		(record) =>
			(!pendingOnly || record.state === 'pending') &&
			(!eventType || record.eventType === eventType) &&
			(!organizationId || record.organizationId === organizationId) &&
			(!url || record.url === url),
	);
	return json(200, { pending: context.deliveries.pendingCount, deliveries: list });
}

async function waitDeliveries(req: EmulatorRequest, context: EmulatorContext): Promise<Reply> {
	const options = parse(parseWith(waitSchema, body(req))) ?? {};
	const idle = await context.deliveries.waitForIdle(options.timeoutMs ?? 10_000);
	const pending = context.deliveries.pendingCount;
	return json(idle ? 200 : 408, { idle, pending });
}

const P = CONTROL_PREFIX;

/** The next `times` matching callbacks never reach their receiver: every attempt fails, they end FAILED. */
function failDeliveries(req: EmulatorRequest, context: EmulatorContext): Reply {
	const { times = 1, ...rule } = parse(parseWith(deliveryFailureSchema, body(req) ?? {}));
	for (let index = 0; index < times; index++) context.state.deliveryFailures.push({ ...rule });
	return json(200, { planned: context.state.deliveryFailures.length });
}

export const CONTROL_ROUTES: Array<Route<EmulatorContext>> = [
	{ method: 'GET', pattern: `${P}/health`, handler: health },
	{ method: 'GET', pattern: `${P}/state`, handler: getState },
	{ method: 'GET', pattern: `${P}/config`, handler: getConfig },
	{ method: 'POST', pattern: `${P}/config`, handler: setConfig },
	{ method: 'POST', pattern: `${P}/reset`, handler: reset },
	{ method: 'GET', pattern: `${P}/ledger`, handler: ledger },
	{ method: 'DELETE', pattern: `${P}/ledger`, handler: clearLedger },
	{ method: 'GET', pattern: `${P}/faults`, handler: listFaults },
	{ method: 'POST', pattern: `${P}/faults`, handler: addFaults },
	{ method: 'DELETE', pattern: `${P}/faults`, handler: clearFaults },
	{ method: 'POST', pattern: `${P}/leads/:leadId/onboard`, handler: onboard },
	{ method: 'POST', pattern: `${P}/leads/:leadId/reject`, handler: reject },
	{ method: 'POST', pattern: `${P}/organizations/:organizationId/advance`, handler: advance },
	{ method: 'POST', pattern: `${P}/organizations/:organizationId/complete`, handler: complete },
	{
		method: 'POST',
		pattern: `${P}/organizations/:organizationId/details-shared`,
		handler: detailsShared,
	},
	{ method: 'POST', pattern: `${P}/events`, handler: fire },
	{ method: 'POST', pattern: `${P}/events/burst`, handler: burst },
	{ method: 'GET', pattern: `${P}/keys`, handler: getKeys },
	{ method: 'POST', pattern: `${P}/keys/rotate`, handler: rotateKeys },
	{ method: 'POST', pattern: `${P}/tokens/expire`, handler: expireTokens },
	{ method: 'POST', pattern: `${P}/rate-limit/fill`, handler: fillRateWindow },
	{ method: 'POST', pattern: `${P}/sign`, handler: signBody },
	{ method: 'GET', pattern: `${P}/deliveries`, handler: deliveries },
	{ method: 'POST', pattern: `${P}/deliveries/wait`, handler: waitDeliveries },
	{ method: 'POST', pattern: `${P}/deliveries/fail`, handler: failDeliveries },
];
