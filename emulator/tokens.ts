// Part of the local emulator: a dev server, never published (no community-node lint rule fires here).
/**
 * The Auth0 client-credentials endpoint Pliant uses, with its quirks: JSON body (form bodies
 * are accepted too, as n8n's OAuth2 client sends them; nothing else), Auth0's error bodies, an hourly
 * quota reported in `Auth0-Client-Quota-Limit`, and bearer checks for every `/api` call.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';

import { ERROR_CODES, TOKEN_REQUEST } from '../nodes/shared/contract';
import { json, type EmulatorRequest, type Reply } from './http';
import { tokenRequestSchema } from './schemas';
import type { EmulatorState, TokenRecord } from './state';

const HOUR_MS = 60 * 60 * 1000;
// Only used to give tokens a JWT shape; validity is decided by the token table.
const jwtSecret = randomBytes(32);

function base64url(value: unknown): string {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function makeJwt(claims: Record<string, unknown>): string {
	const head = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(claims)}`;
	return `${head}.${createHmac('sha256', jwtSecret).update(head).digest('base64url')}`;
}

/** The body's media type when it is one the endpoint takes (JSON or form), else undefined. */
function tokenBodyType(req: EmulatorRequest): 'json' | 'form' | undefined {
	const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (type === 'application/x-www-form-urlencoded') return 'form';
	if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return 'json';
	return undefined;
}

function parseTokenBody(req: EmulatorRequest): Record<string, unknown> | undefined {
	if (tokenBodyType(req) === 'form') return Object.fromEntries(new URLSearchParams(req.rawBody));
	try {
		const value = JSON.parse(req.rawBody) as unknown;
		return value && typeof value === 'object' && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
}

/** `b=per_hour;q=42;r=41;t=3600`, the header shape Auth0 sends. */
function quotaHeader(state: EmulatorState, now: number): string {
	const { perHour } = state.config.tokenQuota;
	const recent = state.tokenIssues.filter((at) => at > now - HOUR_MS);
	const remaining = Math.max(0, perHour - recent.length);
	const resetIn =
		recent.length > 0 ? Math.ceil((recent[0] + HOUR_MS - now) / 1000) : HOUR_MS / 1000;
	return `b=per_hour;q=${perHour};r=${remaining};t=${resetIn}`;
}

export function handleTokenRequest(req: EmulatorRequest, state: EmulatorState): Reply {
	state.counters.tokenRequests++;
	const now = Date.now();
	const { config } = state;
	// Only JSON or form: a text/plain body is what a web page can send without asking first.
	if (!tokenBodyType(req)) {
		return json(415, {
			error: 'invalid_request',
			error_description: 'Content-Type must be application/json or application/x-www-form-urlencoded',
		});
	}
	const body = parseTokenBody(req);
	const parsed = tokenRequestSchema.safeParse(body);
	if (!parsed.success) {
		const missing = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
		return json(400, {
			error: 'invalid_request',
			error_description: `Missing or invalid parameters: ${missing || 'body must be JSON'}`,
		});
	}
	const request = parsed.data;
	if (request.grant_type !== TOKEN_REQUEST.grantType) {
		return json(403, {
			error: 'unauthorized_client',
			error_description: `Grant type '${request.grant_type}' not allowed for the client.`,
		});
	}
	if (request.client_id !== config.clientId || request.client_secret !== config.clientSecret) {
		return json(401, { error: 'access_denied', error_description: 'Unauthorized' });
	}
	if (request.audience !== config.audience) {
		return json(403, {
			error: 'access_denied',
			error_description: `Service not enabled within domain: ${request.audience}`,
		});
	}
	state.tokenIssues = state.tokenIssues.filter((at) => at > now - HOUR_MS);
	if (state.tokenIssues.length >= config.tokenQuota.perHour) {
		state.counters.tokenQuotaExceeded++;
		return json(
			429,
			{ error: 'too_many_requests', error_description: 'Client quota exceeded' },
			{ 'Auth0-Client-Quota-Limit': quotaHeader(state, now) },
		);
	}
	const expiresIn = config.tokenTtlSeconds;
	const token = makeJwt({
		iss: 'pliant-emulator',
		sub: `${request.client_id}@clients`,
		aud: request.audience,
		iat: Math.floor(now / 1000),
		exp: Math.floor(now / 1000) + expiresIn,
		gty: 'client-credentials',
		jti: randomUUID(),
	});
	state.tokens.set(token, {
		token,
		clientId: request.client_id,
		issuedAt: now,
		expiresAt: now + expiresIn * 1000,
		revoked: false,
	});
	state.tokenIssues.push(now);
	state.counters.tokensIssued++;
	return json(
		200,
		{ access_token: token, expires_in: expiresIn, token_type: 'Bearer' },
		{ 'Auth0-Client-Quota-Limit': quotaHeader(state, now) },
	);
}

export function bearerToken(req: EmulatorRequest): string | undefined {
	const header = req.headers.authorization;
	const match = /^Bearer\s+(\S+)\s*$/i.exec(Array.isArray(header) ? header[0] : (header ?? ''));
	return match?.[1];
}

export type AuthResult = { ok: true; token: TokenRecord } | { ok: false; reply: Reply };

export function authenticate(req: EmulatorRequest, state: EmulatorState): AuthResult {
	const token = bearerToken(req);
	const deny = (message: string): AuthResult => {
		state.counters.unauthorized++;
		return {
			ok: false,
			reply: json(
				401,
				{ code: ERROR_CODES.unauthorized, message },
				{ 'WWW-Authenticate': 'Bearer error="invalid_token"' },
			),
		};
	};
	if (!token) return deny('Missing bearer token: send Authorization: Bearer <access_token>');
	const record = state.tokens.get(token);
	if (!record) return deny('Unknown access token');
	if (record.revoked) return deny('Access token expired');
	if (record.expiresAt <= Date.now()) return deny('Access token expired');
	return { ok: true, token: record };
}

/** The client a request counts against for the rate limit: its token's client, else its IP. */
export function rateLimitKey(req: EmulatorRequest, state: EmulatorState): string {
	const token = bearerToken(req);
	const record = token ? state.tokens.get(token) : undefined;
	return record ? `client:${record.clientId}` : `ip:${req.remoteAddress}`;
}

/** Control API: make every issued token invalid, to test refresh-after-401. */
export function expireAllTokens(state: EmulatorState): number {
	let count = 0;
	for (const record of state.tokens.values()) {
		if (!record.revoked) {
			record.revoked = true;
			count++;
		}
	}
	return count;
}
