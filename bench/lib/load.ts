/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/**
 * Signed Pliant callbacks and a small HTTP load generator (keep-alive, fixed concurrency,
 * per-request latency), shared by the benchmarks and the reliability suite.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import { performance } from 'perf_hooks';

import { CALLBACK_HEADERS } from '../../nodes/shared/contract';
import type { EmulatorClient } from '../../scripts/lib/emulator-client';

export interface CallbackRequest {
	body: string;
	headers: Record<string, string>;
	/** the callback id (x-callback-id = webhook-id) */
	id: string;
}

export interface CallbackOptions {
	eventType?: string;
	organizationId?: string;
	/** callback i is about organizationIds[i % length] (organizations the emulator knows) */
	organizationIds?: readonly string[];
	/** unix seconds to sign with (default: now) */
	timestamp?: number;
}

/** One callback body as Pliant sends it (flat JSON, one line). */
export function callbackBody(opts: CallbackOptions = {}, index = 0): string {
	return JSON.stringify({
		eventType: opts.eventType ?? 'ORGANIZATION_STATE_CHANGED',
		organizationId:
			opts.organizationId ??
			(opts.organizationIds?.length ? opts.organizationIds[index % opts.organizationIds.length] : undefined) ??
			`0b7c${String(index).padStart(4, '0')}-1f2e-4d3c-9b8a-7f6e5d4c3b2a`,
		statusChange: { beforeChange: 'ONBOARDING_RISK_AND_COMPLIANCE', afterChange: 'ONBOARDING_MANDATES_AND_TERMS' },
	});
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const out: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			out[i] = await fn(items[i], i);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return out;
}

/** `count` callbacks signed by the emulator's current key, each with its own callback id. */
export async function signedCallbacks(
	control: EmulatorClient,
	count: number,
	opts: CallbackOptions = {},
): Promise<CallbackRequest[]> {
	return await mapLimit(Array.from({ length: count }, (_, i) => i), 8, async (i) => {
		const id = randomUUID();
		const body = callbackBody(opts, i);
		const res = await control.request('POST', '/sign', { body, webhookId: id, timestamp: opts.timestamp });
		if (!res.ok) throw new Error(`emulator sign: HTTP ${res.status} ${await res.text()}`);
		const { headers } = (await res.json()) as { headers: Record<string, string> };
		return {
			id,
			body,
			headers: {
				'content-type': 'application/json',
				[CALLBACK_HEADERS.callbackId]: id,
				[CALLBACK_HEADERS.callbackCreatedAt]: new Date().toISOString().replace('Z', '000000Z'),
				...headers,
			},
		};
	});
}

export interface PostResult {
	status: number;
	/** request start → response fully read, ms */
	ms: number;
	/** ms since the batch started, when the answer came */
	at: number;
	body: string;
	error?: string;
}

export interface BatchResult {
	results: PostResult[];
	startedAt: number;
	/** wall time of the whole batch, ms */
	wallMs: number;
}

const agents = new Map<number, http.Agent>();

function agentFor(concurrency: number): http.Agent {
	let agent = agents.get(concurrency);
	if (!agent) {
		agent = new http.Agent({ keepAlive: true, maxSockets: concurrency, keepAliveMsecs: 1000 });
		agents.set(concurrency, agent);
	}
	return agent;
}

/** Closes the keep-alive sockets (call before the process wants to exit). */
export function closeAgents(): void {
	for (const agent of agents.values()) agent.destroy();
	agents.clear();
}

function postOnce(url: URL, req: CallbackRequest, agent: http.Agent, t0: number): Promise<PostResult> {
	return new Promise((resolve) => {
		const start = performance.now();
		const payload = Buffer.from(req.body, 'utf8');
		const r = http.request(
			{
				host: url.hostname,
				port: url.port,
				path: url.pathname + url.search,
				method: 'POST',
				agent,
				headers: { ...req.headers, 'content-length': String(payload.length) },
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const end = performance.now();
					resolve({ status: res.statusCode ?? 0, ms: end - start, at: end - t0, body: Buffer.concat(chunks).toString() });
				});
				res.on('error', (e) => {
					const end = performance.now();
					resolve({ status: 0, ms: end - start, at: end - t0, body: '', error: e.message });
				});
			},
		);
		r.setTimeout(60_000, () => r.destroy(new Error('timeout')));
		r.on('error', (e) => {
			const end = performance.now();
			resolve({ status: 0, ms: end - start, at: end - t0, body: '', error: e.message });
		});
		r.end(payload);
	});
}

/** POSTs every request to `url` with `concurrency` in flight; keeps input order in the results. */
export async function postAll(url: string, requests: CallbackRequest[], concurrency: number): Promise<BatchResult> {
	const target = new URL(url);
	const agent = agentFor(concurrency);
	const startedAt = Date.now();
	const t0 = performance.now();
	const results = await mapLimit(requests, concurrency, async (req) => await postOnce(target, req, agent, t0));
	return { results, startedAt, wallMs: performance.now() - t0 };
}

/** The p-th percentile (0..100) of numbers, nearest-rank. */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank];
}

export function median(values: number[]): number {
	return percentile(values, 50);
}
