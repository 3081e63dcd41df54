/* eslint-disable @n8n/community-nodes/no-restricted-imports -- bench/test tooling, never published */
/**
 * Callback benchmark: signed callbacks into three workflows of the same n8n, alternating in
 * rounds (A, B, C; then B, C, A; ...) so that machine noise hits all three alike.
 *   A  Pliant Trigger → No Op
 *   B  Webhook → No Op (n8n's own node: the floor)
 *   C  Webhook (raw body) → Code (Ed25519 check) → Respond to Webhook 200/401 (do it yourself)
 * Per workflow: ack latency percentiles, ack throughput, time until every execution has
 * finished (from n8n's database), completed throughput, and CPU time of n8n (every n8n process
 * and its task runner) per callback.
 */
import * as fs from 'fs';

import type { ExecutionCounter } from '../scripts/lib/executions';
import { percentile, postAll, signedCallbacks, type PostResult } from './lib/load';
import type { EmulatorClient } from '../scripts/lib/emulator-client';
import { childPids, sleep, waitFor, type Log } from '../scripts/lib/n8n';

/** D: the Pliant Trigger with the partner-ID lookup off (A has it on, the default). */
export type WorkflowKey = 'A' | 'B' | 'C' | 'D';

export interface BenchWorkflow {
	key: WorkflowKey;
	label: string;
	id: string;
	url: string;
}

export interface CallbackBenchOptions {
	workflows: BenchWorkflow[];
	control: EmulatorClient;
	/** n8n's executions: SQLite (one process) or Postgres (queue mode) */
	db: ExecutionCounter;
	/** PIDs of the n8n processes (their children, the task runners, are counted too) */
	n8nPids: number[];
	total: number;
	concurrency: number;
	rounds: number;
	warmup: number;
	/** the organizations the callbacks are about (known to the emulator); default: a new one per callback */
	organizationIds?: readonly string[];
	log: Log;
}

export interface RoundResult {
	round: number;
	position: number;
	count: number;
	ackWallMs: number;
	/** round start → last execution's stoppedAt */
	drainMs: number;
	cpuMs: number;
}

export interface WorkflowResult {
	key: WorkflowKey;
	label: string;
	callbacks: number;
	nonSuccess: number;
	statuses: Record<string, number>;
	ackMs: { p50: number; p95: number; p99: number; mean: number; max: number };
	/** callbacks / Σ ack wall time */
	ackThroughput: number;
	/** Σ (round start → last execution finished) */
	drainMs: number;
	/** callbacks / drainMs: what the instance sustains end to end */
	throughput: number;
	executions: { success: number; other: number };
	/** n8n CPU time (main + task runner) per callback, ms */
	cpuMsPerCallback: number;
	rounds: RoundResult[];
}

/** utime + stime of processes and their current children, in ms (Linux /proc). */
export function cpuMsOf(pids: number[]): number {
	const ticksPerSecond = 100; // USER_HZ on Linux
	let ticks = 0;
	for (const p of pids.flatMap((pid) => [pid, ...childPids(pid)])) {
		try {
			const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			ticks += Number(fields[11]) + Number(fields[12]);
		} catch {
			// gone
		}
	}
	return (ticks * 1000) / ticksPerSecond;
}

function summarise(key: WorkflowKey, label: string, acks: PostResult[], rounds: RoundResult[], executions: { success: number; other: number }): WorkflowResult {
	const ms = acks.map((a) => a.ms);
	const statuses: Record<string, number> = {};
	for (const a of acks) statuses[String(a.status)] = (statuses[String(a.status)] ?? 0) + 1;
	const ackWall = rounds.reduce((s, r) => s + r.ackWallMs, 0);
	const drain = rounds.reduce((s, r) => s + r.drainMs, 0);
	const cpu = rounds.reduce((s, r) => s + r.cpuMs, 0);
	return {
		key,
		label,
		callbacks: acks.length,
		nonSuccess: acks.filter((a) => a.status < 200 || a.status > 299).length,
		statuses,
		ackMs: {
			p50: percentile(ms, 50),
			p95: percentile(ms, 95),
			p99: percentile(ms, 99),
			mean: ms.reduce((s, v) => s + v, 0) / Math.max(1, ms.length),
			max: Math.max(...ms),
		},
		ackThroughput: acks.length / (ackWall / 1000),
		drainMs: drain,
		throughput: acks.length / (drain / 1000),
		executions,
		cpuMsPerCallback: cpu / Math.max(1, acks.length),
		rounds,
	};
}

/** Sends one batch and waits until n8n has finished one execution per accepted callback. */
async function oneBatch(o: CallbackBenchOptions, wf: BenchWorkflow, count: number): Promise<{ acks: PostResult[]; ackWallMs: number; drainMs: number; cpuMs: number; success: number; other: number }> {
	const requests = await signedCallbacks(o.control, count, { organizationIds: o.organizationIds });
	const afterId = await o.db.maxId();
	const cpu0 = cpuMsOf(o.n8nPids);
	const batch = await postAll(wf.url, requests, o.concurrency);
	const accepted = batch.results.filter((r) => r.status >= 200 && r.status < 300).length;
	const counts = await waitFor(
		`${accepted} finished executions of ${wf.key}`,
		async () => {
			const c = await o.db.counts(wf.id, afterId);
			return c.finished >= accepted ? c : undefined;
		},
		15 * 60_000,
		100,
	);
	const cpuMs = cpuMsOf(o.n8nPids) - cpu0;
	const lastStopped = counts.lastStoppedAt ?? Date.now();
	const drainMs = Math.max(batch.wallMs, lastStopped - batch.startedAt);
	return {
		acks: batch.results,
		ackWallMs: batch.wallMs,
		drainMs,
		cpuMs,
		success: counts.success,
		other: counts.total - counts.success,
	};
}

/**
 * The order of one round: a rotation, then the same rotation mirrored. Over every two rounds each
 * pair of workflows runs once in each order, so the drift of a run (n8n's execution table grows)
 * favours neither side of a per-round ratio; over 2n rounds every workflow takes every position
 * twice. With two workflows: AB, BA, BA, AB, ...
 */
export function roundOrder<T>(workflows: readonly T[], round: number): T[] {
	const shift = Math.floor(round / 2);
	const rotated = workflows.map((_, i) => workflows[(i + shift) % workflows.length]);
	return round % 2 === 0 ? rotated : rotated.reverse();
}

export async function runCallbackBench(o: CallbackBenchOptions): Promise<WorkflowResult[]> {
	const perRound = Math.ceil(o.total / o.rounds);
	// warm-up: JIT, JWKS cache, task runner, sockets; not counted
	for (const wf of o.workflows) {
		if (o.warmup > 0) await oneBatch(o, wf, o.warmup);
	}
	await sleep(1000);

	const acks = new Map<WorkflowKey, PostResult[]>();
	const rounds = new Map<WorkflowKey, RoundResult[]>();
	const executions = new Map<WorkflowKey, { success: number; other: number }>();
	for (const wf of o.workflows) {
		acks.set(wf.key, []);
		rounds.set(wf.key, []);
		executions.set(wf.key, { success: 0, other: 0 });
	}
	let sent = 0;
	for (let round = 0; round < o.rounds; round++) {
		const count = Math.min(perRound, o.total - sent);
		if (count <= 0) break;
		sent += count;
		const order = roundOrder(o.workflows, round);
		for (let position = 0; position < order.length; position++) {
			const wf = order[position];
			const r = await oneBatch(o, wf, count);
			acks.get(wf.key)?.push(...r.acks);
			rounds.get(wf.key)?.push({ round, position, count, ackWallMs: r.ackWallMs, drainMs: r.drainMs, cpuMs: r.cpuMs });
			const e = executions.get(wf.key);
			if (e) {
				e.success += r.success;
				e.other += r.other;
			}
			const p50 = percentile(r.acks.map((a) => a.ms), 50);
			o.log(
				`[bench] round ${round + 1}/${o.rounds} ${wf.key}: ${count} callbacks, ack p50 ${p50.toFixed(1)} ms, ` +
					`acked in ${(r.ackWallMs / 1000).toFixed(1)} s, all finished after ${(r.drainMs / 1000).toFixed(1)} s ` +
					`(${(count / (r.drainMs / 1000)).toFixed(1)}/s), n8n CPU ${(r.cpuMs / count).toFixed(1)} ms/callback`,
			);
			await sleep(500);
		}
	}
	return o.workflows.map((wf) =>
		summarise(wf.key, wf.label, acks.get(wf.key) ?? [], rounds.get(wf.key) ?? [], executions.get(wf.key) ?? { success: 0, other: 0 }),
	);
}

/**
 * Per group of `roundsPerGroup` consecutive rounds: `a`'s finished-per-second over `b`'s, each
 * summed over the group's rounds. With two workflows and groups of two, roundOrder makes every
 * group A B B A or B A A B, so a drift within the group cancels out of its ratio.
 */
export function throughputRatios(a: WorkflowResult, b: WorkflowResult, roundsPerGroup = 1): number[] {
	const groupOf = (r: RoundResult) => Math.floor(r.round / roundsPerGroup);
	const rate = (w: WorkflowResult, group: number) => {
		const rounds = w.rounds.filter((r) => groupOf(r) === group);
		if (rounds.length === 0) return undefined;
		return rounds.reduce((n, r) => n + r.count, 0) / Math.max(1, rounds.reduce((ms, r) => ms + r.drainMs, 0));
	};
	return [...new Set(a.rounds.map(groupOf))].flatMap((group) => {
		const [ra, rb] = [rate(a, group), rate(b, group)];
		return ra !== undefined && rb !== undefined ? [ra / rb] : [];
	});
}
