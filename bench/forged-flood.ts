/**
 * Forged-flood benchmark (issue 21): what forged traffic costs the genuine callbacks next to it.
 * Against the Pliant Trigger (workflow A) of a running n8n:
 *   1. genuine signed callbacks alone: ack p50;
 *   2. the same number of genuine callbacks while a flood of forged ones runs beside them
 *      (well-formed headers, 150 foreign v1a signatures each, half with a 1 MiB body): ack p50;
 *   3. per forged request: small forged (1 foreign signature) against 150 signatures + 1 MiB,
 *      client-side latency and, given n8n's PIDs, n8n's CPU time.
 * Nothing forged may be accepted. Used by bench/run.ts and by the reliability suite.
 */
import { randomBytes, randomUUID } from 'crypto';

import { cpuMsOf } from './callbacks';
import { median, percentile, postAll, signedCallbacks, type CallbackRequest } from './lib/load';
import type { EmulatorClient } from '../scripts/lib/emulator-client';

export interface ForgedFloodOptions {
	url: string;
	control: EmulatorClient;
	/** genuine callbacks per phase */
	genuine: number;
	/** genuine callbacks in flight at once */
	concurrency: number;
	/** forged requests in flight at once during the flood */
	floodConcurrency: number;
	/** forged requests timed one by one, per kind */
	probes: number;
	/** n8n's PIDs: when given, n8n's CPU time per forged request is measured too */
	pids?: number[];
}

export interface ForgedFloodResult {
	genuine: number;
	genuineAckP50Ms: number;
	genuineAckP50UnderFloodMs: number;
	/** under flood / alone */
	ratio: number;
	genuineAccepted: number;
	forgedSent: number;
	forgedAccepted: number;
	/** client-side ms per request, median of `probes` sequential requests */
	smallForgedMs: number;
	heavyForgedMs: number;
	heavyMinusSmallMs: number;
	/** n8n CPU ms per forged request (every n8n process and its children), when PIDs were given */
	smallForgedCpuMs?: number;
	heavyForgedCpuMs?: number;
	heavyMinusSmallCpuMs?: number;
}

const SMALL_BODY = JSON.stringify({ eventType: 'ORGANIZATION_ADDED', organizationId: '00000000-0000-4000-8000-0000000000f0' });
const HEAVY_BODY = JSON.stringify({ eventType: 'ORGANIZATION_ADDED', organizationId: '00000000-0000-4000-8000-0000000000f1', pad: 'x'.repeat(1024 * 1024) });

/** A forged callback: fresh, well-formed headers; `signatures` foreign Ed25519 signatures. */
export function forgedCallback(signatures: number, heavy: boolean): CallbackRequest {
	const id = `msg_${randomUUID()}`;
	return {
		id,
		body: heavy ? HEAVY_BODY : SMALL_BODY,
		headers: {
			'content-type': 'application/json',
			'x-callback-id': randomUUID(),
			'webhook-id': id,
			'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
			'webhook-signature': Array.from({ length: signatures }, () => `v1a,${randomBytes(64).toString('base64')}`).join(' '),
		},
	};
}

const isAccepted = (status: number) => status >= 200 && status < 300;

async function genuineP50(o: ForgedFloodOptions): Promise<{ p50: number; accepted: number }> {
	const batch = await postAll(o.url, await signedCallbacks(o.control, o.genuine), o.concurrency);
	return { p50: percentile(batch.results.map((r) => r.ms), 50), accepted: batch.results.filter((r) => isAccepted(r.status)).length };
}

/** Forged requests at `floodConcurrency` until `until` resolves; returns how many and how many were accepted. */
async function flood(o: ForgedFloodOptions, until: Promise<unknown>): Promise<{ sent: number; accepted: number }> {
	let done = false;
	void until.finally(() => (done = true));
	let sent = 0;
	let accepted = 0;
	const worker = async (lane: number) => {
		while (!done) {
			const [result] = (await postAll(o.url, [forgedCallback(150, (sent + lane) % 2 === 0)], 1)).results;
			sent++;
			if (isAccepted(result.status)) accepted++;
		}
	};
	await Promise.all(Array.from({ length: o.floodConcurrency }, async (_, lane) => await worker(lane)));
	return { sent, accepted };
}

async function probe(o: ForgedFloodOptions, make: () => CallbackRequest): Promise<{ ms: number; cpuMs?: number; accepted: number }> {
	const times: number[] = [];
	let accepted = 0;
	const requests = Array.from({ length: o.probes }, make); // built before the CPU is counted
	const cpuBefore = o.pids ? cpuMsOf(o.pids) : 0;
	for (const request of requests) {
		const [result] = (await postAll(o.url, [request], 1)).results;
		times.push(result.ms);
		if (isAccepted(result.status)) accepted++;
	}
	const cpuMs = o.pids ? (cpuMsOf(o.pids) - cpuBefore) / o.probes : undefined;
	return { ms: median(times), cpuMs, accepted };
}

export async function runForgedFloodBench(o: ForgedFloodOptions): Promise<ForgedFloodResult> {
	const small = await probe(o, () => forgedCallback(1, false));
	const heavy = await probe(o, () => forgedCallback(150, true));
	const alone = await genuineP50(o);
	const underFlood = genuineP50(o);
	const flooded = await flood(o, underFlood);
	const beside = await underFlood;
	return {
		genuine: o.genuine,
		genuineAckP50Ms: alone.p50,
		genuineAckP50UnderFloodMs: beside.p50,
		ratio: beside.p50 / alone.p50,
		genuineAccepted: alone.accepted + beside.accepted,
		forgedSent: flooded.sent + 2 * o.probes,
		forgedAccepted: flooded.accepted + small.accepted + heavy.accepted,
		smallForgedMs: small.ms,
		heavyForgedMs: heavy.ms,
		heavyMinusSmallMs: heavy.ms - small.ms,
		smallForgedCpuMs: small.cpuMs,
		heavyForgedCpuMs: heavy.cpuMs,
		heavyMinusSmallCpuMs: small.cpuMs === undefined || heavy.cpuMs === undefined ? undefined : heavy.cpuMs - small.cpuMs,
	};
}
