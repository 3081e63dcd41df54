/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev server, never published */
/**
 * The local Pliant emulator: token endpoint, the contract's API, signed callbacks and a
 * control API, on one port. Start it in-process with `startEmulator()` (tests) or with
 * `npm run emulator` (cli.ts).
 *
 * Request pipeline for contract traffic (`/oauth/token`, `/api/**`): ledger entry → fault
 * injection → (API only) rate limit → bearer check → handler → reply. Control traffic
 * (`/_emulator/**`) skips all of that and is answered on loopback only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { ERROR_CODES, RATE_LIMIT } from '../nodes/shared/contract';
import { isLoopbackHost } from '../nodes/shared/http/endpoints';
import type { EmulatorContext } from './context';
import { EMULATOR_DEFAULTS } from './defaults';
import { CONTROL_PREFIX, CONTROL_ROUTES } from './control';
import { controlRefusal, hostRefusal, newControlToken } from './control-guard';
import type { CallbackHosts } from './callback-hosts';
import { DeliveryService } from './delivery';
import { faultReply, takeFault } from './faults';
import {
	BodyTooLargeError,
	EmulatorError,
	bodyForLedger,
	errorReply,
	findRoute,
	isLoopback,
	json,
	readBody,
	sleep,
	type EmulatorRequest,
	type Reply,
	type Route,
} from './http';
import { Onboarding } from './onboarding';
import { checkRateLimit } from './rate-limit';
import { API_ROUTES } from './routes';
import { KeyRing } from './signer';
import {
	DEFAULT_DELIVERY,
	EmulatorState,
	readStateFile,
	writeStateFile,
	type DeliveryConfig,
	type LedgerEntry,
	type RuntimeConfig,
} from './state';
import { authenticate, expireAllTokens, handleTokenRequest, rateLimitKey } from './tokens';

export { EmulatorState } from './state';
export type { DeliveryRecord, LedgerEntry, FaultRule, RuntimeConfig } from './state';

export interface EmulatorOptions {
	/** 0 = a random free port. Default 4010. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	clientId?: string;
	clientSecret?: string;
	audience?: string;
	/** Default 86400. */
	tokenTtlSeconds?: number;
	/** Tokens per hour before 429 "Client quota exceeded". Default 42. */
	tokenQuota?: { perHour: number };
	/** Default 900 requests per 300000 ms per client. */
	rateLimit?: { requests: number; windowMs: number };
	/** 0 or absent = leads wait for a manual onboard. */
	onboardingDelayMs?: number;
	/** Pause between automatic steps. Default 1000. */
	stepIntervalMs?: number;
	delivery?: Partial<DeliveryConfig>;
	/** Whether new organizations share onboarding details (`/risk`, onboarding callbacks). Default true. */
	detailsSharedByDefault?: boolean;
	/** JSON file to load at start and save after every change (written 0600: it holds keys and tokens). */
	stateFile?: string;
	/** The token the control API requires (header x-emulator-token); random per run when absent. */
	controlToken?: string;
	/**
	 * Host names (besides loopback ones) any route answers for; the `host` it listens on is one
	 * when it is neither loopback nor a wildcard. Anything else gets 403 (DNS rebinding).
	 */
	allowedHosts?: string[];
	/** Callback URLs a subscription may have: loopback hosts only (default), or any. */
	callbackHosts?: CallbackHosts;
	log?: (line: string) => void;
}

export interface RunningEmulator {
	/** http://127.0.0.1:PORT */
	url: string;
	/** url + /oauth/token */
	tokenUrl: string;
	/** url + /api */
	apiBaseUrl: string;
	/** url + /_emulator */
	controlUrl: string;
	port: number;
	clientId: string;
	clientSecret: string;
	audience: string;
	/** Sent as x-emulator-token by every control API client (scripts/lib/emulator-client.ts). */
	controlToken: string;
	state: EmulatorState;
	/** Closes sockets, timers and pending deliveries. */
	stop(): Promise<void>;
}

export const DEFAULT_CLIENT_ID = 'emulator-client';
export const DEFAULT_CLIENT_SECRET = 'emulator-secret';

function buildConfig(options: EmulatorOptions): RuntimeConfig {
	return {
		clientId: options.clientId ?? DEFAULT_CLIENT_ID,
		clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
		audience: options.audience ?? EMULATOR_DEFAULTS.audience,
		tokenTtlSeconds: options.tokenTtlSeconds ?? 86_400,
		tokenQuota: { perHour: options.tokenQuota?.perHour ?? 42 },
		rateLimit: {
			requests: options.rateLimit?.requests ?? RATE_LIMIT.requests,
			windowMs: options.rateLimit?.windowMs ?? RATE_LIMIT.windowMs,
		},
		onboardingDelayMs: options.onboardingDelayMs ?? 0,
		stepIntervalMs: options.stepIntervalMs ?? 1000,
		delivery: { ...DEFAULT_DELIVERY, ...options.delivery },
		detailsSharedByDefault: options.detailsSharedByDefault ?? true,
	};
}

/** Masks secrets before anything reaches the ledger. */
function maskedHeaders(headers: IncomingMessage['headers']): LedgerEntry['headers'] {
	const copy: LedgerEntry['headers'] = { ...headers };
	if (copy.authorization) {
		const scheme = /^(\S+)\s+\S/.exec(String(copy.authorization));
		copy.authorization = scheme ? `${scheme[1]} ***` : '***';
	}
	if (copy.cookie) copy.cookie = '***';
	return copy;
}

function maskedBody(body: unknown): unknown {
	if (body && typeof body === 'object' && 'client_secret' in body)
		return { ...body, client_secret: '***' };
	return body;
}

function queryObject(query: URLSearchParams): Record<string, string | string[]> {
	const result: Record<string, string | string[]> = {};
	for (const key of new Set(query.keys())) {
		const values = query.getAll(key);
		result[key] = values.length === 1 ? values[0] : values;
	}
	return result;
}

function send(res: ServerResponse, reply: Reply): void {
	if (res.destroyed || res.writableEnded) return;
	const headers: Record<string, string> = { ...reply.headers };
	let payload: string | undefined;
	if (reply.body !== undefined && reply.status !== 204) {
		payload = JSON.stringify(reply.body);
		headers['Content-Type'] = 'application/json; charset=utf-8';
		headers['Content-Length'] = String(Buffer.byteLength(payload));
	}
	res.writeHead(reply.status, headers);
	res.end(payload);
}

async function runRoute(
	routes: Array<Route<EmulatorContext>>,
	req: EmulatorRequest,
	context: EmulatorContext,
): Promise<Reply> {
	const match = findRoute(routes, req.method, req.path);
	if (match.kind === 'not-found') {
		return errorReply(404, ERROR_CODES.notFound, `No route for ${req.method} ${req.path}`);
	}
	if (match.kind === 'method-not-allowed') {
		return errorReply(
			405,
			'METHOD_NOT_ALLOWED',
			`${req.method} is not allowed on ${req.path}`,
			undefined,
		);
	}
	try {
		return await match.route.handler({ ...req, params: match.params }, context);
	} catch (error) {
		if (error instanceof EmulatorError) return error.toReply();
		context.log(`error in ${req.method} ${req.path}: ${(error as Error).stack ?? String(error)}`);
		return errorReply(500, 'INTERNAL_SERVER_ERROR', (error as Error).message);
	}
}

/** Name of the route a request hits, for counters and fault matching in logs. */
function routeName(method: string, path: string): string {
	if (path === EMULATOR_DEFAULTS.tokenPath) return `${method} ${path}`;
	const match = findRoute(API_ROUTES, method, path);
	return match.kind === 'found' ? `${method} ${match.route.pattern}` : `${method} (unknown route)`;
}

/** Token endpoint and API, after the fault layer. */
async function processContract(
	req: EmulatorRequest,
	context: EmulatorContext,
	entry: LedgerEntry,
): Promise<Reply> {
	if (req.path === EMULATOR_DEFAULTS.tokenPath) {
		if (req.method !== 'POST') return errorReply(405, 'METHOD_NOT_ALLOWED', 'Use POST');
		return handleTokenRequest(req, context.state);
	}
	const limited = checkRateLimit(context.state, rateLimitKey(req, context.state));
	if (limited) return limited;
	const auth = authenticate(req, context.state);
	if (!auth.ok) return auth.reply;
	entry.clientId = auth.token.clientId;
	const reply = await runRoute(API_ROUTES, req, context);
	if (context.state.revokeTokensAfter !== undefined && --context.state.revokeTokensAfter <= 0) {
		context.state.revokeTokensAfter = undefined;
		expireAllTokens(context.state);
	}
	return reply;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
	const log = options.log ?? (() => undefined);
	const config = buildConfig(options);
	const state = new EmulatorState(JSON.parse(JSON.stringify(config)) as RuntimeConfig);
	const stored = options.stateFile ? readStateFile(options.stateFile) : undefined;
	const keys = new KeyRing(stored ? state.load(stored) : []);
	const persist = () => {
		if (options.stateFile) writeStateFile(options.stateFile, state.persisted(keys.stored()));
	};
	const deliveries = new DeliveryService(state, keys, log);
	const onboarding = new Onboarding(state, deliveries, log, persist);
	const stopping = new AbortController();

	const context: EmulatorContext = {
		state,
		keys,
		deliveries,
		onboarding,
		initialConfig: config,
		urls: { url: '', tokenUrl: '', apiBaseUrl: '', controlUrl: '' },
		callbackHosts: options.callbackHosts ?? 'loopback',
		log,
		persist,
	};

	const controlToken = options.controlToken ?? newControlToken();
	const host = options.host ?? '127.0.0.1';
	const wildcard = host === '0.0.0.0' || host === '::';
	const allowedHosts = [...(options.allowedHosts ?? []), ...(wildcard || isLoopbackHost(host) ? [] : [host.includes(':') ? `[${host}]` : host])];
	// Known once the server listens (port 0 = random); the Host check compares against it.
	let boundPort = -1;

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://emulator.local');
		const method = (req.method ?? 'GET').toUpperCase();
		const foreignHost = hostRefusal(req.headers.host, boundPort, allowedHosts);
		if (foreignHost) {
			send(res, errorReply(foreignHost.status, 'FORBIDDEN', foreignHost.message));
			return;
		}
		let rawBody: string;
		try {
			rawBody = await readBody(req);
		} catch (error) {
			if (error instanceof BodyTooLargeError)
				send(res, errorReply(413, 'PAYLOAD_TOO_LARGE', error.message));
			else res.destroy();
			return;
		}
		const request: EmulatorRequest = {
			method,
			path: url.pathname,
			query: url.searchParams,
			headers: req.headers,
			rawBody,
			remoteAddress: req.socket.remoteAddress ?? '',
			params: {},
		};

		if (request.path === CONTROL_PREFIX || request.path.startsWith(`${CONTROL_PREFIX}/`)) {
			if (!isLoopback(request.remoteAddress)) {
				send(res, errorReply(403, 'FORBIDDEN', 'The control API only answers on loopback'));
				return;
			}
			const refusal = controlRefusal(req.headers, boundPort, controlToken);
			if (refusal) {
				send(res, errorReply(refusal.status, refusal.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN', refusal.message));
				return;
			}
			send(res, await runRoute(CONTROL_ROUTES, request, context));
			if (method !== 'GET') persist();
			return;
		}
		if (request.path === '/' && method === 'GET') {
			send(
				res,
				json(200, { name: 'Pliant emulator', ...context.urls, readme: 'emulator/README.md' }),
			);
			return;
		}
		if (
			request.path !== EMULATOR_DEFAULTS.tokenPath &&
			!request.path.startsWith(`${EMULATOR_DEFAULTS.apiPrefix}/`)
		) {
			send(res, errorReply(404, ERROR_CODES.notFound, `No route for ${method} ${request.path}`));
			return;
		}

		const route = routeName(method, request.path);
		state.countRoute(route);
		const entry = state.addLedgerEntry({
			at: new Date().toISOString(),
			method,
			path: request.path,
			query: queryObject(request.query),
			headers: maskedHeaders(req.headers),
			body: maskedBody(bodyForLedger(rawBody, req.headers['content-type'])),
			route,
			status: null,
		});

		const fault = takeFault(state, method, request.path, rawBody);
		if (fault?.delayMs) {
			entry.fault = `delay ${fault.delayMs}ms`;
			await sleep(fault.delayMs, stopping.signal);
		}
		if (fault?.kind === 'status') {
			const reply = faultReply(fault, request.path, state, rawBody);
			entry.fault = [entry.fault, `status ${reply.status}`].filter(Boolean).join(', ');
			entry.status = reply.status;
			send(res, reply);
			return;
		}
		if (fault?.kind === 'reset' && !fault.processBeforeReset) {
			entry.fault = [entry.fault, 'reset'].filter(Boolean).join(', ');
			req.socket.destroy();
			return;
		}

		const reply = await processContract(request, context, entry);
		entry.status = reply.status;
		if (method !== 'GET') persist();
		if (fault?.kind === 'reset') {
			// Pliant did the work; the answer got lost on the way back.
			entry.fault = [entry.fault, 'reset-after-processing'].filter(Boolean).join(', ');
			entry.status = null;
			req.socket.destroy();
			return;
		}
		send(res, reply);
		log(
			`${method} ${request.path}${url.search} → ${reply.status}${entry.fault ? ` (${entry.fault})` : ''}`,
		);
	}

	const server = createServer((req, res) => {
		handle(req, res).catch((error: Error) => {
			log(`unhandled: ${error.stack ?? error.message}`);
			if (!res.headersSent) send(res, errorReply(500, 'INTERNAL_SERVER_ERROR', error.message));
			else res.destroy();
		});
	});
	// Keep-alive clients (n8n, undici) must not keep stop() waiting.
	server.keepAliveTimeout = 5000;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? EMULATOR_DEFAULTS.port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	boundPort = port;
	const publicHost =
		host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
	const base = `http://${publicHost}:${port}`;
	context.urls = {
		url: base,
		tokenUrl: `${base}${EMULATOR_DEFAULTS.tokenPath}`,
		apiBaseUrl: `${base}${EMULATOR_DEFAULTS.apiPrefix}`,
		controlUrl: `${base}${CONTROL_PREFIX}`,
	};
	onboarding.resume();
	persist();

	let stopped: Promise<void> | undefined;
	return {
		...context.urls,
		port,
		clientId: config.clientId,
		clientSecret: config.clientSecret,
		audience: config.audience,
		controlToken,
		state,
		stop() {
			stopped ??= (async () => {
				stopping.abort();
				onboarding.cancelTimers();
				deliveries.stop();
				persist();
				const closed = new Promise<void>((resolve) => server.close(() => resolve()));
				server.closeAllConnections();
				await closed;
			})();
			return stopped;
		},
	};
}
