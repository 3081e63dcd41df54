/**
 * Lead benchmark: N items through Pliant Create Lead in one execution (`n8n execute`),
 * against an emulator whose rate limit is scaled down, with the credential's custom rate
 * limit set to match (the transport keeps to 98% of it). Measured: wall time of the node
 * against the minimum the limit allows, token requests and 429 answers (emulator ledger).
 */
import { createWorkflow, leadsWorkflow, type BenchStack, type RunningEmulator } from './lib/stack';
import type { Log } from '../scripts/lib/n8n';

export interface LeadBenchOptions {
	stack: BenchStack;
	emulator: RunningEmulator;
	credential: { id: string; name: string };
	count: number;
	limit: { requests: number; windowSeconds: number };
	log: Log;
}

export interface LeadBenchResult {
	leads: number;
	succeeded: number;
	failed: number;
	leadRequests: number;
	tokenRequests: number;
	responses429: number;
	rateLimit: string;
	transportBudgetPerWindow: number;
	/** Create Lead node: start → end */
	wallMs: number;
	/** first → last POST /api/leads seen by the emulator */
	requestSpanMs: number;
	/** floor((N−1)/limit) windows: request i and i+limit must be a window apart */
	minimumMs: number;
	ratio: number;
	firstErrors: string[];
}

/** The least time in which `n` requests fit a sliding window of `requests` per `windowMs`. */
export function rateLimitMinimumMs(n: number, requests: number, windowMs: number): number {
	return n <= 0 ? 0 : Math.floor((n - 1) / requests) * windowMs;
}

export async function runLeadBench(o: LeadBenchOptions): Promise<LeadBenchResult> {
	const { n8n } = o.stack;
	const prefix = `bench-${Date.now().toString(36)}`;
	const id = await createWorkflow(n8n, leadsWorkflow({ credential: o.credential, count: o.count, prefix, continueOnFail: true }));
	const ledgerBefore = o.emulator.state.ledger.length ? o.emulator.state.ledger[o.emulator.state.ledger.length - 1].seq : 0;
	o.log(`[bench] leads: ${o.count} items, emulator limit ${o.limit.requests}/${o.limit.windowSeconds}s (n8n execute --id=${id})`);
	const run = await n8n.execute(id, 30 * 60_000);
	const nodeRuns = run.data.resultData.runData['Create Lead'] as unknown as Array<{
		startTime: number;
		executionTime: number;
		data?: { main?: Array<Array<{ json: Record<string, unknown> }>> };
	}>;
	if (!nodeRuns?.[0]) throw new Error(`no Create Lead run: ${JSON.stringify(run.data.resultData.error ?? {})}`);
	const items = nodeRuns[0].data?.main?.[0] ?? [];
	const failed = items.filter((i) => i.json.error !== undefined);
	const ledger = o.emulator.state.ledger.filter((e) => e.seq > ledgerBefore);
	const leadCalls = ledger.filter((e) => e.method === 'POST' && e.path.endsWith('/leads'));
	const times = leadCalls.map((e) => Date.parse(e.at));
	const windowMs = o.limit.windowSeconds * 1000;
	const minimumMs = rateLimitMinimumMs(o.count, o.limit.requests, windowMs);
	const wallMs = nodeRuns[0].executionTime;
	return {
		leads: o.count,
		succeeded: items.length - failed.length,
		failed: failed.length,
		leadRequests: leadCalls.length,
		tokenRequests: ledger.filter((e) => e.path.endsWith('/oauth/token')).length,
		responses429: ledger.filter((e) => e.status === 429).length,
		rateLimit: `${o.limit.requests} per ${o.limit.windowSeconds} s`,
		transportBudgetPerWindow: Math.max(1, Math.floor(o.limit.requests * 0.98)),
		wallMs,
		requestSpanMs: times.length > 1 ? Math.max(...times) - Math.min(...times) : 0,
		minimumMs,
		ratio: minimumMs > 0 ? wallMs / minimumMs : NaN,
		firstErrors: failed.slice(0, 3).map((i) => String(i.json.error)),
	};
}
