/** The result file's shape, the targets of issue 9, and the printed table. */
import type { WorkflowResult } from './callbacks';
import type { ForgedFloodResult } from './forged-flood';
import type { LeadBenchResult } from './leads';
import type { PackageBenchResult } from './package';
import type { ForgedVsHeaderAuthResult, PartnerLookupResult } from './partner-lookup';
import type { SignatureBenchResult } from './signature';

export interface BenchConfigResult {
	key: string;
	label: string;
	n8nVersion: string;
	nodeVersion: string;
	/** one of the two supported n8n lines in their default setup (targets apply) */
	line: boolean;
	env: Record<string, string>;
	callbacks: WorkflowResult[];
	ratios: {
		ackP50AtoB?: number;
		ackP95AtoB?: number;
		throughputAtoB?: number;
		throughputAtoC?: number;
		cpuAtoB?: number;
		/** Pliant Trigger throughput with the partner-ID lookup on / off (median of per-round ratios) */
		lookupOnOff?: number;
		/** n8n CPU per forged callback to the trigger / per wrong-header request to n8n's Webhook node with header auth */
		forgedToHeaderAuthCpu?: number;
	};
	jwksFetches: number;
	/** genuine callbacks next to a forged flood (bench/forged-flood.ts), when it ran */
	forgedFlood?: ForgedFloodResult;
	/** the Pliant Trigger's typeVersion in workflow A */
	triggerTypeVersion: number;
	leads?: LeadBenchResult;
	/** the partner-ID lookup (issue 28): on against off, and 100 new organizations */
	partnerLookup?: PartnerLookupResult;
	/** forged callbacks to the trigger against wrong header values to n8n's Webhook node with header auth */
	forgedVsHeaderAuth?: ForgedVsHeaderAuthResult;
	durationS: number;
	/** when and at which commit this configuration ran (set when it is written to the results file) */
	ranAt?: string;
	commit?: string;
}

/** A configuration of the run that did not finish: why, and when. */
export interface BenchConfigFailure {
	key: string;
	label: string;
	/** skipped: not started (a prerequisite is missing); failed: started and did not finish */
	status: 'failed' | 'skipped';
	cause: string;
	at: string;
}

export interface TargetResult {
	target: string;
	scope: string;
	value: string;
	met: boolean;
}

export interface BenchResults {
	generatedAt: string;
	/** HEAD when the bench ran, and how many package files differed from it */
	commit: string;
	packageFilesChangedSinceCommit: number;
	machine: { cpus: number; cpuModel: string; memoryGiB: number; loadAverageAtStart: number[]; platform: string };
	settings: Record<string, unknown>;
	configs: BenchConfigResult[];
	/** configurations of this run that failed or were skipped (their earlier figures, if any, stay in `configs`) */
	failures: BenchConfigFailure[];
	/** the configurations this run was asked for, and whether it has finished all of them */
	selected?: string[];
	complete?: boolean;
	signature: Record<string, SignatureBenchResult>;
	package?: PackageBenchResult;
	targets: TargetResult[];
	durationS: number;
}

/** Fewer callbacks or rounds than the defaults: a smoke run, not figures to quote. */
export function isShortRun(r: BenchResults): boolean {
	const s = r.settings;
	return Number(s.callbacksPerWorkflow ?? 2000) < 2000 || Number(s.rounds ?? 8) < 8;
}

/** A ratio as the reports print it ("1.03×"); `missing` where there is none. */
export const ratioText = (v: number | undefined, missing = 'n/a') => (v === undefined || !Number.isFinite(v) ? missing : `${v.toFixed(2)}×`);

/** The ratio columns of both summary tables (the terminal's and docs/performance.md's), in one order. */
export const RATIO_COLUMNS = ['A/B ack p50', 'A/B throughput', 'A/C throughput', 'A/B CPU', 'lookup on/off', 'forged / header auth CPU'];

/** A configuration's cells under RATIO_COLUMNS. */
export function ratioCells(c: BenchConfigResult, missing?: string): string[] {
	const r = c.ratios;
	return [r.ackP50AtoB, r.throughputAtoB, r.throughputAtoC, r.cpuAtoB, r.lookupOnOff, r.forgedToHeaderAuthCpu].map((v) => ratioText(v, missing));
}

export function evaluateTargets(r: BenchResults): TargetResult[] {
	const out: TargetResult[] = [];
	for (const c of r.configs) {
		const scope = c.line ? c.label : `${c.label} (informative)`;
		const { ackP50AtoB, throughputAtoB, throughputAtoC } = c.ratios;
		if (ackP50AtoB !== undefined) {
			out.push({ target: 'Trigger ack p50 ≤ 1.10× Webhook (B)', scope, value: ratioText(ackP50AtoB), met: ackP50AtoB <= 1.1 });
		}
		if (throughputAtoB !== undefined) {
			out.push({ target: 'Trigger throughput ≥ 0.9× Webhook (B)', scope, value: ratioText(throughputAtoB), met: throughputAtoB >= 0.9 });
		}
		if (throughputAtoC !== undefined) {
			out.push({ target: 'Trigger throughput ≥ 1.1× do-it-yourself (C)', scope, value: ratioText(throughputAtoC), met: throughputAtoC >= 1.1 });
		}
		const { lookupOnOff, forgedToHeaderAuthCpu } = c.ratios;
		if (lookupOnOff !== undefined) {
			out.push({ target: 'Trigger throughput, partner-ID lookup on ≥ 0.97× off (warm cache)', scope, value: ratioText(lookupOnOff), met: lookupOnOff >= 0.97 });
		}
		const fresh = c.partnerLookup?.newOrganizations;
		if (fresh) {
			out.push({
				target: '100 new organizations: ≤ 1 organization request each, 0 × 429',
				scope,
				value: `${fresh.organizationRequests} requests for ${fresh.organizations}, ${fresh.responses429} × 429`,
				met: fresh.organizationRequests <= fresh.organizations && fresh.responses429 === 0,
			});
		}
		if (forgedToHeaderAuthCpu !== undefined) {
			out.push({ target: 'n8n CPU: forged callback to the trigger ≤ 1.1× wrong header to Webhook with header auth', scope, value: ratioText(forgedToHeaderAuthCpu), met: forgedToHeaderAuthCpu <= 1.1 });
		}
		if (c.leads) {
			const l = c.leads;
			const tokensPer1000 = (l.tokenRequests * 1000) / l.leads;
			out.push({ target: '1 token request per 1,000 leads', scope, value: `${l.tokenRequests} for ${l.leads}`, met: tokensPer1000 <= 1 });
			out.push({ target: '0 responses 429', scope, value: String(l.responses429), met: l.responses429 === 0 });
			out.push({
				target: 'Lead wall time ≤ 1.05× the rate-limit minimum',
				scope,
				value: `${(l.wallMs / 1000).toFixed(1)} s / ${(l.minimumMs / 1000).toFixed(0)} s = ${ratioText(l.ratio)}`,
				met: l.ratio <= 1.05,
			});
		}
	}
	for (const [node, s] of Object.entries(r.signature)) {
		out.push({ target: 'Signature check ≤ 1.2× raw crypto.verify', scope: node, value: `${s.packageUs.toFixed(1)} µs / ${s.rawUs.toFixed(1)} µs = ${ratioText(s.ratio)}`, met: s.ratio <= 1.2 });
	}
	return out;
}

function pad(cells: string[], widths: number[]): string {
	return `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
}

/** A Markdown table (also readable in a terminal). */
export function table(head: string[], rows: string[][]): string[] {
	const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
	return [pad(head, widths), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map((r) => pad(r, widths))];
}

export function callbackRows(r: BenchResults): string[][] {
	const rows: string[][] = [];
	for (const c of r.configs) {
		for (const w of c.callbacks) {
			rows.push([
				c.key,
				`${w.key} ${w.label}`,
				w.ackMs.p50.toFixed(1),
				w.ackMs.p95.toFixed(1),
				w.ackMs.p99.toFixed(1),
				w.ackThroughput.toFixed(1),
				w.throughput.toFixed(1),
				(w.drainMs / 1000).toFixed(1),
				w.cpuMsPerCallback.toFixed(1),
				`${w.executions.success}/${w.callbacks}`,
			]);
		}
	}
	return rows;
}

/** Queue-mode configurations (`…-queue…`) against the one-process configuration of the same settings. */
export function queueComparison(r: BenchResults): string[][] {
	const rows: string[][] = [];
	for (const q of r.configs.filter((c) => c.key.includes('-queue'))) {
		const engine = q.env.N8N_EXPRESSION_ENGINE;
		const single = r.configs.find((c) => !c.key.includes('-queue') && c.n8nVersion === q.n8nVersion && c.env.N8N_EXPRESSION_ENGINE === engine && Object.keys(c.env).length === Object.keys(q.env).length);
		const qa = q.callbacks.find((w) => w.key === 'A');
		const sa = single?.callbacks.find((w) => w.key === 'A');
		if (!qa) continue;
		rows.push([
			q.key,
			qa.throughput.toFixed(1),
			sa ? `${sa.throughput.toFixed(1)} (${single?.key})` : 'not in this run',
			sa ? ratioText(qa.throughput / sa.throughput) : 'n/a',
			sa ? `${qa.ackMs.p50.toFixed(0)} / ${sa.ackMs.p50.toFixed(0)}` : qa.ackMs.p50.toFixed(0),
		]);
	}
	return rows;
}

/** Genuine callbacks beside a forged flood: ack p50 alone and under the flood, their ratio, forged cost. */
export function printForgedFlood(r: BenchResults, out: (line: string) => void): void {
	const rows = r.configs
		.filter((c) => c.forgedFlood)
		.map((c) => {
			const f = c.forgedFlood as ForgedFloodResult;
			return [
				c.key,
				f.genuineAckP50Ms.toFixed(1),
				f.genuineAckP50UnderFloodMs.toFixed(1),
				ratioText(f.ratio),
				`${f.genuineAccepted}/${2 * f.genuine}`,
				`${f.forgedAccepted}/${f.forgedSent}`,
				`${f.smallForgedMs.toFixed(1)} / ${f.heavyForgedMs.toFixed(1)} (${f.heavyMinusSmallMs >= 0 ? '+' : ''}${f.heavyMinusSmallMs.toFixed(1)})`,
				f.heavyMinusSmallCpuMs === undefined ? 'n/a' : `${f.smallForgedCpuMs?.toFixed(1)} / ${f.heavyForgedCpuMs?.toFixed(1)} (${f.heavyMinusSmallCpuMs >= 0 ? '+' : ''}${f.heavyMinusSmallCpuMs.toFixed(1)})`,
			];
		});
	if (rows.length === 0) return;
	out('');
	out('Forged flood (150 foreign signatures each, half with 1 MiB bodies) beside genuine callbacks to the Pliant Trigger');
	for (const line of table(
		['config', 'genuine ack p50 ms alone', 'under flood', 'ratio', 'genuine accepted', 'forged accepted', 'ms small forged / 150 sig + 1 MiB (diff)', 'n8n CPU ms small / 150 sig + 1 MiB (diff)'],
		rows,
	))
		out(line);
}

/** Configurations of this run that failed or were skipped, with their cause. */
export function printFailures(r: BenchResults, out: (line: string) => void): void {
	if (r.failures.length === 0) return;
	out('');
	out('Configurations that did not finish in this run:');
	for (const f of r.failures) out(`- ${f.key}: ${f.status}: ${f.cause}`);
	out('');
}

export function printReport(r: BenchResults, out: (line: string) => void): void {
	out('');
	out(`Callbacks: ${String(r.settings.callbacksPerWorkflow)} signed callbacks per workflow, concurrency ${String(r.settings.concurrency)}, ${String(r.settings.rounds)} alternating rounds`);
	for (const line of table(
		['config', 'workflow', 'ack p50 ms', 'p95', 'p99', 'acks/s', 'finished/s', 'all done s', 'n8n CPU ms/cb', 'executions ok'],
		callbackRows(r),
	))
		out(line);
	const queueRows = queueComparison(r);
	if (queueRows.length > 0) {
		out('');
		out('Queue mode (main + webhook processor + 2 workers) next to one n8n process, same run: Pliant Trigger → No Op, executions finished per second');
		for (const line of table(['config', 'queue mode /s', 'one process /s', 'queue / one process', 'ack p50 ms queue / one'], queueRows)) out(line);
	}
	out('');
	for (const line of table(
		['config', ...RATIO_COLUMNS, 'JWKS fetches'],
		r.configs.map((c) => [c.key, ...ratioCells(c), String(c.jwksFetches)]),
	))
		out(line);
	printForgedFlood(r, out);
	const leadConfigs = r.configs.filter((c) => c.leads);
	if (leadConfigs.length > 0) {
		out('');
		for (const line of table(
			['config', 'leads ok', 'rate limit', 'wall s', 'minimum s', 'ratio', 'token requests', '429s'],
			leadConfigs.map((c) => {
				const l = c.leads as LeadBenchResult;
				return [c.key, `${l.succeeded}/${l.leads}`, l.rateLimit, (l.wallMs / 1000).toFixed(1), (l.minimumMs / 1000).toFixed(0), ratioText(l.ratio), String(l.tokenRequests), String(l.responses429)];
			}),
		))
			out(line);
	}
	out('');
	for (const line of table(
		['node', 'package check µs', 'raw verify µs', 'ratio'],
		Object.entries(r.signature).map(([n, s]) => [n, s.packageUs.toFixed(1), s.rawUs.toFixed(1), ratioText(s.ratio)]),
	))
		out(line);
	out('');
	const p = r.package;
	if (p) out(
		`Package: dist ${(p.distBytes / 1024).toFixed(0)} KiB in ${p.distFiles} files (JS ${(p.jsBytes / 1024).toFixed(0)} KiB)` +
			`${p.tarballBytes ? `, tarball ${(p.tarballBytes / 1024).toFixed(0)} KiB` : ''}; cold require of all classes: ` +
			Object.entries(p.requireMs)
				.map(([n, v]) => `${v.median.toFixed(1)} ms (node ${n.replace(/^v/, '')})`)
				.join(', '),
	);
	out('');
	printFailures(r, out);
	for (const line of table(
		['target', 'scope', 'value', 'met'],
		r.targets.map((t) => [t.target, t.scope, t.value, t.met ? 'yes' : 'NO']),
	))
		out(line);
}
