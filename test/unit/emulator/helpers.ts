/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test helpers for the dev emulator, never published */
/**
 * Test helpers for the emulator: a plain node:http client (no keep-alive pool, so nothing
 * outlives a test), a callback receiver on 127.0.0.1:0, and a signature check written
 * independently of emulator/signer.ts, with node:crypto only.
 */
import {
	createServer,
	request as httpRequest,
	type IncomingHttpHeaders,
	type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey, verify } from 'node:crypto';

import { CONTROL_TOKEN_HEADER } from '../../../emulator/control-guard';

import {
	startEmulator,
	type EmulatorOptions,
	type RunningEmulator,
} from '../../../emulator/server';
import { EVENT_TYPES, type Jwks, type LeadRequest } from '../../../nodes/shared/contract';
import { CONTRACT_LEAD } from '../../support/fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked with expect(); a loose type keeps the assertions readable
export type LooseJson = any;

export interface HttpResult<T = LooseJson> {
	status: number;
	headers: IncomingHttpHeaders;
	body: T;
	text: string;
}

/** One HTTP request; `body` objects are sent as JSON, strings as they are. */
export function httpCall<T = LooseJson>(
	method: string,
	url: string,
	body?: unknown,
	headers: Record<string, string> = {},
): Promise<HttpResult<T>> {
	return new Promise((resolve, reject) => {
		const payload =
			body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
		const allHeaders: Record<string, string> = { ...headers };
		if (
			payload !== undefined &&
			!Object.keys(allHeaders).some((key) => key.toLowerCase() === 'content-type')
		) {
			allHeaders['content-type'] = 'application/json';
		}
		const req = httpRequest(url, { method, headers: allHeaders, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let parsed: unknown = undefined;
				try {
					parsed = text === '' ? undefined : JSON.parse(text);
				} catch {
					parsed = text;
				}
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed as T, text });
			});
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(payload);
	});
}

export const CREDENTIALS = {
	client_id: 'emulator-client',
	client_secret: 'emulator-secret',
	audience: 'pliant-emulator',
	grant_type: 'client_credentials',
};

/** A started emulator plus a cached token, the way a well-behaved client works. */
export class Harness {
	private token?: string;

	constructor(readonly emu: RunningEmulator) {}

	static async start(options: EmulatorOptions = {}): Promise<Harness> {
		return new Harness(await startEmulator({ port: 0, ...options }));
	}

	async accessToken(): Promise<string> {
		if (!this.token) {
			const result = await httpCall('POST', this.emu.tokenUrl, CREDENTIALS);
			if (result.status !== 200) throw new Error(`token: ${result.status} ${result.text}`);
			this.token = result.body.access_token as string;
		}
		return this.token;
	}

	forgetToken(): void {
		this.token = undefined;
	}

	/** A contract call under /api with the bearer token. */
	async api<T = LooseJson>(
		method: string,
		path: string,
		body?: unknown,
		headers: Record<string, string> = {},
	) {
		const token = await this.accessToken();
		return httpCall<T>(method, `${this.emu.apiBaseUrl}${path}`, body, {
			authorization: `Bearer ${token}`,
			...headers,
		});
	}

	/** A control API call under /_emulator. */
	control<T = LooseJson>(method: string, path: string, body?: unknown) {
		return httpCall<T>(method, `${this.emu.controlUrl}${path}`, body, { [CONTROL_TOKEN_HEADER]: this.emu.controlToken });
	}

	async createLead(overrides: Partial<LeadRequest> = {}) {
		const result = await this.api('POST', '/leads', validLead(overrides));
		if (result.status !== 201) throw new Error(`lead: ${result.status} ${result.text}`);
		return result.body as { leadId: string; partnerOrganizationId: string };
	}

	/** A lead onboarded to an organization (step 1). */
	async createOrganization(overrides: Partial<LeadRequest> = {}): Promise<string> {
		const lead = await this.createLead(overrides);
		const result = await this.control('POST', `/leads/${lead.leadId}/onboard`);
		if (result.status !== 200) throw new Error(`onboard: ${result.status} ${result.text}`);
		return result.body.organizationId as string;
	}

	async waitForDeliveries(timeoutMs = 5000) {
		const result = await this.control('POST', '/deliveries/wait', { timeoutMs });
		if (result.status !== 200) throw new Error(`deliveries still pending: ${result.text}`);
		return result.body;
	}

	stop(): Promise<void> {
		return this.emu.stop();
	}
}

let leadCounter = 0;

/** The contract's example lead, with a fresh partnerOrganizationId each time. */
export function validLead(overrides: Partial<LeadRequest> = {}): LeadRequest {
	leadCounter++;
	return {
		...CONTRACT_LEAD,
		partnerOrganizationId: `crm-${leadCounter}-${Math.random().toString(36).slice(2, 8)}`,
		...overrides,
	};
}

/* ------------------------------------------------------------------ callback receiver */

export interface ReceivedCallback {
	headers: IncomingHttpHeaders;
	raw: Buffer;
	body: LooseJson;
	path: string;
}

export interface Receiver {
	url: string;
	received: ReceivedCallback[];
	/** Status to answer for the n-th request (0-based); default 200. 'drop' resets the socket, 'hang' never answers. */
	respond: (index: number, callback: ReceivedCallback) => number | 'drop' | 'hang';
	waitFor(count: number, timeoutMs?: number): Promise<ReceivedCallback[]>;
	close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
	const waiters = new Set<() => void>();
	const receiver: Receiver = {
		url: '',
		received: [],
		respond: () => 200,
		waitFor(count, timeoutMs = 5000) {
			return new Promise((resolve, reject) => {
				const check = () => {
					if (receiver.received.length >= count) {
						clearTimeout(timer);
						waiters.delete(check);
						resolve(receiver.received);
					}
				};
				const timer = setTimeout(() => {
					waiters.delete(check);
					reject(new Error(`expected ${count} callbacks, got ${receiver.received.length}`));
				}, timeoutMs);
				waiters.add(check);
				check();
			});
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const callback: ReceivedCallback = {
				headers: req.headers,
				raw,
				body: JSON.parse(raw.toString('utf8')),
				path: req.url ?? '/',
			};
			const index = receiver.received.length;
			receiver.received.push(callback);
			const status = receiver.respond(index, callback);
			if (status === 'drop') req.socket.destroy();
			else if (status !== 'hang') {
				res.writeHead(status);
				res.end();
			}
			for (const waiter of [...waiters]) waiter();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks`;
	return receiver;
}

/* ------------------------------------------------------------------ independent signature check */

/**
 * Standard Webhooks, Ed25519 (`v1a`): verify `<webhook-id>.<webhook-timestamp>.<raw body>`
 * against every key of the JWKS; any one matching signature entry is enough.
 */
export function verifyCallback(jwks: Jwks, headers: IncomingHttpHeaders, raw: Buffer): boolean {
	const id = String(headers['webhook-id']);
	const timestamp = String(headers['webhook-timestamp']);
	const content = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), raw]);
	const keys = jwks.keys.map((jwk) => createPublicKey({ key: { ...jwk }, format: 'jwk' }));
	const signatures = String(headers['webhook-signature'])
		.split(' ')
		.filter((entry) => entry.startsWith('v1a,'))
		.map((entry) => Buffer.from(entry.slice(4), 'base64'));
	return signatures.some((signature) => keys.some((key) => verify(null, content, key, signature)));
}

export const ALL_EVENT_TYPES: readonly string[] = EVENT_TYPES;

/** Subscribes `url` to every event type. */
export async function subscribeAll(harness: Harness, url: string): Promise<void> {
	const result = await harness.api('POST', '/subscriptions/bulk-upsert', {
		subscriptions: ALL_EVENT_TYPES.map((eventType) => ({ eventType, callbackUrl: url })),
	});
	if (result.status !== 200) throw new Error(`subscribe: ${result.status} ${result.text}`);
}

/** A URL nothing listens on: bind a port, then free it. */
export async function closedPortUrl(): Promise<string> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}/gone`;
}
