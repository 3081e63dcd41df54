// Part of the local emulator: a dev server, never published (no community-node lint rule fires here).
/**
 * Who may use the emulator (every route: Host allowlist) and its control API (it rotates keys and signs any body the demo n8n then accepts):
 * a loopback peer, naming a loopback Host with the emulator's port (a DNS-rebinding page sends
 * its own host name), and sending the random control token in a custom header (which a web
 * page cannot add to a no-cors request without a CORS preflight, which is never granted).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

import { isLoopbackHost } from '../nodes/shared/http/endpoints';

export const CONTROL_TOKEN_HEADER = 'x-emulator-token';

/**
 * A fresh control token for one emulator run. Hex, so that it never starts with "-": the CLI's
 * `--token <value>` refuses such a value as ambiguous (base64url did so 1 run in 64).
 */
export function newControlToken(): string {
	return randomBytes(24).toString('hex');
}

/**
 * True when the Host header names the emulator's own port and a loopback name, or one of
 * `extraNames` (the address it was started on when that is not loopback). Checked on every
 * route: a DNS-rebinding page reaches the emulator under its own host name, never these.
 */
export function hostAllowed(host: string | undefined, port: number, extraNames: readonly string[] = []): boolean {
	if (!host) return false;
	const match = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(host.trim());
	if (!match || Number(match[2]) !== port) return false;
	const name = match[1].toLowerCase();
	return isLoopbackHost(name) || extraNames.some((extra) => extra.toLowerCase() === name);
}

/** The refusal for any route whose request names a foreign Host, or undefined. */
export function hostRefusal(host: string | undefined, port: number, extraNames: readonly string[] = []): { status: number; message: string } | undefined {
	if (hostAllowed(host, port, extraNames)) return undefined;
	const names = ['127.0.0.1', 'localhost', '[::1]', ...extraNames].map((name) => `${name}:${port}`).join(', ');
	return { status: 403, message: `The emulator answers only for Host ${names}` };
}

/** Constant-time comparison of the sent token with the run's token. */
export function tokenMatches(sent: string | string[] | undefined, token: string): boolean {
	if (typeof sent !== 'string') return false;
	const a = Buffer.from(sent);
	const b = Buffer.from(token);
	return a.length === b.length && timingSafeEqual(a, b);
}

/** Why a control request is refused (status and words), or undefined when it may go on. */
export function controlRefusal(
	headers: Record<string, string | string[] | undefined>,
	port: number,
	token: string,
): { status: number; message: string } | undefined {
	if (!hostAllowed(headers.host as string | undefined, port)) {
		return { status: 403, message: `The control API answers only for Host 127.0.0.1:${port}, localhost:${port} or [::1]:${port}` };
	}
	if (!tokenMatches(headers[CONTROL_TOKEN_HEADER], token)) {
		return {
			status: 401,
			message: `The control API needs the ${CONTROL_TOKEN_HEADER} header with the token the emulator printed at start`,
		};
	}
	return undefined;
}
