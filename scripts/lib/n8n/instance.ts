/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/**
 * One real, headless n8n process loading this package as a community package
 * (shared/docs/n8n-e2e.md): its environment, `n8n start` / `webhook` / `worker`, and the n8n CLI
 * (import, publish, execute). Its HTTP APIs are in client.ts. Used by the e2e tests (jest), the
 * local demo (`npm start`), the benchmarks and the README picture script.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { N8nClient } from './client';
import type { N8nInstall } from './install';
import { childFailure, findFreePort, stderrLog, stopPid, tail, track, waitFor, type Log } from './process';
import { findRun, type ExecuteResult, type N8nExecution } from './run-output';

export interface N8nOptions {
	install: N8nInstall;
	/** holds n8n.log, scratch/, pids/ */
	workDir: string;
	port: number;
	/** N8N_USER_FOLDER; default `<workDir>/n8n-user` */
	userFolder?: string;
	/** listen address and host; default 127.0.0.1 */
	host?: string;
	/** extra environment, applied last */
	env?: Record<string, string>;
	/** what `start()` runs: the main process (default), a queue-mode webhook processor or worker */
	command?: N8nCommand;
	log?: Log;
}

export type N8nCommand = 'start' | 'webhook' | 'worker';

/** The log line each command prints once it serves (n8n-queue-mode.md §5). */
const READY_LINE: Record<N8nCommand, string> = {
	start: 'Editor is now accessible via',
	webhook: 'Webhook listener waiting for requests',
	worker: 'n8n worker is now ready',
};

export interface CliResult {
	code: number;
	stdout: string;
	stderr: string;
}

export class N8n extends N8nClient {
	readonly install: N8nInstall;
	readonly workDir: string;
	readonly port: number;
	readonly host: string;
	readonly userFolder: string;
	readonly logFile: string;
	readonly command: N8nCommand;
	private readonly extraEnv: Record<string, string>;
	private readonly log: Log;
	private child?: ChildProcess;
	private nextBrokerOffset = 2;

	constructor(opts: N8nOptions) {
		const host = opts.host ?? '127.0.0.1';
		super(`http://${host}:${opts.port}`, opts.install.major);
		this.install = opts.install;
		this.workDir = opts.workDir;
		this.port = opts.port;
		this.host = host;
		this.userFolder = opts.userFolder ?? path.join(opts.workDir, 'n8n-user');
		this.logFile = path.join(opts.workDir, `n8n-${this.port}.log`);
		this.extraEnv = opts.env ?? {};
		this.command = opts.command ?? 'start';
		this.log = opts.log ?? stderrLog;
		fs.mkdirSync(this.userFolder, { recursive: true });
		fs.mkdirSync(path.join(this.workDir, 'scratch'), { recursive: true });
	}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	/** The production URL of an MCP Server Trigger (Streamable HTTP and SSE on 2.x triggers). */
	mcpUrl(mcpPath: string): string {
		return `${this.baseUrl}/mcp/${mcpPath}`;
	}

	/** The production webhook URL of a trigger with a fixed webhookId. */
	webhookUrl(webhookId: string, webhookPath = 'webhook'): string {
		return `${this.baseUrl}/webhook/${webhookId}/${webhookPath}`;
	}

	/** The environment of every n8n command of this instance (n8n-e2e.md §4). */
	env(brokerPort = this.port + 1): NodeJS.ProcessEnv {
		const env: NodeJS.ProcessEnv = {};
		for (const [k, v] of Object.entries(process.env)) {
			// nothing from the caller's n8n, jest or npm setup leaks into n8n
			if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|JEST_|npm_)/.test(k)) continue;
			if (['WEBHOOK_URL', 'NODE_ENV', 'NODE_OPTIONS', 'NODE_PATH', 'TMPDIR', 'INIT_CWD'].includes(k)) continue;
			env[k] = v;
		}
		const major = this.install.major;
		const webhookBase = `${this.baseUrl}/`;
		Object.assign(env, {
			PATH: [this.install.nodeBin, path.join(this.install.n8nDir, 'node_modules', '.bin'), process.env.PATH].join(
				path.delimiter,
			),
			NODE_ENV: 'production',
			npm_config_nodedir: this.install.nodeDir,
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: this.host,
			N8N_HOST: this.host,
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: webhookBase,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			DB_TYPE: 'sqlite',
			DB_SQLITE_POOL_SIZE: '2',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			NODE_FUNCTION_ALLOW_BUILTIN: 'fs',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			TMPDIR: path.join(this.workDir, 'scratch'),
		});
		if (major >= 2) {
			env.N8N_WEBHOOK_URL = webhookBase;
			env.N8N_DISABLED_MODULES = 'mcp-registry';
		} else {
			env.WEBHOOK_URL = webhookBase;
			env.N8N_RUNNERS_ENABLED = 'true';
		}
		if (env.HTTP_PROXY || env.HTTPS_PROXY || env.http_proxy || env.https_proxy) {
			const noProxy = [env.NO_PROXY || env.no_proxy, '127.0.0.1', 'localhost'].filter(Boolean).join(',');
			env.NO_PROXY = noProxy;
			env.no_proxy = noProxy;
		}
		Object.assign(env, this.extraEnv);
		return env;
	}

	private n8nBin(): string {
		return path.join(this.install.n8nDir, 'node_modules', 'n8n', 'bin', 'n8n');
	}

	private nodeExe(): string {
		return path.join(this.install.nodeBin, 'node');
	}

	/** Runs one `n8n <args>` command (own task-broker port, so it works while `start` runs). */
	async cli(args: string[], timeoutMs = 120_000): Promise<CliResult> {
		const brokerPort = await findFreePort(this.port + this.nextBrokerOffset, this.port + 200, false);
		this.nextBrokerOffset = brokerPort - this.port + 1;
		if (this.nextBrokerOffset > 150) this.nextBrokerOffset = 2;
		const child = spawn(this.nodeExe(), [this.n8nBin(), ...args], {
			cwd: this.workDir,
			env: this.env(brokerPort),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		track(child, this.workDir);
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
		const timer = setTimeout(() => void (child.pid && stopPid(child.pid, 2_000)), timeoutMs);
		const code: number = await Promise.race([
			new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1))),
			childFailure(child, 'n8n CLI', true),
		]).finally(() => clearTimeout(timer));
		fs.appendFileSync(
			path.join(this.workDir, 'cli.log'),
			`\n$ n8n ${args.join(' ')}  → exit ${code}\n${stdout}${stderr}`,
		);
		return { code, stdout, stderr };
	}

	async cliOk(args: string[], timeoutMs?: number): Promise<CliResult> {
		const res = await this.cli(args, timeoutMs);
		if (res.code !== 0) {
			throw new Error(`n8n ${args.join(' ')} failed (exit ${res.code}):\n${tail(res.stdout + res.stderr, 3000)}`);
		}
		return res;
	}

	/** `n8n import:credentials` from objects `{id,name,type,data}` (plain data is encrypted on import). */
	async importCredentials(credentials: object[]): Promise<void> {
		const file = path.join(this.workDir, `credentials-${Date.now()}.json`);
		fs.writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
		try {
			await this.cliOk(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** `n8n import:workflow` of one file or a folder of files (always imported inactive). */
	async importWorkflows(fileOrDir: string): Promise<void> {
		const isDir = fs.statSync(fileOrDir).isDirectory();
		await this.cliOk(['import:workflow', ...(isDir ? ['--separate'] : []), `--input=${fileOrDir}`]);
	}

	/** CLI activation (applied at the next `n8n start`): publish:workflow on 2.x, update:workflow on 1.x. */
	async publishWithCli(workflowId: string): Promise<void> {
		if (this.install.major >= 2) await this.cliOk(['publish:workflow', `--id=${workflowId}`]);
		else await this.cliOk(['update:workflow', `--id=${workflowId}`, '--active=true']);
	}

	/** `n8n export:nodes`: every node type description this n8n knows. */
	async exportNodes(): Promise<Array<{ name: string; displayName: string; version: number | number[] }>> {
		const out = path.join(this.workDir, `nodes-${Date.now()}.json`);
		await this.cliOk(['export:nodes', `--output=${out}`]);
		return JSON.parse(fs.readFileSync(out, 'utf8')) as Array<{
			name: string;
			displayName: string;
			version: number | number[];
		}>;
	}

	/**
	 * `n8n execute --id --rawOutput`: runs a saved workflow, returns the run JSON (also when the
	 * run failed: then `data.resultData.error` is set and n8n exits 1).
	 */
	async execute(workflowId: string, timeoutMs?: number): Promise<ExecuteResult> {
		const res = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], timeoutMs);
		const run = findRun(res.stdout);
		if (run === undefined) {
			throw new Error(`n8n execute --id=${workflowId} printed no run (exit ${res.code}):\n${tail(res.stdout + res.stderr, 3000)}`);
		}
		return run;
	}

	/**
	 * Runs a saved workflow from its Manual Trigger through the running instance, as the editor's
	 * "Execute workflow" does (POST /rest/workflows/:id/run; 2.x reads the saved workflow, 1.x the
	 * body's), and returns the run once saved. Unlike `execute()` it boots nothing (a CLI boot is
	 * 4-8 CPU-seconds); unlike it, the run shares the instance's process, so in-memory state such
	 * as the token cache carries over from earlier runs. `startNode`: run from that trigger instead
	 * (give it pinned data, or n8n waits for a test event as the editor does).
	 */
	async run(workflowId: string, timeoutMs = 120_000, startNode?: string): Promise<ExecuteResult> {
		const workflow = await this.rest<{ data: { nodes: Array<{ name: string; type: string }> } }>(
			'GET',
			`/workflows/${workflowId}`,
		);
		const trigger = workflow.body?.data?.nodes?.find((n) =>
			startNode === undefined ? n.type === 'n8n-nodes-base.manualTrigger' : n.name === startNode,
		);
		if (!trigger) throw new Error(`workflow ${workflowId} has no ${startNode ?? 'Manual Trigger'} to run from`);
		const started = await this.rest<{ data?: { executionId?: string } }>('POST', `/workflows/${workflowId}/run`, {
			workflowData: workflow.body.data,
			triggerToStartFrom: { name: trigger.name },
		});
		const executionId = started.body?.data?.executionId;
		if (started.status !== 200 || !executionId) {
			throw new Error(`POST /rest/workflows/${workflowId}/run: HTTP ${started.status} ${JSON.stringify(started.body)}`);
		}
		const execution = await waitFor(
			`execution ${executionId} of workflow ${workflowId} to finish`,
			async () => {
				const res = await this.api<N8nExecution>('GET', `/executions/${executionId}?includeData=true`);
				return res.status === 200 && res.body.stoppedAt ? res.body : undefined;
			},
			timeoutMs,
			250,
		);
		return { status: execution.status, data: { resultData: { runData: {}, ...execution.data?.resultData } } };
	}

	/** `n8n start` (or the `command` given); resolves when the log says it serves. */
	async start(timeoutMs = 120_000): Promise<void> {
		if (this.child) throw new Error('n8n already started');
		// a restart appends to the same log: only what this start writes counts
		const offset = fs.existsSync(this.logFile) ? fs.statSync(this.logFile).size : 0;
		const logFd = fs.openSync(this.logFile, 'a');
		const child = spawn(this.nodeExe(), [this.n8nBin(), this.command], {
			cwd: this.workDir,
			env: this.env(),
			stdio: ['ignore', logFd, logFd],
			// own process group: a Ctrl-C in the terminal reaches the runner, which stops n8n itself
			detached: true,
		});
		fs.closeSync(logFd);
		this.child = child;
		track(child, this.workDir);
		let exited: number | null | undefined;
		child.once('exit', (code) => {
			exited = code;
			this.child = undefined;
		});
		const started = Date.now();
		const cannotStart = childFailure(child, `n8n ${this.command}`, true);
		const ready = waitFor(
			`n8n ${this.install.version} to start on ${this.baseUrl} (log: ${this.logFile})`,
			() => {
				if (exited !== undefined) {
					throw new Error(`n8n exited with code ${exited}:\n${tail(fs.readFileSync(this.logFile, 'utf8'), 3000)}`);
				}
				const text = fs.readFileSync(this.logFile, 'utf8').slice(offset);
				return text.includes(READY_LINE[this.command]);
			},
			timeoutMs,
			200,
		);
		await Promise.race([ready, cannotStart]).catch((error: Error) => {
			throw new Error(`${error.message}\n--- n8n log ---\n${tail(fs.readFileSync(this.logFile, 'utf8'), 3000)}`);
		});
		this.log(`[n8n] ${this.install.version} up on ${this.baseUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}

	/** Resolves with the exit code when `n8n start` exits (at once when it is not running). */
	waitForExit(): Promise<number | null> {
		const child = this.child;
		if (!child || child.exitCode !== null) return Promise.resolve(child?.exitCode ?? null);
		return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
	}

	/** Stops the n8n process and its task runner; after `graceMs` it is killed. */
	async stop(graceMs?: number): Promise<void> {
		const pid = this.child?.pid;
		if (pid === undefined) return;
		await stopPid(pid, graceMs);
		this.child = undefined;
	}

	logText(): string {
		return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
	}
}
