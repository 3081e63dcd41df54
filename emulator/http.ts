/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev server, never published */
/**
 * Small HTTP helpers shared by the contract routes and the control API. Handlers return a
 * `Reply` instead of writing to the socket, so the server can apply faults (drop the answer
 * after processing) and record the ledger in one place.
 */
import type { IncomingMessage } from 'node:http';

export interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

/** A request as the handlers see it: already read, parsed where possible. */
export interface EmulatorRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingMessage['headers'];
	rawBody: string;
	remoteAddress: string;
	params: Record<string, string>;
}

export const MAX_BODY_BYTES = 1024 * 1024;

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
	return { status, body, headers };
}

export function noContent(): Reply {
	return { status: 204 };
}

/** The contract's error body: `{code, message, details?}`. */
export function errorReply(
	status: number,
	code: string,
	message: string,
	extra?: Record<string, unknown>,
): Reply {
	return json(status, { code, message, ...extra });
}

export class BodyTooLargeError extends Error {}

/** Thrown by domain code (onboarding, subscriptions); the router turns it into `errorReply`. */
export class EmulatorError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly extra?: Record<string, unknown>,
	) {
		super(message);
	}

	toReply(): Reply {
		return errorReply(this.status, this.code, this.message, this.extra);
	}
}

export async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const buffer = chunk as Buffer;
		size += buffer.length;
		if (size > MAX_BODY_BYTES) throw new BodyTooLargeError('request body too large');
		chunks.push(buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

/** Parses a JSON body; an empty body parses to `undefined` so "optional body" routes work. */
export function parseJsonBody(req: EmulatorRequest): JsonParse {
	if (req.rawBody.trim() === '') return { ok: true, value: undefined };
	const type = String(req.headers['content-type'] ?? '');
	if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
		return { ok: false, error: `Content-Type must be application/json (got "${type || 'none'}")` };
	}
	try {
		return { ok: true, value: JSON.parse(req.rawBody) };
	} catch (error) {
		return { ok: false, error: `Malformed JSON body: ${(error as Error).message}` };
	}
}

/** Best-effort parse for the ledger: JSON if it is JSON, form fields if form-encoded, else text. */
export function bodyForLedger(rawBody: string, contentType: string | undefined): unknown {
	if (rawBody === '') return undefined;
	if (/x-www-form-urlencoded/i.test(contentType ?? '')) {
		return Object.fromEntries(new URLSearchParams(rawBody));
	}
	try {
		return JSON.parse(rawBody);
	} catch {
		return rawBody;
	}
}

export function isLoopback(address: string | undefined): boolean {
	if (!address) return false;
	return (
		address === '::1' ||
		address.startsWith('127.') ||
		address.startsWith('::ffff:127.') ||
		address === '::ffff:7f00:1'
	);
}

/** Matches `/a/:id/b` against `/a/123/b`; returns decoded params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
	const want = pattern.split('/');
	const got = path.split('/');
	if (want.length !== got.length) return null;
	const params: Record<string, string> = {};
	for (let index = 0; index < want.length; index++) {
		const segment = want[index];
		const actual = got[index];
		if (segment.startsWith(':') || segment === '*') {
			if (actual === '') return null;
			try {
				params[segment.slice(1) || String(index)] = decodeURIComponent(actual);
			} catch {
				return null;
			}
		} else if (segment !== actual) {
			return null;
		}
	}
	return params;
}

export interface Route<C> {
	method: string;
	pattern: string;
	handler: (req: EmulatorRequest, context: C) => Reply | Promise<Reply>;
}

export type RouteMatch<C> =
	| { kind: 'found'; route: Route<C>; params: Record<string, string> }
	| { kind: 'method-not-allowed'; allow: string[] }
	| { kind: 'not-found' };

export function findRoute<C>(routes: Array<Route<C>>, method: string, path: string): RouteMatch<C> {
	const allow: string[] = [];
	for (const route of routes) {
		const params = matchPath(route.pattern, path);
		if (!params) continue;
		if (route.method === method) return { kind: 'found', route, params };
		allow.push(route.method);
	}
	return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
}

/** Abortable sleep: timers must not outlive `stop()`. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal?.aborted) return resolve();
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}
		signal?.addEventListener('abort', done, { once: true });
	});
}
