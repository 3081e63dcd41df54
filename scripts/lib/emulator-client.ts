/**
 * A thin client for the emulator's control API (`<url>/_emulator`, see emulator/server.ts):
 * what the e2e tests and the demo read and steer. Shapes are kept loose on purpose: the tests
 * assert the fields they need.
 */
import { CONTROL_TOKEN_HEADER } from '../../emulator/control-guard';

export interface LedgerEntry {
	seq?: number;
	method: string;
	path: string;
	body?: unknown;
	status?: number | null;
	route?: string;
	[key: string]: unknown;
}

export interface Delivery {
	deliveryId?: string;
	callbackId: string;
	eventType: string;
	organizationId?: string;
	url: string;
	state: string;
	statuses: Array<number | string>;
	body: string;
	[key: string]: unknown;
}

export interface EmulatorSubscription {
	id: string;
	eventType: string;
	callbackUrl: string;
}

export interface EmulatorState {
	leads: Array<Record<string, unknown>>;
	organizations: Array<Record<string, unknown>>;
	subscriptions: EmulatorSubscription[];
	counters: Record<string, unknown>;
	[key: string]: unknown;
}

export class EmulatorClient {
	readonly url: string;
	private readonly token: string;

	/** `token`: the emulator's control token (RunningEmulator.controlToken, printed by `npm start`). */
	constructor(url: string, token: string) {
		this.url = url.replace(/\/$/, '');
		this.token = token;
	}

	/**
	 * Any control API request (`path` under /_emulator), with the control token: the one place
	 * the token is sent, for the calls the typed methods below do not cover.
	 */
	async request(method: string, path: string, body?: unknown): Promise<Response> {
		const headers: Record<string, string> = { [CONTROL_TOKEN_HEADER]: this.token };
		if (body !== undefined) headers['content-type'] = 'application/json';
		return await fetch(`${this.url}/_emulator${path}`, {
			method,
			headers,
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
	}

	private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
		const res = await this.request(method, path, body);
		const text = await res.text();
		if (!res.ok) throw new Error(`emulator ${method} ${path}: HTTP ${res.status} ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	health(): Promise<unknown> {
		return this.call('GET', '/health');
	}

	async state(): Promise<EmulatorState> {
		const raw = await this.call<Record<string, unknown>>('GET', '/state');
		const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : v && typeof v === 'object' ? (Object.values(v) as T[]) : []);
		return {
			...raw,
			leads: list(raw.leads),
			organizations: list(raw.organizations),
			subscriptions: list<EmulatorSubscription>(raw.subscriptions),
			counters: (raw.counters as Record<string, unknown>) ?? {},
		};
	}

	async ledger(): Promise<LedgerEntry[]> {
		const raw = await this.call<unknown>('GET', '/ledger');
		return unwrapList<LedgerEntry>(raw, 'ledger', 'entries', 'requests');
	}

	async deliveries(): Promise<Delivery[]> {
		const raw = await this.call<unknown>('GET', '/deliveries');
		return unwrapList<Delivery>(raw, 'deliveries');
	}

	/** Resolves when no callback delivery is pending (POST /deliveries/wait); false on timeout. */
	async waitForDeliveries(timeoutMs = 10_000): Promise<boolean> {
		const res = await this.request('POST', '/deliveries/wait', { timeoutMs });
		const body = (await res.json()) as { idle?: boolean };
		return Boolean(body.idle);
	}

	reset(): Promise<unknown> {
		return this.call('POST', '/reset');
	}

	config(patch: Record<string, unknown>): Promise<unknown> {
		return this.call('POST', '/config', patch);
	}

	faults(body: unknown): Promise<unknown> {
		return this.call('POST', '/faults', body);
	}

	/** Starts onboarding of a lead; returns the new organization id. */
	async onboard(leadId: string): Promise<string> {
		const res = await this.call<{ organizationId: string }>('POST', `/leads/${encodeURIComponent(leadId)}/onboard`);
		return res.organizationId;
	}

	advance(organizationId: string): Promise<unknown> {
		return this.call('POST', `/organizations/${encodeURIComponent(organizationId)}/advance`);
	}

	complete(organizationId: string): Promise<unknown> {
		return this.call('POST', `/organizations/${encodeURIComponent(organizationId)}/complete`);
	}

	/** Fires one signed event (to every matching subscription, or to `callbackUrl`). */
	event(body: { eventType: string; organizationId: string; callbackUrl?: string; [k: string]: unknown }): Promise<unknown> {
		return this.call('POST', '/events', body);
	}

	/**
	 * Sends one signed event `copies` times at once to `callbackUrl`, under one X-Callback-Id and
	 * each under a fresh webhook-id (POST /events/burst); returns the IDs and each copy's status.
	 */
	burst(body: {
		eventType: string;
		organizationId: string;
		callbackUrl: string;
		copies: number;
		[k: string]: unknown;
	}): Promise<{ callbackId: string; webhookIds: string[]; statuses: Array<number | string> }> {
		return this.call('POST', '/events/burst', body);
	}

	/** Publishes a new signing key (and drops the others with `dropOld`); returns its kid. */
	async rotateKeys(dropOld = false): Promise<string> {
		return (await this.call<{ kid: string }>('POST', '/keys/rotate', { dropOld })).kid;
	}

	/** Revokes every token now, or once `afterRequests` more API requests have been answered. */
	expireTokens(afterRequests?: number): Promise<unknown> {
		return this.call('POST', '/tokens/expire', afterRequests === undefined ? undefined : { afterRequests });
	}

	/** Counts `count` requests of a client as sent just now (Pliant's window already in use). */
	fillRateWindow(count: number, clientId?: string): Promise<unknown> {
		return this.call('POST', '/rate-limit/fill', clientId === undefined ? { count } : { count, clientId });
	}

	/** Signs a body with the emulator's key: the headers to send with it. */
	async sign(body: string, timestamp?: number): Promise<Record<string, string>> {
		const res = await this.call<{ headers: Record<string, string> }>('POST', '/sign', { body, timestamp });
		return res.headers;
	}
}

function unwrapList<T>(raw: unknown, ...keys: string[]): T[] {
	if (Array.isArray(raw)) return raw as T[];
	if (raw && typeof raw === 'object') {
		for (const k of keys) {
			const v = (raw as Record<string, unknown>)[k];
			if (Array.isArray(v)) return v as T[];
		}
	}
	throw new Error(`unexpected emulator answer: ${JSON.stringify(raw).slice(0, 300)}`);
}
