/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- bench/test tooling, never published */
/**
 * `npm run bench` (scripts/bench.sh builds, packs and installs n8n, then runs this with tsx).
 * For each configuration (n8n 2.41.1 with its default expression engine, 2.41.1 with
 * N8N_EXPRESSION_ENGINE=legacy, 1.123.50, ...) one real n8n with the packed package:
 * the callback benchmark (A Pliant Trigger / B Webhook / C do-it-yourself), JWKS fetches,
 * and on the two n8n lines the lead benchmark. Then the signature micro-benchmark and the
 * package figures. Prints a table, writes bench/results/latest.json.
 *
 * Env: BENCH_CONFIGS (comma list of keys, default all), BENCH_CALLBACKS (2000),
 * BENCH_CONCURRENCY (16), BENCH_ROUNDS (8), BENCH_WARMUP (48), BENCH_LEADS (1000),
 * BENCH_LEAD_LIMIT ("300/30": requests/seconds), BENCH_OUT (result file).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { startQueueStack } from '../scripts/lib/queue-stack';
import { startBenchStack, type BenchStack, activateAndWait, installedTypeVersion, createWorkflow, diyWorkflow, pliantCredential, pliantTriggerWorkflow, startBenchEmulator, webhookNoOpWorkflow, webhookNodeUrl } from './lib/stack';
import { closeAgents, postAll, signedCallbacks } from './lib/load';
import type { EmulatorClient } from '../scripts/lib/emulator-client';
import { sqliteCapableNode } from './lib/db';
import { REPO, installFromEnv, installN8n, makeWorkDir, packedTarball, stderrLog, type N8n, type N8nInstall } from '../scripts/lib/n8n';
import { runCallbackBench, type BenchWorkflow, type ExecutionCounter, type WorkflowKey, type WorkflowResult } from './callbacks';
import { runLeadBench, type LeadBenchResult } from './leads';
import { runPackageBench, type PackageBenchResult } from './package';
import { evaluateTargets, printReport, type BenchConfigResult, type BenchResults } from './report';
import type { SignatureBenchResult } from './signature';
import { spawnSync } from 'child_process';

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
	},
	{ key: '1.123.50', version: '1.123.50', label: 'n8n 1.123.50 (Node 20)', env: {}, leads: true, line: true },
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

async function runConfig(cfg: BenchConfig, tgz: string): Promise<BenchConfigResult> {
	const started = Date.now();
	const install = await installFor(cfg.version);
	const workDir = makeWorkDir(`bench-${cfg.key}`);
	const { emulator, control } = await startBenchEmulator({ log: () => undefined });
	const leadLimitSpec = (process.env.BENCH_LEAD_LIMIT ?? '300/30').split('/').map(Number);
	const leadLimit = { requests: leadLimitSpec[0], windowSeconds: leadLimitSpec[1] };
	const leadsEmu = cfg.leads
		? await startBenchEmulator({ log: () => undefined, rateLimit: { requests: leadLimit.requests, windowMs: leadLimit.windowSeconds * 1000 } })
		: undefined;
	const triggerCred = { id: 'benchTrigger0001', name: 'Pliant (bench emulator)' };
	const leadsCred = { id: 'benchLeads000001', name: 'Pliant (bench leads emulator)' };
	const credentials = [pliantCredential({ ...triggerCred, emulator })];
	if (leadsEmu) credentials.push(pliantCredential({ ...leadsCred, emulator: leadsEmu.emulator, rateLimit: leadLimit }));

	const target = cfg.queue
		? await queueTarget({ install, tgz, workDir, credentials, env: cfg.env, log })
		: singleTarget(await startBenchStack({ install, tgz, workDir, credentials, env: cfg.env, log }));
	try {
		// `n8n` takes the API calls (main), `hooks` the callbacks (the webhook processor in queue mode)
		const { n8n, hooks } = target;
		const jwks = ((await (await fetch(`${emulator.url}/_emulator/keys`)).json()) as { keys: Array<{ x: string }> }).keys;
		const ids = { A: 'a1b2c3d4-0000-4000-8000-00000000000a', B: 'a1b2c3d4-0000-4000-8000-00000000000b', C: 'a1b2c3d4-0000-4000-8000-00000000000c' };
		const triggerVersion = installedTypeVersion(hooks.userFolder, 'PliantTrigger');
		const wfA = await createWorkflow(n8n, pliantTriggerWorkflow({ webhookId: ids.A, credential: triggerCred, typeVersion: triggerVersion }));
		const wfB = await createWorkflow(n8n, webhookNoOpWorkflow(ids.B));
		const wfC = await createWorkflow(n8n, diyWorkflow(ids.C, jwks[jwks.length - 1].x));
		const wanted = cfg.workflows ?? ['A', 'B', 'C'];
		const workflows: BenchWorkflow[] = (
			[
				{ key: 'A', label: 'Pliant Trigger → No Op', id: wfA, url: hooks.webhookUrl(ids.A) },
				{ key: 'B', label: 'Webhook → No Op', id: wfB, url: webhookNodeUrl(hooks, 'bench-b') },
				{ key: 'C', label: 'Webhook (raw) → Code verify → Respond', id: wfC, url: webhookNodeUrl(hooks, 'bench-c') },
			] as BenchWorkflow[]
		).filter((w) => wanted.includes(w.key));
		for (const wf of workflows) await activateAndWait(n8n, wf.id, wf.url);
		await checkVerification(workflows, control);
		log(`[bench] ${cfg.key}: workflows active; sending callbacks`);

		const pids = target.pids();
		if (pids.length === 0) throw new Error('n8n is not running');
		const callbacks = await runCallbackBench({
			workflows,
			control,
			db: target.db,
			n8nPids: pids,
			total: Math.min(cfg.callbacks ?? Infinity, num('BENCH_CALLBACKS', 2000)),
			concurrency: num('BENCH_CONCURRENCY', 16),
			rounds: num('BENCH_ROUNDS', 8),
			warmup: num('BENCH_WARMUP', 48),
			log,
		});
		const jwksFetches = emulator.state.ledger.filter((e) => e.method === 'GET' && e.path.endsWith('/jwks.json')).length;

		let leads: LeadBenchResult | undefined;
		if (leadsEmu && target.single) {
			leads = await runLeadBench({ stack: target.single, emulator: leadsEmu.emulator, credential: leadsCred, count: num('BENCH_LEADS', 1000), limit: leadLimit, log });
			log(`[bench] leads: ${leads.succeeded}/${leads.leads} in ${(leads.wallMs / 1000).toFixed(1)} s (minimum ${(leads.minimumMs / 1000).toFixed(0)} s), tokens ${leads.tokenRequests}, 429s ${leads.responses429}`);
		}
		return {
			key: cfg.key,
			label: cfg.label,
			n8nVersion: cfg.version,
			nodeVersion: spawnSync(path.join(install.nodeBin, 'node'), ['-v'], { encoding: 'utf8' }).stdout.trim(),
			line: cfg.line,
			env: cfg.env,
			callbacks,
			ratios: ratiosOf(callbacks),
			jwksFetches,
			triggerTypeVersion: triggerVersion,
			leads,
			durationS: (Date.now() - started) / 1000,
		};
	} finally {
		await target.stop();
		await emulator.stop();
		await leadsEmu?.emulator.stop();
	}
}

/** Where a configuration's workflows are created and its callbacks sent. */
interface BenchTarget {
	n8n: N8n;
	hooks: N8n;
	db: ExecutionCounter;
	pids(): number[];
	/** the one-process stack (the lead benchmark runs there) */
	single?: BenchStack;
	stop(): Promise<void>;
}

function singleTarget(stack: BenchStack): BenchTarget {
	return { n8n: stack.n8n, hooks: stack.n8n, db: stack.db, pids: () => (stack.n8n.pid ? [stack.n8n.pid] : []), single: stack, stop: stack.stop };
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
	return { n8n: stack.main, hooks: stack.webhook, db: stack.executions, pids: stack.pids, stop: stack.stop };
}

/** Sanity: A and C refuse a tampered callback (401) and accept a genuine one, B accepts anything. */
async function checkVerification(workflows: BenchWorkflow[], control: EmulatorClient): Promise<void> {
	const [genuine] = await signedCallbacks(control, 1);
	const tampered = { ...genuine, body: genuine.body.replace('ONBOARDING', 'TAMPERED') };
	for (const wf of workflows) {
		const [bad] = (await postAll(wf.url, [tampered], 1)).results;
		const expected = wf.key === 'B' ? 200 : 401;
		if (bad.status !== expected) throw new Error(`workflow ${wf.key} answered a tampered callback with ${bad.status}, expected ${expected}`);
	}
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
	const out = spawnSync(node, [tsxCli, path.join(REPO, 'bench', 'signature.ts')], { encoding: 'utf8', cwd: REPO });
	if (out.status !== 0) throw new Error(`signature bench failed on ${node}: ${out.stderr}`);
	return JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as SignatureBenchResult;
}

async function main(): Promise<void> {
	const started = Date.now();
	const selected = (process.env.BENCH_CONFIGS ?? CONFIGS.map((c) => c.key).join(',')).split(',').map((s) => s.trim()).filter(Boolean);
	const workDir = makeWorkDir('bench');
	const tgz = packedTarball(workDir, log);
	const loadBefore = os.loadavg();

	const configs: BenchConfigResult[] = [];
	for (const key of selected) {
		const cfg = CONFIGS.find((c) => c.key === key);
		if (!cfg) throw new Error(`unknown BENCH_CONFIGS entry "${key}" (known: ${CONFIGS.map((c) => c.key).join(', ')})`);
		log(`[bench] === ${cfg.label} ===`);
		configs.push(await runConfig(cfg, tgz));
	}

	log('[bench] signature micro-benchmark');
	const node24 = sqliteCapableNode();
	const signature: Record<string, SignatureBenchResult> = {};
	signature[`node ${spawnSync(node24, ['-v'], { encoding: 'utf8' }).stdout.trim()}`] = signatureOn(node24);
	if (!signature[`node ${process.version}`]) signature[`node ${process.version}`] = signatureOn(process.execPath);

	log('[bench] package figures');
	const pkg: PackageBenchResult = runPackageBench(
		Object.fromEntries(Object.entries({ [spawnSync(node24, ['-v'], { encoding: 'utf8' }).stdout.trim()]: node24, [process.version]: process.execPath })),
		tgz,
	);

	const git = (args: string[]) => spawnSync('git', args, { cwd: REPO, encoding: 'utf8' }).stdout.trim();
	const results: BenchResults = {
		generatedAt: new Date().toISOString(),
		commit: git(['rev-parse', '--short', 'HEAD']),
		packageFilesChangedSinceCommit: git(['status', '--porcelain', '--', 'nodes', 'credentials', 'package.json'])
			.split('\n')
			.filter(Boolean).length,
		machine: {
			cpus: os.cpus().length,
			cpuModel: os.cpus()[0]?.model ?? 'unknown',
			memoryGiB: Math.round(os.totalmem() / 2 ** 30),
			loadAverageAtStart: loadBefore.map((l) => Number(l.toFixed(2))),
			platform: `${os.platform()} ${os.release()}`,
		},
		settings: {
			callbacksPerWorkflow: num('BENCH_CALLBACKS', 2000),
			concurrency: num('BENCH_CONCURRENCY', 16),
			rounds: num('BENCH_ROUNDS', 8),
			warmupPerWorkflow: num('BENCH_WARMUP', 48),
			leads: num('BENCH_LEADS', 1000),
			leadRateLimit: process.env.BENCH_LEAD_LIMIT ?? '300/30',
			n8nEnv: { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all', EXECUTIONS_DATA_PRUNE: 'false', EXECUTIONS_DATA_PRUNE_MAX_COUNT: '1000000', DB_TYPE: 'sqlite', DB_SQLITE_POOL_SIZE: '2' },
		},
		configs,
		signature,
		package: pkg,
		targets: [],
		durationS: 0,
	};
	results.targets = evaluateTargets(results);
	results.durationS = (Date.now() - started) / 1000;

	const out = process.env.BENCH_OUT ?? path.join(REPO, 'bench', 'results', 'latest.json');
	fs.mkdirSync(path.dirname(out), { recursive: true });
	fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
	printReport(results, (line) => process.stdout.write(`${line}\n`));
	process.stdout.write(`\nwritten: ${path.relative(REPO, out)} (${(results.durationS / 60).toFixed(1)} min)\n`);
}

main()
	.then(() => {
		closeAgents();
		process.exit(0);
	})
	.catch((error: Error) => {
		closeAgents();
		process.stderr.write(`[bench] failed: ${error.stack ?? error.message}\n`);
		process.exit(1);
	});
