/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test tooling, never published */
/**
 * n8n 2.x in queue mode on one machine (shared/docs/n8n-queue-mode.md): Redis and Postgres
 * as plain processes of this runner (loopback only, data in a temporary folder), one main
 * (`n8n start`), one webhook processor (`n8n webhook`) and N workers (`n8n worker`), each
 * with its own user folder holding the unpacked package, as n8n loads community packages per
 * process. Used by the queue-mode test (test/queue/) and the queue benchmark (bench/run.ts).
 * Everything is stopped by PID; every PID is also listed under `<workDir>/**\/pids/`.
 */
import { spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import type { ExecutionCounter, ExecutionCounts } from './executions';
import {
	N8n,
	childFailure,
	findFreePort,
	installCommunityPackage,
	installHint,
	spawnFailure,
	stderrLog,
	stopPid,
	track,
	waitFor,
	type Log,
	type N8nInstall,
	type OwnerLogin,
} from './n8n';

export const QUEUE_OWNER: OwnerLogin = {
	email: 'queue@example.com',
	firstName: 'Queue',
	lastName: 'Test',
	password: 'Queue-Passw0rd',
};

/** Debian bookworm's Postgres; `PLIANT_PG_BIN` overrides the folder of initdb/pg_ctl. */
const PG_BIN = process.env.PLIANT_PG_BIN || '/usr/lib/postgresql/15/bin';
const DB = { database: 'n8n', user: 'n8n', password: 'n8n-queue-pass' };

/** `name` as the shell would find it on PATH, or undefined. */
function onPath(name: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
		const file = path.join(dir, name);
		try {
			fs.accessSync(file, fs.constants.X_OK);
			return file;
		} catch {
			// not in this folder
		}
	}
	return undefined;
}

/**
 * Why the queue stack cannot start on this machine (the programs it runs, with what to install),
 * or undefined when all are there: checked before use, so a run can skip queue mode up front.
 */
export function queueStackMissing(): string | undefined {
	const missing = [
		...['redis-server', 'redis-cli', 'psql'].filter((p) => !onPath(p)),
		...['initdb', 'pg_ctl'].filter((p) => !fs.existsSync(path.join(PG_BIN, p))).map((p) => path.join(PG_BIN, p)),
	];
	if (missing.length === 0) return undefined;
	return `missing ${missing.join(', ')}: install ${[...new Set(missing.map((m) => installHint(m)))].join('; ')}`;
}

/** Ports of the queue stack (e2e 5690-5699, bench/reliability 5720-5739). */
const N8N_PORTS = { from: 5740, to: 5779 };

interface ExecResult {
	code: number;
	stdout: string;
	stderr: string;
}

function exec(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, input?: string): Promise<ExecResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', (error: NodeJS.ErrnoException) => reject(spawnFailure(cmd, error)));
		child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
		if (input !== undefined) {
			child.stdin?.on('error', () => undefined); // a command that exits early: its answer tells
			child.stdin?.end(input);
		}
	});
}

async function execOk(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
	const res = await exec(cmd, args, env);
	if (res.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.code}): ${res.stdout}${res.stderr}`);
	return res.stdout;
}

/** initdb and pg_ctl refuse to run as root: then they run as the `postgres` user. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
	return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function writePidFile(workDir: string, pid: number, what: string): string {
	const dir = path.join(workDir, 'pids');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, String(pid));
	fs.writeFileSync(file, `${what}\n`);
	return file;
}

/* ------------------------------------------------------------------ Redis */

export interface Redis {
	port: number;
	pid: number;
	stop(): Promise<void>;
}

/** `redisServer`: the program to run (default: `redis-server` from PATH). */
export async function startRedis(workDir: string, redisServer = 'redis-server'): Promise<Redis> {
	const port = await findFreePort(6390, 6419, false);
	const dir = path.join(workDir, 'redis');
	fs.mkdirSync(dir, { recursive: true });
	const child = spawn(
		redisServer,
		['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', path.join(dir, 'redis.log')],
		{ stdio: 'ignore' },
	);
	track(child, dir);
	// a missing redis-server (or one that exits) fails this step at once, with what to install
	let failed: Error | undefined;
	childFailure(child, `redis-server (see ${dir}/redis.log)`).catch((error: Error) => (failed ??= error));
	await waitFor(`redis on ${port}`, async () => failed !== undefined || (await exec('redis-cli', ['-p', String(port), 'ping'])).stdout.includes('PONG'), 20_000, 100);
	if (failed) throw failed;
	const pid = child.pid as number;
	return { port, pid, stop: async () => await stopPid(pid, 10_000) };
}

/* ------------------------------------------------------------------ Postgres */

export interface Postgres {
	port: number;
	/** the postmaster's PID */
	pid: number;
	/** one SQL query → its rows as JSON objects (through psql) */
	rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
	stop(): Promise<void>;
}

/**
 * A throwaway cluster in a temporary folder (os.tmpdir(): the `postgres` user must reach it,
 * which a 0700 folder of root's would forbid), trust auth on 127.0.0.1 only, socket in that folder.
 */
export async function startPostgres(workDir: string): Promise<Postgres> {
	const port = await findFreePort(5440, 5469, false);
	const base = fs.mkdtempSync(path.join(os.tmpdir(), 'pliant-pg-'));
	fs.chmodSync(base, 0o711);
	// data, log and socket in one folder the cluster's owner may write to
	const dir = path.join(base, 'pg');
	const data = path.join(dir, 'data');
	if (process.getuid?.() === 0) await execOk('install', ['-d', '-o', 'postgres', '-m', '700', dir]);
	else fs.mkdirSync(dir, { mode: 0o700 });
	const run = async (cmd: string, args: string[]) => await execOk(...asPostgres(path.join(PG_BIN, cmd), args));
	try {
		await run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '-N']);
		await run('pg_ctl', ['-D', data, '-l', path.join(dir, 'postgres.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
	} catch (error) {
		fs.rmSync(base, { recursive: true, force: true });
		throw error;
	}
	const postmasterPid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
	const pidFile = writePidFile(workDir, postmasterPid, `postgres ${data}`);
	const psql = (user: string, database: string, sql: string) =>
		exec('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', database, '-qAt', '-v', 'ON_ERROR_STOP=1', '-f', '-'], { ...process.env, PGPASSWORD: DB.password }, sql);
	const setup = await psql('postgres', 'postgres', `CREATE USER ${DB.user} WITH PASSWORD '${DB.password}'; CREATE DATABASE ${DB.database} OWNER ${DB.user};`);
	if (setup.code !== 0) throw new Error(`postgres setup failed: ${setup.stderr}`);
	let stopped = false;
	return {
		port,
		pid: postmasterPid,
		async rows<T>(sql: string): Promise<T[]> {
			const res = await psql(DB.user, DB.database, `SELECT coalesce(json_agg(q), '[]'::json) FROM (${sql}) q;`);
			if (res.code !== 0) throw new Error(`psql: ${res.stderr.trim()}\n${sql}`);
			return JSON.parse(res.stdout) as T[];
		},
		async stop() {
			if (stopped) return;
			stopped = true;
			await exec(...asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '20', 'stop']));
			try {
				process.kill(postmasterPid, 'SIGKILL');
			} catch {
				// stopped by pg_ctl, as it should be
			}
			fs.rmSync(pidFile, { force: true });
			fs.rmSync(base, { recursive: true, force: true });
		},
	};
}

/** The execution counts the benchmark needs, from Postgres (the SQLite reader's shape: scripts/lib/executions.ts). */
export class PostgresExecutions implements ExecutionCounter {
	constructor(private readonly postgres: Postgres) {}

	async maxId(): Promise<number> {
		const [row] = await this.postgres.rows<{ id: number | null }>('SELECT max(id) AS id FROM execution_entity');
		return Number(row?.id ?? 0);
	}

	async counts(workflowId: string, afterId = 0): Promise<ExecutionCounts> {
		const [row] = await this.postgres.rows<Record<string, string | number | null>>(
			`SELECT count(*) AS total,
				count(*) FILTER (WHERE status IN ('success','error','crashed','canceled') OR finished) AS finished,
				count(*) FILTER (WHERE status = 'success') AS success,
				count(*) FILTER (WHERE status IN ('error','crashed')) AS error,
				max("stoppedAt") AS "lastStoppedAt", min("startedAt") AS "firstStartedAt"
			 FROM execution_entity WHERE "workflowId" = '${workflowId.replace(/'/g, "''")}' AND id > ${Number(afterId)}`,
		);
		const time = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : undefined);
		return {
			total: Number(row?.total ?? 0),
			finished: Number(row?.finished ?? 0),
			success: Number(row?.success ?? 0),
			error: Number(row?.error ?? 0),
			lastStoppedAt: time(row?.lastStoppedAt),
			firstStartedAt: time(row?.firstStartedAt),
		};
	}
}

/* ------------------------------------------------------------------ n8n in queue mode */

export interface QueueStackOptions {
	install: N8nInstall;
	tgz: string;
	workDir: string;
	workers?: number;
	/** extra environment for every n8n process (e.g. N8N_EXPRESSION_ENGINE) */
	env?: Record<string, string>;
	log?: Log;
}

export interface QueueStack {
	main: N8n;
	webhook: N8n;
	workers: N8n[];
	redis: Redis;
	postgres: Postgres;
	/** Execution counts from Postgres (the benchmark's ExecutionCounter) */
	executions: PostgresExecutions;
	/** PIDs of every n8n process of the stack */
	pids(): number[];
	/** Which process ran each execution id, from the workers' logs ("Worker started execution N"). */
	executionsByWorker(): Map<string, string[]>;
	stop(): Promise<void>;
}

/** The environment every n8n process of the stack shares (n8n-queue-mode.md §4). */
function queueEnv(redis: Redis, postgres: Postgres, mainUrl: string, webhookUrl: string, extra: Record<string, string>): Record<string, string> {
	return {
		N8N_ENCRYPTION_KEY: randomBytes(24).toString('base64'),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: DB.database,
		DB_POSTGRESDB_USER: DB.user,
		DB_POSTGRESDB_PASSWORD: DB.password,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		// production webhooks (the trigger's subscriptions) point at the webhook processor
		N8N_WEBHOOK_URL: `${webhookUrl}/`,
		N8N_EDITOR_BASE_URL: `${mainUrl}/`,
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_PUBLIC_API_DISABLED: 'false',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_PRUNE: 'false',
		EXECUTIONS_DATA_PRUNE_MAX_COUNT: '1000000',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		...extra,
	};
}

export async function startQueueStack(opts: QueueStackOptions): Promise<QueueStack> {
	const log = opts.log ?? stderrLog;
	const started = Date.now();
	const stoppers: Array<() => Promise<void>> = [];
	const stop = async () => {
		// n8n first, Redis last but one (without Redis every n8n process stalls), Postgres last
		for (const s of stoppers.reverse()) await s().catch((e: Error) => log(`[queue] stop: ${e.message}`));
		stoppers.length = 0;
	};
	try {
		const postgres = await startPostgres(opts.workDir);
		stoppers.push(postgres.stop);
		const redis = await startRedis(opts.workDir);
		stoppers.push(redis.stop);
		log(`[queue] postgres :${postgres.port}, redis :${redis.port} up in ${((Date.now() - started) / 1000).toFixed(1)} s`);

		// each process: its own folder (n8n reads a .env from its cwd), port, and task-broker port (port + 1)
		const ports: number[] = [];
		for (let i = 0; i < 2 + (opts.workers ?? 2); i++) {
			// findFreePort starts at a random port: skip ports (and their +1) already handed out
			let port = await findFreePort(N8N_PORTS.from, N8N_PORTS.to);
			for (let tries = 0; ports.some((p) => Math.abs(p - port) <= 1); tries++) {
				if (tries > 100) throw new Error(`no ${i + 1} free port pairs in ${N8N_PORTS.from}-${N8N_PORTS.to}`);
				port = await findFreePort(N8N_PORTS.from, N8N_PORTS.to);
			}
			ports.push(port);
		}
		const [mainPort, webhookPort, ...workerPorts] = ports;
		const env = queueEnv(redis, postgres, `http://127.0.0.1:${mainPort}`, `http://127.0.0.1:${webhookPort}`, opts.env ?? {});
		const make = (name: string, port: number, command: 'start' | 'webhook' | 'worker', extra: Record<string, string> = {}) => {
			const workDir = path.join(opts.workDir, name);
			fs.mkdirSync(workDir, { recursive: true });
			const n8n = new N8n({ install: opts.install, workDir, port, command, env: { ...env, ...extra }, log });
			installCommunityPackage(opts.tgz, n8n.userFolder);
			return n8n;
		};
		const main = make('main', mainPort, 'start', { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' });
		const webhook = make('webhook', webhookPort, 'webhook');
		const workers = workerPorts.map((port, i) =>
			make(`worker${i + 1}`, port, 'worker', {
				// the health server defaults to 5678 on every interface
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(port),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			}),
		);
		stoppers.push(() => main.stop());
		// main first: it runs the migrations
		await main.start(180_000);
		stoppers.push(async () => {
			await Promise.all([webhook, ...workers].map(async (n) => await n.stop()));
		});
		await Promise.all([webhook, ...workers].map(async (n) => await n.start(180_000)));
		for (const port of workerPorts) {
			await waitFor(`worker health on ${port}`, async () => (await fetch(`http://127.0.0.1:${port}/healthz/readiness`)).ok, 30_000, 200);
		}
		await main.setupOwner(QUEUE_OWNER);
		await main.createApiKey('queue');
		log(`[queue] main :${mainPort}, webhook processor :${webhookPort}, ${workers.length} workers ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

		return {
			main,
			webhook,
			workers,
			redis,
			postgres,
			executions: new PostgresExecutions(postgres),
			pids: () => [main, webhook, ...workers].map((n) => n.pid).filter((p): p is number => p !== undefined),
			executionsByWorker() {
				const out = new Map<string, string[]>();
				workers.forEach((w, i) => {
					const ids = [...w.logText().matchAll(/Worker started execution (\d+) /g)].map((m) => m[1]);
					out.set(`worker${i + 1}`, ids);
				});
				return out;
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

