/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- bench/test tooling, never published */
/**
 * `npm run bench` (scripts/bench.sh builds, packs, installs n8n and what queue mode needs, then
 * runs this with tsx). For each configuration (n8n 2.41.1 with its default expression engine,
 * 2.41.1 with N8N_EXPRESSION_ENGINE=legacy, 1.123.50, queue mode, ...) one real n8n with the
 * packed package: the callback benchmark (A Pliant Trigger / B Webhook / C do-it-yourself /
 * D the trigger with the partner-ID lookup off), JWKS fetches, the forged flood, on some the
 * partner-ID and header-auth figures (bench/partner-lookup.ts), and on the two n8n lines the
 * lead benchmark. Then the signature micro-benchmark and the package figures.
 *
 * A configuration that cannot run here (queue mode without Redis or Postgres) is reported before
 * the first one starts; one that fails (a process cannot start or dies, a timeout) is reported
 * with its cause and the run goes on. After every configuration bench/results/latest.json (and
 * docs/performance.md's generated part with its chart) is written; the exit code is 0 only when
 * every configuration ran.
 *
 * Env: BENCH_CONFIGS (comma list of keys, default all), BENCH_CALLBACKS (2000),
 * BENCH_CONCURRENCY (16), BENCH_ROUNDS (8), BENCH_WARMUP (48), BENCH_LEADS (1000),
 * BENCH_LEAD_LIMIT ("300/30": requests/seconds), BENCH_FLOOD (genuine callbacks per phase of the
 * forged-flood benchmark, 200; 0 skips it), BENCH_WARM_ORGS (20), BENCH_NEW_ORGS (100),
 * BENCH_NEW_ORG_CALLBACKS (10), BENCH_FORGED_PER_ROUND (200), BENCH_CONFIG_TIMEOUT (minutes per
 * configuration, 60), BENCH_OUT (results file), BENCH_DOC (the doc to regenerate; default
 * docs/performance.md unless BENCH_OUT is set).
 */
import { spawnSync } from 'child_process';
import * as os from 'os';
import * as path from 'path';

import { queueStackMissing, startQueueStack } from '../scripts/lib/queue-stack';
import {
	startBenchStack,
	type BenchStack,
	type RunningEmulator,
	type WorkflowSpec,
	activateAndWait,
	installedTypeVersion,
	createWorkflow,
	diyWorkflow,
	headerAuthCredential,
	pliantCredential,
	pliantTriggerWorkflow,
	startBenchEmulator,
	webhookNoOpWorkflow,
	webhookNodeUrl,
} from './lib/stack';
import { closeAgents, median, postAll, signedCallbacks } from './lib/load';
import type { EmulatorClient } from '../scripts/lib/emulator-client';
import { sqliteCapableNode, type ExecutionCounter } from '../scripts/lib/executions';
import { REPO, checkedSync, installFromEnv, installN8n, makeWorkDir, packedTarball, stderrLog, type N8n, type N8nInstall } from '../scripts/lib/n8n';
import { runCallbackBench, throughputRatios, type BenchWorkflow, type WorkflowKey, type WorkflowResult } from './callbacks';
import { writeDocs } from './doc';
import { runForgedFloodBench, type ForgedFloodResult } from './forged-flood';
import { runLeadBench, type LeadBenchResult } from './leads';
import { runPackageBench, type PackageBenchResult } from './package';
import { LOOKUP_OPTION, packageKnowsLookupOption, runForgedVsHeaderAuth, runNewOrganizations, seedOrganizations, wrongHeaderRequest, type PartnerLookupResult } from './partner-lookup';
import { printReport, type BenchConfigResult } from './report';
import { readResults, startResults, withConfig, withFailure, withFields, writeResults } from './results-file';
import type { SignatureBenchResult } from './signature';

interface BenchConfig {
	key: string;
	version: string;
	label: string;
	env: Record<string, string>;
	/** runs the lead benchmark too (once per n8n line) */
	leads: boolean;
	/** one of the two n8n lines in its default setup: the targets apply */
	line: boolean;
	/** workflows to run (default A, B, C) */
	workflows?: WorkflowKey[];
	/** callbacks per workflow (default BENCH_CALLBACKS) */
	callbacks?: number;
	/** queue mode: main + webhook processor + 2 workers on Redis and Postgres (scripts/lib/queue-stack.ts) */
	queue?: boolean;
	/** the partner-ID lookup figures (issue 28): workflow D (lookup off) in the rounds, 100 new organizations */
	partner?: boolean;
	/** forged callbacks to the trigger against wrong header values to n8n's Webhook node with header auth (E) */
	headerAuth?: boolean;
}

/** Callbacks per workflow in the informative configurations (settings advice, cost of the isolate). */
const INFORMATIVE_CALLBACKS = 600;
/** Callbacks per workflow in queue mode (each configuration starts 4 n8n processes, Redis and Postgres). */
const QUEUE_CALLBACKS = 1000;

const CONFIGS: BenchConfig[] = [
	{ key: '2.41.1', version: '2.41.1', label: 'n8n 2.41.1 (Node 24), default expression engine (vm, pool 1)', env: {}, leads: true, line: true },
	{
		key: '2.41.1-legacy',
		version: '2.41.1',
		label: 'n8n 2.41.1, N8N_EXPRESSION_ENGINE=legacy',
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
		leads: false,
		line: false,
	},
	{
		key: '2.41.1-lazy',
		version: '2.41.1',
		label: 'n8n 2.41.1, vm engine, N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true',
		env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' },
		leads: false,
		line: false,
		workflows: ['A', 'B'],
		callbacks: INFORMATIVE_CALLBACKS,
	},
	{
		key: '2.41.1-pool4',
		version: '2.41.1',
		label: 'n8n 2.41.1, vm engine, N8N_EXPRESSION_ENGINE_POOL_SIZE=4',
		env: { N8N_EXPRESSION_ENGINE_POOL_SIZE: '4' },
		leads: false,
		line: false,
		workflows: ['A', 'B'],
		callbacks: INFORMATIVE_CALLBACKS,
	},
	{
		key: '2.41.1-noskip',
		version: '2.41.1',
		label: 'n8n 2.41.1, vm engine, N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP=false (B pays the isolate too)',
		env: { N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP: 'false' },
		leads: false,
		line: false,
		workflows: ['A', 'B'],
		callbacks: INFORMATIVE_CALLBACKS,
		partner: true,
		headerAuth: true,
	},
	{ key: '1.123.50', version: '1.123.50', label: 'n8n 1.123.50 (Node 20)', env: {}, leads: true, line: true, partner: true, headerAuth: true },
	{
		key: '2.41.1-queue',
		version: '2.41.1',
		label: 'n8n 2.41.1 queue mode: main + webhook processor + 2 workers, Redis, Postgres',
		env: {},
		leads: false,
		line: false,
		workflows: ['A', 'B'],
		callbacks: QUEUE_CALLBACKS,
		queue: true,
	},
	{
		key: '2.41.1-queue-legacy',
		version: '2.41.1',
		label: 'n8n 2.41.1 queue mode, N8N_EXPRESSION_ENGINE=legacy on every process',
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
		leads: false,
		line: false,
		workflows: ['A', 'B'],
		callbacks: QUEUE_CALLBACKS,
		queue: true,
	},
];

const log = stderrLog;
const num = (name: string, def: number) => (process.env[name] ? Number(process.env[name]) : def);

async function installFor(version: string): Promise<N8nInstall> {
	const fromEnv = installFromEnv();
	if (fromEnv && fromEnv.version === version) return fromEnv;
	return await installN8n(version, log);
}

const IDS = {
	A: 'a1b2c3d4-0000-4000-8000-00000000000a',
	B: 'a1b2c3d4-0000-4000-8000-00000000000b',
	C: 'a1b2c3d4-0000-4000-8000-00000000000c',
	D: 'a1b2c3d4-0000-4000-8000-00000000000d',
	E: 'a1b2c3d4-0000-4000-8000-00000000000e',
};
const HEADER_AUTH = { id: 'benchHeaderAuth1', name: 'Bench header auth', header: 'x-bench-auth', value: 'bench-header-value' };

/** A configuration stops early (a process it needs died, or its time ran out): why. */
class Interrupt {
	readonly signal: AbortSignal;
	private readonly controller = new AbortController();
	/** rejects with the cause when the configuration is interrupted */
	readonly interrupted: Promise<never>;

	constructor() {
		this.signal = this.controller.signal;
		this.interrupted = new Promise<never>((_, reject) => this.signal.addEventListener('abort', () => reject(this.signal.reason as Error)));
		this.interrupted.catch(() => undefined);
	}

	abort(cause: Error): void {
		if (!this.signal.aborted) this.controller.abort(cause);
	}
}

/**
 * Interrupts the configuration when one of its processes dies (Redis, Postgres, an n8n process):
 * polled, as Postgres is not our child. Returns the function that stops watching.
 */
function watchProcesses(vital: Array<{ name: string; pid: number }>, interrupt: Interrupt): () => void {
	const timer = setInterval(() => {
		for (const p of vital) {
			try {
				process.kill(p.pid, 0);
			} catch {
				interrupt.abort(new Error(`${p.name} (pid ${p.pid}) stopped during the configuration`));
			}
		}
	}, 1000);
	return () => clearInterval(timer);
}

/** The execution counter, silent once the configuration was interrupted (its waits then end with it). */
function interruptible(db: ExecutionCounter, interrupt: Interrupt): ExecutionCounter {
	const never = new Promise<never>(() => undefined);
	return {
		maxId: async () => (interrupt.signal.aborted ? await never : await db.maxId()),
		counts: async (id, after) => (interrupt.signal.aborted ? await never : await db.counts(id, after)),
	};
}

async function runConfig(cfg: BenchConfig, tgz: string, interrupt: Interrupt): Promise<BenchConfigResult> {
	const started = Date.now();
	const install = await installFor(cfg.version);
	const workDir = makeWorkDir(`bench-${cfg.key}`);
	const stoppers: Array<() => Promise<void>> = [];
	try {
		const { emulator, control } = await startBenchEmulator({ log: () => undefined });
		stoppers.push(() => emulator.stop());
		const leadLimitSpec = (process.env.BENCH_LEAD_LIMIT ?? '300/30').split('/').map(Number);
		const leadLimit = { requests: leadLimitSpec[0], windowSeconds: leadLimitSpec[1] };
		const leadsEmu = cfg.leads
			? await startBenchEmulator({ log: () => undefined, rateLimit: { requests: leadLimit.requests, windowMs: leadLimit.windowSeconds * 1000 } })
			: undefined;
		if (leadsEmu) stoppers.push(() => leadsEmu.emulator.stop());
		// organizations the emulator knows, created before any workflow subscribes (no ORGANIZATION_ADDED reaches n8n)
		const warmOrganizations = cfg.partner ? await seedOrganizations(emulator, control, num('BENCH_WARM_ORGS', 20), 'bench-warm') : undefined;
		const newOrganizations = cfg.partner ? await seedOrganizations(emulator, control, num('BENCH_NEW_ORGS', 100), 'bench-new') : undefined;
		const triggerCred = { id: 'benchTrigger0001', name: 'Pliant (bench emulator)' };
		const leadsCred = { id: 'benchLeads000001', name: 'Pliant (bench leads emulator)' };
		const credentials = [pliantCredential({ ...triggerCred, emulator }), headerAuthCredential(HEADER_AUTH)];
		if (leadsEmu) credentials.push(pliantCredential({ ...leadsCred, emulator: leadsEmu.emulator, rateLimit: leadLimit }));

		const target = cfg.queue
			? await queueTarget({ install, tgz, workDir, credentials, env: cfg.env, log })
			: singleTarget(await startBenchStack({ install, tgz, workDir, credentials, env: cfg.env, log }));
		stoppers.push(() => target.stop());
		const unwatch = watchProcesses(target.vital(), interrupt);
		stoppers.push(async () => unwatch());
		const measured = measure({ cfg, target, emulator, control, leadsEmu, leadsCred, triggerCred, leadLimit, warmOrganizations, newOrganizations, interrupt });
		measured.catch(() => undefined); // when interrupted, what it still does ends unobserved
		const result = await Promise.race([measured, interrupt.interrupted]);
		return {
			...result,
			key: cfg.key,
			label: cfg.label,
			n8nVersion: cfg.version,
			nodeVersion: checkedSync('node', spawnSync(path.join(install.nodeBin, 'node'), ['-v'], { encoding: 'utf8' })).stdout.trim(),
			line: cfg.line,
			env: cfg.env,
			durationS: (Date.now() - started) / 1000,
		};
	} finally {
		interrupt.abort(new Error('configuration ended'));
		// the process watch first (stopping is no failure), then n8n, then the emulators
		for (const stop of stoppers.reverse()) await stop().catch((e: Error) => log(`[bench] ${cfg.key}: stop: ${e.message}`));
	}
}

type Measured = Omit<BenchConfigResult, 'key' | 'label' | 'n8nVersion' | 'nodeVersion' | 'line' | 'env' | 'durationS'>;

async function measure(o: {
	cfg: BenchConfig;
	target: BenchTarget;
	emulator: RunningEmulator;
	control: EmulatorClient;
	leadsEmu?: { emulator: RunningEmulator };
	leadsCred: { id: string; name: string };
	triggerCred: { id: string; name: string };
	leadLimit: { requests: number; windowSeconds: number };
	warmOrganizations?: string[];
	newOrganizations?: string[];
	interrupt: Interrupt;
}): Promise<Measured> {
	const { cfg, target, control } = o;
	// `n8n` takes the API calls (main), `hooks` the callbacks (the webhook processor in queue mode)
	const { n8n, hooks } = target;
	const db = interruptible(target.db, o.interrupt);
	const jwks = ((await (await control.request('GET', '/keys')).json()) as { keys: Array<{ x: string }> }).keys;
	const triggerVersion = installedTypeVersion(hooks.userFolder, 'PliantTrigger');
	const trigger = (id: string, lookup: boolean, name: string) =>
		pliantTriggerWorkflow({
			webhookId: id,
			credential: o.triggerCred,
			typeVersion: triggerVersion,
			name,
			// the option is a node option or a parameter of its own: set both, the node reads its own (older builds neither)
			options: lookup ? {} : { [LOOKUP_OPTION]: false },
			parameters: lookup ? {} : { [LOOKUP_OPTION]: false },
		});
	const wanted: WorkflowKey[] = [...(cfg.workflows ?? ['A', 'B', 'C']), ...(cfg.partner ? (['D'] as const) : [])];
	const all: Array<{ key: WorkflowKey; label: string; spec: WorkflowSpec; url: string }> = [
		{ key: 'A', label: 'Pliant Trigger → No Op', spec: trigger(IDS.A, true, 'bench A: Pliant Trigger'), url: hooks.webhookUrl(IDS.A) },
		{ key: 'B', label: 'Webhook → No Op', spec: webhookNoOpWorkflow(IDS.B, { path: 'bench-b' }), url: webhookNodeUrl(hooks, 'bench-b') },
		{ key: 'C', label: 'Webhook (raw) → Code verify → Respond', spec: diyWorkflow(IDS.C, jwks[jwks.length - 1].x), url: webhookNodeUrl(hooks, 'bench-c') },
		{ key: 'D', label: 'Pliant Trigger, partner-ID lookup off → No Op', spec: trigger(IDS.D, false, 'bench D: Pliant Trigger, lookup off'), url: hooks.webhookUrl(IDS.D) },
	];
	const workflows: BenchWorkflow[] = [];
	for (const w of all.filter((w) => wanted.includes(w.key))) workflows.push({ key: w.key, label: w.label, id: await createWorkflow(n8n, w.spec), url: w.url });
	const headerAuth = cfg.headerAuth ? { id: await createWorkflow(n8n, webhookNoOpWorkflow(IDS.E, { path: 'bench-e', headerAuth: HEADER_AUTH })), url: webhookNodeUrl(hooks, 'bench-e') } : undefined;
	for (const wf of workflows) await activateAndWait(n8n, wf.id, wf.url);
	if (headerAuth) await activateAndWait(n8n, headerAuth.id, headerAuth.url);
	await checkVerification(workflows, control, headerAuth?.url);
	log(`[bench] ${cfg.key}: workflows active; sending callbacks`);

	const pids = target.pids();
	if (pids.length === 0) throw new Error('n8n is not running');
	const warm = o.warmOrganizations;
	const total = Math.min(cfg.callbacks ?? Infinity, num('BENCH_CALLBACKS', 2000));
	const rounds = num('BENCH_ROUNDS', 8);
	const bench = { control, db, n8nPids: pids, concurrency: num('BENCH_CONCURRENCY', 16), organizationIds: warm, log };
	const callbacks = await runCallbackBench({
		...bench,
		workflows,
		total,
		rounds,
		// with the lookup on, every organization of the rounds is looked up during the warm-up: a warm cache
		warmup: Math.max(num('BENCH_WARMUP', 48), warm?.length ?? 0),
	});
	const jwksFetches = o.emulator.state.ledger.filter((e) => e.method === 'GET' && e.path.endsWith('/jwks.json')).length;
	const onOffPair = workflows.filter((w) => w.key === 'A' || w.key === 'D');
	let partnerLookup: PartnerLookupResult | undefined;
	if (onOffPair.length === 2) {
		// The on/off figure from A and D alone: each of its rounds is A D D A or D A A D (two
		// rounds of roundOrder), so nothing else runs between the batches a ratio compares and the
		// run's drift cancels out of it.
		const onOffRounds = num('BENCH_ONOFF_ROUNDS', 16);
		const perBatch = Math.ceil(total / rounds);
		log(`[bench] ${cfg.key}: partner-ID lookup on (A) vs off (D): ${onOffRounds} rounds of A D D A / D A A D, ${perBatch} callbacks a batch`);
		const onOff = await runCallbackBench({ ...bench, workflows: onOffPair, total: 2 * onOffRounds * perBatch, rounds: 2 * onOffRounds, warmup: 0 });
		const [a, d] = ['A', 'D'].map((key) => onOff.find((w) => w.key === key) as WorkflowResult);
		partnerLookup = {
			optionInPackage: packageKnowsLookupOption(hooks.userFolder),
			warmOrganizations: warm?.length ?? 0,
			onOffRoundRatios: throughputRatios(a, d, 2),
			onOffCallbacksPerBatch: perBatch,
		};
		if (!partnerLookup.optionInPackage) log(`[bench] ${cfg.key}: the installed trigger has no ${LOOKUP_OPTION} option: A and D are the same trigger`);
		if (o.newOrganizations && o.newOrganizations.length > 0) {
			partnerLookup.newOrganizations = await runNewOrganizations({
				url: workflows.find((w) => w.key === 'A')?.url ?? '',
				workflowId: workflows.find((w) => w.key === 'A')?.id ?? '',
				db,
				emulator: o.emulator,
				control,
				organizationIds: o.newOrganizations,
				perOrganization: num('BENCH_NEW_ORG_CALLBACKS', 10),
				concurrency: num('BENCH_CONCURRENCY', 16),
				log,
			});
		}
	}
	const forgedVsHeaderAuth = headerAuth
		? await runForgedVsHeaderAuth({
				triggerUrl: workflows.find((w) => w.key === 'A')?.url ?? hooks.webhookUrl(IDS.A),
				headerAuthUrl: headerAuth.url,
				headerName: HEADER_AUTH.header,
				pids: target.pids(),
				rounds: num('BENCH_ROUNDS', 8),
				perRound: num('BENCH_FORGED_PER_ROUND', 200),
				concurrency: num('BENCH_CONCURRENCY', 16),
				log,
			})
		: undefined;
	const forgedFlood = await forgedFloodOn(workflows, control, target.pids());

	let leads: LeadBenchResult | undefined;
	if (o.leadsEmu && target.single) {
		leads = await runLeadBench({ stack: target.single, emulator: o.leadsEmu.emulator, credential: o.leadsCred, count: num('BENCH_LEADS', 1000), limit: o.leadLimit, log });
		log(`[bench] leads: ${leads.succeeded}/${leads.leads} in ${(leads.wallMs / 1000).toFixed(1)} s (minimum ${(leads.minimumMs / 1000).toFixed(0)} s), tokens ${leads.tokenRequests}, 429s ${leads.responses429}`);
	}
	return {
		callbacks,
		ratios: {
			...ratiosOf(callbacks),
			// only a ratio when the trigger has the option: otherwise A and D are one trigger twice
			lookupOnOff: partnerLookup?.optionInPackage && partnerLookup.onOffRoundRatios.length > 0 ? median(partnerLookup.onOffRoundRatios) : undefined,
			forgedToHeaderAuthCpu: forgedVsHeaderAuth ? median(forgedVsHeaderAuth.roundRatios) : undefined,
		},
		jwksFetches,
		forgedFlood,
		triggerTypeVersion: triggerVersion,
		leads,
		partnerLookup,
		forgedVsHeaderAuth,
	};
}

/** Where a configuration's workflows are created and its callbacks sent. */
interface BenchTarget {
	n8n: N8n;
	hooks: N8n;
	db: ExecutionCounter;
	pids(): number[];
	/** the processes the configuration cannot do without (a death interrupts it) */
	vital(): Array<{ name: string; pid: number }>;
	/** the one-process stack (the lead benchmark runs there) */
	single?: BenchStack;
	stop(): Promise<void>;
}

function singleTarget(stack: BenchStack): BenchTarget {
	const pids = () => (stack.n8n.pid ? [stack.n8n.pid] : []);
	return { n8n: stack.n8n, hooks: stack.n8n, db: stack.db, pids, vital: () => pids().map((pid) => ({ name: 'n8n', pid })), single: stack, stop: stack.stop };
}

async function queueTarget(o: { install: N8nInstall; tgz: string; workDir: string; credentials: object[]; env: Record<string, string>; log: typeof log }): Promise<BenchTarget> {
	const stack = await startQueueStack({ install: o.install, tgz: o.tgz, workDir: o.workDir, env: o.env, log: o.log });
	try {
		// imported with their ids, as the one-process stack does (the workflows name them)
		await stack.main.importCredentials(o.credentials);
	} catch (error) {
		await stack.stop();
		throw error;
	}
	const vital = () => [
		{ name: 'redis-server', pid: stack.redis.pid },
		{ name: 'postgres', pid: stack.postgres.pid },
		...[stack.main, stack.webhook, ...stack.workers].flatMap((n, i) => (n.pid ? [{ name: ['n8n main', 'n8n webhook processor'][i] ?? `n8n worker ${i - 1}`, pid: n.pid }] : [])),
	];
	return { n8n: stack.main, hooks: stack.webhook, db: stack.executions, pids: stack.pids, vital, stop: stack.stop };
}

/**
 * Sanity: A, C and D refuse a tampered callback (401), B accepts anything; the header-auth
 * Webhook (E) refuses a wrong header value (403).
 */
async function checkVerification(workflows: BenchWorkflow[], control: EmulatorClient, headerAuthUrl?: string): Promise<void> {
	const [genuine] = await signedCallbacks(control, 1);
	const tampered = { ...genuine, body: genuine.body.replace('ONBOARDING', 'TAMPERED') };
	for (const wf of workflows) {
		const [bad] = (await postAll(wf.url, [tampered], 1)).results;
		const expected = wf.key === 'B' ? 200 : 401;
		if (bad.status !== expected) throw new Error(`workflow ${wf.key} answered a tampered callback with ${bad.status}, expected ${expected}`);
	}
	if (headerAuthUrl) {
		const [wrong] = (await postAll(headerAuthUrl, [wrongHeaderRequest(HEADER_AUTH.header)], 1)).results;
		if (wrong.status !== 403) throw new Error(`the header-auth Webhook answered a wrong header value with ${wrong.status}, expected 403`);
	}
}

/** The forged-flood benchmark (bench/forged-flood.ts) against workflow A, after the callback benchmark. */
async function forgedFloodOn(workflows: BenchWorkflow[], control: EmulatorClient, pids: number[]): Promise<ForgedFloodResult | undefined> {
	const trigger = workflows.find((w) => w.key === 'A');
	const genuine = num('BENCH_FLOOD', 200);
	if (!trigger || genuine <= 0) return undefined;
	const result = await runForgedFloodBench({ url: trigger.url, control, genuine, concurrency: 4, floodConcurrency: 8, probes: 15, pids });
	log(`[bench] forged flood: genuine ack p50 ${result.genuineAckP50Ms.toFixed(1)} ms alone, ${result.genuineAckP50UnderFloodMs.toFixed(1)} ms beside ${result.forgedSent} forged (${result.ratio.toFixed(2)}×); forged accepted: ${result.forgedAccepted}; n8n CPU per forged request ${result.smallForgedCpuMs?.toFixed(1)} ms small, ${result.heavyForgedCpuMs?.toFixed(1)} ms with 150 signatures + 1 MiB`);
	return result;
}

function ratiosOf(results: WorkflowResult[]): BenchConfigResult['ratios'] {
	const by = (k: string) => results.find((r) => r.key === k);
	const a = by('A');
	const b = by('B');
	const c = by('C');
	if (!a || !b) return {};
	return {
		ackP50AtoB: a.ackMs.p50 / b.ackMs.p50,
		ackP95AtoB: a.ackMs.p95 / b.ackMs.p95,
		throughputAtoB: a.throughput / b.throughput,
		throughputAtoC: c ? a.throughput / c.throughput : undefined,
		cpuAtoB: a.cpuMsPerCallback / b.cpuMsPerCallback,
	};
}

function signatureOn(node: string): SignatureBenchResult {
	const tsxCli = path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs');
	const out = checkedSync(node, spawnSync(node, [tsxCli, path.join(REPO, 'bench', 'signature.ts')], { encoding: 'utf8', cwd: REPO }));
	if (out.status !== 0) throw new Error(`signature bench failed on ${node}: ${out.stderr}`);
	return JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as SignatureBenchResult;
}

/** A path as the log shows it: relative inside the repository, absolute outside. */
function shown(file: string): string {
	const rel = path.relative(REPO, file);
	return rel.startsWith('..') ? file : rel;
}

function git(args: string[]): string {
	const out = spawnSync('git', args, { cwd: REPO, encoding: 'utf8' });
	return out.error ? 'unknown' : out.stdout.trim();
}

/** Why a configuration cannot run on this machine (checked before the first one starts), or undefined. */
function cannotRun(cfg: BenchConfig): string | undefined {
	if (!cfg.queue) return undefined;
	const missing = queueStackMissing();
	const setup = process.env.BENCH_QUEUE_SETUP; // why scripts/bench.sh could not install them
	return missing ? `queue mode needs Redis and Postgres: ${missing}${setup ? ` (${setup})` : ''}` : undefined;
}

/** One configuration, bounded by BENCH_CONFIG_TIMEOUT minutes; its failure is returned, not thrown. */
async function runBounded(cfg: BenchConfig, tgz: string): Promise<BenchConfigResult | Error> {
	const interrupt = new Interrupt();
	const minutes = num('BENCH_CONFIG_TIMEOUT', 60);
	const timer = setTimeout(() => interrupt.abort(new Error(`timed out after ${minutes} min (BENCH_CONFIG_TIMEOUT)`)), minutes * 60_000);
	try {
		return await runConfig(cfg, tgz, interrupt);
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error));
	} finally {
		clearTimeout(timer);
	}
}

/**
 * Runs every selected configuration; the results file (and the doc, when written) follow each
 * finished or failed one. Resolves with whether every configuration ran.
 */
async function main(): Promise<boolean> {
	const started = Date.now();
	const selected = (process.env.BENCH_CONFIGS ?? CONFIGS.map((c) => c.key).join(',')).split(',').map((s) => s.trim()).filter(Boolean);
	const configs = selected.map((key) => {
		const cfg = CONFIGS.find((c) => c.key === key);
		if (!cfg) throw new Error(`unknown BENCH_CONFIGS entry "${key}" (known: ${CONFIGS.map((c) => c.key).join(', ')})`);
		return cfg;
	});
	const out = process.env.BENCH_OUT ?? path.join(REPO, 'bench', 'results', 'latest.json');
	// the doc follows the committed results file; another results file only with BENCH_DOC
	const docFile = process.env.BENCH_DOC ?? (process.env.BENCH_OUT ? undefined : path.join(REPO, 'docs', 'performance.md'));
	let results = startResults(readResults(out), {
		generatedAt: new Date().toISOString(),
		commit: git(['rev-parse', '--short', 'HEAD']),
		packageFilesChangedSinceCommit: git(['status', '--porcelain', '--', 'nodes', 'credentials', 'package.json']).split('\n').filter(Boolean).length,
		machine: {
			cpus: os.cpus().length,
			cpuModel: os.cpus()[0]?.model ?? 'unknown',
			memoryGiB: Math.round(os.totalmem() / 2 ** 30),
			loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
			platform: `${os.platform()} ${os.release()}`,
		},
		settings: {
			callbacksPerWorkflow: num('BENCH_CALLBACKS', 2000),
			concurrency: num('BENCH_CONCURRENCY', 16),
			rounds: num('BENCH_ROUNDS', 8),
			warmupPerWorkflow: num('BENCH_WARMUP', 48),
			leads: num('BENCH_LEADS', 1000),
			leadRateLimit: process.env.BENCH_LEAD_LIMIT ?? '300/30',
			newOrganizations: num('BENCH_NEW_ORGS', 100),
			callbacksPerNewOrganization: num('BENCH_NEW_ORG_CALLBACKS', 10),
			n8nEnv: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all', EXECUTIONS_DATA_PRUNE: 'false', EXECUTIONS_DATA_PRUNE_MAX_COUNT: '1000000', DB_TYPE: 'sqlite', DB_SQLITE_POOL_SIZE: '2' },
		},
		selected,
		complete: false,
		durationS: 0,
	});
	const save = () => {
		results = withFields(results, { durationS: (Date.now() - started) / 1000 });
		writeResults(out, results);
		if (docFile) writeDocs(results, docFile, out);
	};
	const fail = (key: string, label: string, status: 'failed' | 'skipped', cause: string) => {
		log(`[bench] ${key}: ${status.toUpperCase()}: ${cause}`);
		results = withFailure(results, { key, label, status, cause, at: new Date().toISOString() });
		save();
	};

	// what cannot run here is said before anything runs
	const runnable: BenchConfig[] = [];
	for (const cfg of configs) {
		const why = cannotRun(cfg);
		if (why) fail(cfg.key, cfg.label, 'skipped', why);
		else runnable.push(cfg);
	}
	if (docFile) log(`[bench] results: ${shown(out)} and ${shown(docFile)}, after every configuration`);
	else log(`[bench] results: ${out}, after every configuration (BENCH_DOC unset: the doc is left alone)`);

	const workDir = makeWorkDir('bench');
	const tgz = packedTarball(workDir, log);
	for (const cfg of runnable) {
		log(`[bench] === ${cfg.label} ===`);
		const result = await runBounded(cfg, tgz);
		if (result instanceof Error) {
			fail(cfg.key, cfg.label, 'failed', result.message);
			continue;
		}
		results = withConfig(results, result);
		save();
		log(`[bench] ${cfg.key}: written to ${shown(out)} (${(result.durationS / 60).toFixed(1)} min)`);
	}

	try {
		log('[bench] signature micro-benchmark');
		const node24 = sqliteCapableNode();
		const signature: Record<string, SignatureBenchResult> = {};
		signature[`node ${checkedSync(node24, spawnSync(node24, ['-v'], { encoding: 'utf8' })).stdout.trim()}`] = signatureOn(node24);
		if (!signature[`node ${process.version}`]) signature[`node ${process.version}`] = signatureOn(process.execPath);
		results = withFields(results, { signature });
		save();
		log('[bench] package figures');
		const node24Version = checkedSync(node24, spawnSync(node24, ['-v'], { encoding: 'utf8' })).stdout.trim();
		const pkg: PackageBenchResult = runPackageBench({ [node24Version]: node24, [process.version]: process.execPath }, tgz);
		results = withFields(results, { package: pkg });
	} catch (error) {
		fail('signature-and-package', 'signature micro-benchmark and package figures', 'failed', (error as Error).message);
	}

	results = withFields(results, { complete: results.failures.length === 0 });
	save();
	printReport(results, (line) => process.stdout.write(`${line}\n`));
	const ran = configs.length - results.failures.filter((f) => selected.includes(f.key)).length;
	process.stdout.write(`\nwritten: ${shown(out)} (${(results.durationS / 60).toFixed(1)} min); ${ran} of ${configs.length} configurations ran\n`);
	return results.complete === true;
}

main()
	.then((allRan) => {
		closeAgents();
		process.exit(allRan ? 0 : 1);
	})
	.catch((error: Error) => {
		closeAgents();
		process.stderr.write(`[bench] failed: ${error.stack ?? error.message}\n`);
		process.exit(1);
	});
