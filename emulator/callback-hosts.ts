// Part of the local emulator: a dev server, never published (no community-node lint rule fires here).
/**
 * Where the emulator may send callbacks. It POSTs signed bodies to every subscribed URL, so a
 * subscription to an arbitrary host would make it a request forwarder for whoever can reach it;
 * by default only loopback receivers (the local n8n) are taken. Tests that need made-up hosts
 * start it with `callbackHosts: 'any'` (CLI: --any-callback-host).
 */
import { ERROR_CODES } from '../nodes/shared/contract';
import { isLoopbackHost } from '../nodes/shared/http/endpoints';
import { errorReply, type Reply } from './http';

export type CallbackHosts = 'loopback' | 'any';

/** Why a callback URL is refused, or undefined when it may be used. */
export function callbackUrlProblem(url: string, allowed: CallbackHosts): string | undefined {
	if (allowed === 'any') return undefined;
	let hostname: string;
	try {
		hostname = new URL(url).hostname;
	} catch {
		return 'must be an absolute URL';
	}
	return isLoopbackHost(hostname)
		? undefined
		: `must point at a loopback host (127.0.0.1, localhost or [::1]); start the emulator with --any-callback-host to allow ${hostname}`;
}

/** The 400 for a bulk upsert naming a callback URL that is not allowed, or undefined. */
export function refusedCallbackUrls(wanted: Array<{ callbackUrl: string }>, allowed: CallbackHosts): Reply | undefined {
	const details = wanted
		.map((item, index) => ({ field: `subscriptions[${index}].callbackUrl`, message: callbackUrlProblem(item.callbackUrl, allowed) }))
		.filter((detail): detail is { field: string; message: string } => detail.message !== undefined);
	if (details.length === 0) return undefined;
	return errorReply(400, ERROR_CODES.illegalArguments, 'The emulator delivers callbacks to loopback hosts only', { details });
}
