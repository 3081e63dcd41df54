/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/**
 * Runner library for a real, headless n8n loading this package as a community package
 * (shared/docs/n8n-e2e.md). Used by the e2e tests (jest), the local demo (`npm start`) and the
 * README picture script; run with tsx or import from jest.
 *
 * Everything it starts is stopped by PID; every started PID is also written to
 * `<work>/pids/<pid>` so a wrapper shell can reap orphans if the runner itself is killed.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..');
export const CACHE = process.env.PLIANT_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-pliant');
/**
 * The n8n versions every change is tested in (test/e2e/n8n-versions.json, the one place to bump them;
 * each needs its lockfile test/e2e/n8n-<version>.lock.json). The first is the default: demo,
 * reliability suite, README pictures.
 */
export const TESTED_N8N_VERSIONS = JSON.parse(
	fs.readFileSync(path.join(REPO, 'test', 'e2e', 'n8n-versions.json'), 'utf8'),
) as string[];
export const DEFAULT_N8N_VERSION = TESTED_N8N_VERSIONS[0];
export const PACKAGE_NAME = 'n8n-nodes-pliant';

export type Log = (line: string) => void;
export const stderrLog: Log = (line) => {
	process.stderr.write(`${line}\n`);
};

/* ------------------------------------------------------------------ small helpers */

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `fn` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(
	what: string,
	fn: () => Promise<T | undefined | false> | T | undefined | false,
	timeoutMs = 30_000,
	intervalMs = 200,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await fn();
			if (value !== undefined && value !== false) return value as T;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
		}
		await sleep(intervalMs);
	}
}

/** A TCP port nobody listens on right now (127.0.0.1). */
export async function isPortFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/**
 * A free port in [from, to], tried from a random start so that runs side by side rarely race for
 * the same one; n8n also needs `port + 1` for its task broker.
 */
export async function findFreePort(from: number, to: number, needsNext = true): Promise<number> {
	const span = to - from + 1;
	const start = Math.floor(Math.random() * span);
	for (let i = 0; i < span; i++) {
		const port = from + ((start + i) % span);
		if ((await isPortFree(port)) && (!needsNext || (await isPortFree(port + 1)))) return port;
	}
	throw new Error(`no free port in ${from}-${to}`);
}

/** A fresh work folder under PLIANT_WORK_ROOT (scripts/e2e.sh) or the repo's gitignored `.e2e-work/`. */
export function makeWorkDir(prefix = 'run'): string {
	const base = process.env.PLIANT_WORK_ROOT || path.join(REPO, '.e2e-work');
	fs.mkdirSync(base, { recursive: true });
	return fs.mkdtempSync(path.join(base, `${prefix}-`));
}

export function majorOf(version: string): number {
	return Number(version.split('.')[0]);
}

/* ------------------------------------------------------------------ PID bookkeeping */

const livePids = new Set<number>();
let exitHookInstalled = false;

/** Remembers a started process: stopped on exit, and listed in `<workDir>/pids/` for the wrapper's sweep. */
export function track(child: ChildProcess, workDir: string | undefined): void {
	const pid = child.pid;
	if (pid === undefined) return;
	livePids.add(pid);
	let pidFile: string | undefined;
	if (workDir) {
		fs.mkdirSync(path.join(workDir, 'pids'), { recursive: true });
		pidFile = path.join(workDir, 'pids', String(pid));
		fs.writeFileSync(pidFile, `${child.spawnfile} ${child.spawnargs.slice(1, 3).join(' ')}\n`);
	}
	child.once('exit', () => {
		livePids.delete(pid);
		if (pidFile) fs.rmSync(pidFile, { force: true });
	});
	if (!exitHookInstalled) {
		exitHookInstalled = true;
		// last resort: a runner that exits without stopping its children still takes them along
		process.once('exit', () => {
			for (const p of livePids) {
				for (const c of childPids(p)) killQuietly(c, 'SIGKILL');
				killQuietly(p, 'SIGKILL');
			}
		});
	}
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(pid, signal);
	} catch {
		// already gone
	}
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Direct children of `pid` (n8n's task runner), read from /proc. */
export function childPids(pid: number): number[] {
	const out = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
	return (out.stdout || '')
		.split('\n')
		.map((s) => Number(s.trim()))
		.filter((n) => n > 0);
}

/** SIGTERM, wait, then SIGKILL: `pid` and the children it had when we started stopping it. */
export async function stopPid(pid: number, graceMs = 15_000): Promise<void> {
	const children = childPids(pid);
	killQuietly(pid, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while (isAlive(pid) && Date.now() < deadline) await sleep(100);
	if (isAlive(pid)) killQuietly(pid, 'SIGKILL');
	// the task runner exits 1-3 s after its broker is gone
	const childDeadline = Date.now() + Math.min(5_000, graceMs / 2);
	while (children.some(isAlive) && Date.now() < childDeadline) await sleep(100);
	for (const c of children) if (isAlive(c)) killQuietly(c, 'SIGKILL');
}

/* ------------------------------------------------------------------ install */

export interface N8nInstall {
	version: string;
	major: number;
	/** folder holding the `node` binary n8n runs on */
	nodeBin: string;
	/** Node headers (for node-gyp) */
	nodeDir: string;
	/** folder with node_modules/n8n */
	n8nDir: string;
}

/** Installs (or reuses from the cache) Node and n8n through scripts/install-n8n.sh. */
export async function installN8n(version: string, log: Log = stderrLog): Promise<N8nInstall> {
	const script = path.join(REPO, 'scripts', 'install-n8n.sh');
	const child = spawn('bash', [script, version], {
		cwd: REPO,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, PLIANT_CACHE: CACHE },
	});
	let stdout = '';
	child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
	let partial = '';
	child.stderr.on('data', (d: Buffer) => {
		partial += d.toString();
		const lines = partial.split('\n');
		partial = lines.pop() ?? '';
		for (const line of lines) if (line.trim()) log(line);
	});
	const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
	if (partial.trim()) log(partial);
	if (code !== 0) throw new Error(`scripts/install-n8n.sh ${version} failed with exit code ${code}`);
	const vars = parseKeyValues(stdout);
	if (!vars.NODE_BIN || !vars.N8N_DIR) throw new Error(`install-n8n.sh printed no NODE_BIN/N8N_DIR:\n${stdout}`);
	return {
		version,
		major: majorOf(version),
		nodeBin: vars.NODE_BIN,
		nodeDir: vars.NODEDIR ?? path.dirname(vars.NODE_BIN),
		n8nDir: vars.N8N_DIR,
	};
}

/** The install a wrapper (scripts/e2e.sh) already made: N8N_E2E_VERSION, NODE_BIN, NODEDIR, N8N_DIR. */
export function installFromEnv(env: NodeJS.ProcessEnv = process.env): N8nInstall | undefined {
	const version = env.N8N_E2E_VERSION;
	if (!version || !env.NODE_BIN || !env.N8N_DIR) return undefined;
	return {
		version,
		major: majorOf(version),
		nodeBin: env.NODE_BIN,
		nodeDir: env.NODEDIR ?? path.dirname(env.NODE_BIN),
		n8nDir: env.N8N_DIR,
	};
}

function parseKeyValues(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const line of text.split('\n')) {
		const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
		if (m) out[m[1]] = m[2];
	}
	return out;
}

/* ------------------------------------------------------------------ the package */

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
	const out = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	if (out.status !== 0) {
		throw new Error(`${cmd} ${args.join(' ')} failed (${out.status}):\n${out.stdout}\n${out.stderr}`);
	}
	return out.stdout;
}

/** `npm run build` in the repo. */
export function buildPackage(log: Log = stderrLog): void {
	log('[e2e] npm run build');
	run('npm', ['run', 'build', '--silent'], REPO);
}

/** `npm pack` into `destDir`; returns the tarball path. The package must be built. */
export function packPackage(destDir: string): string {
	fs.mkdirSync(destDir, { recursive: true });
	const out = run('npm', ['pack', '--silent', '--pack-destination', destDir], REPO);
	const name = out.trim().split('\n').pop()?.trim();
	if (!name) throw new Error('npm pack printed no file name');
	const tgz = path.join(destDir, name);
	if (!fs.existsSync(tgz)) throw new Error(`npm pack: ${tgz} not found`);
	return tgz;
}

/** The packed tarball named by PLIANT_TGZ (scripts/e2e.sh packs once), or a fresh build+pack. */
export function packedTarball(workDir: string, log: Log = stderrLog): string {
	const fromEnv = process.env.PLIANT_TGZ;
	if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
	buildPackage(log);
	return packPackage(workDir);
}

/**
 * The README's by-hand install, `npm install --prefix ~/.n8n/nodes n8n-nodes-pliant --legacy-peer-deps`:
 * `--prefix` stops npm from climbing to a parent package.json; peers are n8n's own (n8n-workflow
 * resolves to the host's copy) and installing them builds a native module that fails on Node 20.
 */
export const BY_HAND_INSTALL = (nodesDir: string, spec: string) => ['install', '--prefix', nodesDir, spec, '--legacy-peer-deps'];

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` with exactly the README's by-hand command,
 * so the e2e proves that command on both n8n lines. Any previous copy is removed first.
 */
export function installCommunityPackage(tgz: string, userFolder: string): string {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const dest = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.rmSync(dest, { recursive: true, force: true });
	run('npm', [...BY_HAND_INSTALL(nodesDir, tgz), '--no-audit', '--no-fund', '--loglevel=error'], REPO);
	if (!fs.existsSync(path.join(dest, 'package.json'))) throw new Error(`npm install left no ${dest}`);
	return dest;
}

/* ------------------------------------------------------------------ n8n instance */

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

export interface OwnerLogin {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export const API_KEY_SCOPES = [
	'workflow:read',
	'workflow:list',
	'workflow:create',
	'workflow:update',
	'workflow:delete',
	'workflow:activate',
	'workflow:deactivate',
	'execution:read',
	'execution:list',
	'credential:create',
];

/** What the n8n public API returns for an execution (the fields we use). */
export interface N8nExecution {
	id: string;
	finished: boolean;
	mode: string;
	status?: string;
	workflowId: string;
	startedAt: string;
	stoppedAt?: string;
	data?: {
		resultData?: {
			runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
			error?: { message?: string };
		};
	};
}

const BROWSER_ID = 'n8n-nodes-pliant-e2e';

/** What `n8n execute --rawOutput` prints (the fields we use). */
export interface ExecuteResult {
	status?: string;
	data: {
		resultData: {
			runData: NonNullable<NonNullable<N8nExecution['data']>['resultData']>['runData'] & object;
			error?: { message?: string; description?: string };
		};
	};
	[key: string]: unknown;
}

export class N8n {
	readonly install: N8nInstall;
	readonly workDir: string;
	readonly port: number;
	readonly host: string;
	readonly userFolder: string;
	readonly baseUrl: string;
	readonly logFile: string;
	readonly command: N8nCommand;
	private readonly extraEnv: Record<string, string>;
	private readonly log: Log;
	private child?: ChildProcess;
	private cookie?: string;
	apiKey?: string;
	private nextBrokerOffset = 2;

	constructor(opts: N8nOptions) {
		this.install = opts.install;
		this.workDir = opts.workDir;
		this.port = opts.port;
		this.host = opts.host ?? '127.0.0.1';
		this.userFolder = opts.userFolder ?? path.join(opts.workDir, 'n8n-user');
		this.baseUrl = `http://${this.host}:${this.port}`;
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
		const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
		clearTimeout(timer);
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
		await waitFor(
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
		).catch((error: Error) => {
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

	/* -------------------------------------------------------------- REST (cookie) */

	async rest<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }> {
		return this.http<T>(method, `/rest${urlPath}`, body);
	}

	/** Any path of the instance, with the owner cookie (e.g. `/types/credentials.json`). */
	async http<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }> {
		const res = await fetch(`${this.baseUrl}${urlPath}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': BROWSER_ID,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.get('set-cookie');
		if (setCookie) {
			const m = /n8n-auth=[^;]*/.exec(setCookie);
			if (m) this.cookie = m[0];
		}
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON
		}
		return { status: res.status, body: parsed as T };
	}

	/** Whether the instance still waits for its owner account. */
	async needsOwnerSetup(): Promise<boolean> {
		const res = await this.rest<{ data?: { userManagement?: { showSetupOnFirstLoad?: boolean } } }>('GET', '/settings');
		return Boolean(res.body?.data?.userManagement?.showSetupOnFirstLoad);
	}

	/** `POST /rest/owner/setup` (allowed once, while there is no owner); keeps the auth cookie. */
	async setupOwner(owner: OwnerLogin): Promise<void> {
		const res = await this.rest('POST', '/owner/setup', owner);
		if (res.status !== 200) throw new Error(`owner setup failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
	}

	/** `POST /rest/login` (2.x: emailOrLdapLoginId, 1.x: email); keeps the auth cookie. */
	async login(email: string, password: string): Promise<void> {
		const body = this.install.major >= 2 ? { emailOrLdapLoginId: email, password } : { email, password };
		let res = await this.rest('POST', '/login', body);
		if (res.status !== 200) res = await this.rest('POST', '/login', { email, emailOrLdapLoginId: email, password });
		if (res.status !== 200) throw new Error(`login failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
	}

	/** Creates a public-API key (needs the owner cookie); stores and returns the raw key. */
	async createApiKey(label = 'e2e'): Promise<string> {
		let res = await this.rest<{ data?: { rawApiKey?: string; apiKey?: string } }>('POST', '/api-keys', {
			label,
			expiresAt: null,
			scopes: API_KEY_SCOPES,
		});
		if (res.status === 400) {
			// older releases reject scopes they do not know: keep the ones they list
			const scopes = await this.rest<{ data?: string[] }>('GET', '/api-keys/scopes');
			res = await this.rest('POST', '/api-keys', { label, expiresAt: null, scopes: scopes.body?.data ?? [] });
		}
		const key = res.body?.data?.rawApiKey ?? res.body?.data?.apiKey;
		if (res.status !== 200 || !key) throw new Error(`API key creation failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
		this.apiKey = key;
		return key;
	}

	/* -------------------------------------------------------------- public API (X-N8N-API-KEY) */

	async api<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }> {
		if (!this.apiKey) throw new Error('no API key: call createApiKey() first');
		const res = await fetch(`${this.baseUrl}/api/v1${urlPath}`, {
			method,
			headers: { 'content-type': 'application/json', 'x-n8n-api-key': this.apiKey, accept: 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON
		}
		return { status: res.status, body: parsed as T };
	}

	async apiOk<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		const res = await this.api<T>(method, urlPath, body);
		if (res.status < 200 || res.status > 299) {
			throw new Error(`${method} /api/v1${urlPath}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
		}
		return res.body;
	}

	/** Activates (2.x: publishes) a workflow now; runs the trigger's checkExists/create. */
	async activate(workflowId: string): Promise<void> {
		await this.apiOk('POST', `/workflows/${workflowId}/activate`);
	}

	/** Deactivates (unpublishes) a workflow now; runs the trigger's delete. */
	async deactivate(workflowId: string): Promise<void> {
		await this.apiOk('POST', `/workflows/${workflowId}/deactivate`);
	}

	async getWorkflow(workflowId: string): Promise<{ id: string; name: string; active: boolean; nodes: Array<Record<string, unknown>> }> {
		return this.apiOk('GET', `/workflows/${workflowId}`);
	}

	async listWorkflows(): Promise<Array<{ id: string; name: string; active: boolean }>> {
		const all: Array<{ id: string; name: string; active: boolean }> = [];
		let cursor: string | undefined;
		do {
			const page = await this.apiOk<{ data: Array<{ id: string; name: string; active: boolean }>; nextCursor?: string | null }>(
				'GET',
				`/workflows?limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
			);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all;
	}

	/** Every execution of a workflow, oldest first, with run data. */
	async executions(workflowId: string, includeData = true): Promise<N8nExecution[]> {
		const all: N8nExecution[] = [];
		let cursor: string | undefined;
		do {
			const qs = `workflowId=${workflowId}&includeData=${includeData}&limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
			const page = await this.apiOk<{ data: N8nExecution[]; nextCursor?: string | null }>('GET', `/executions?${qs}`);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all.sort((a, b) => Number(a.id) - Number(b.id));
	}
}

/** The JSON of the items a node emitted in an execution (first run, first output). */
export function nodeOutput(execution: { data?: N8nExecution['data'] }, nodeName: string): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData?.runData?.[nodeName];
	const items = runs?.[0]?.data?.main?.[0] ?? [];
	return items.map((i) => i.json);
}

/** The index just after the `}` that closes the object opening at `start`, or -1. */
function objectEnd(text: string, start: number): number {
	let depth = 0;
	let inString = false;
	let escaped = false;
	for (let i = start; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (escaped) escaped = false;
			else if (c === '\\') escaped = true;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '{') depth++;
		else if (c === '}' && --depth === 0) return i + 1;
	}
	return -1;
}

/**
 * The n8n run in `n8n execute --rawOutput` output: the top-level JSON object holding
 * `data.resultData`. n8n prints log lines around it, and with debug logging JSON log
 * metadata too, so the first JSON object is not necessarily the run.
 */
export function findRun(text: string): ExecuteResult | undefined {
	let pos = text.indexOf('{');
	while (pos >= 0) {
		const end = objectEnd(text, pos);
		let next = pos + 1;
		if (end > 0) {
			try {
				const value = JSON.parse(text.slice(pos, end)) as Partial<ExecuteResult>;
				if (value?.data?.resultData) return value as ExecuteResult;
				next = end;
			} catch {
				// not JSON: look further
			}
		}
		pos = text.indexOf('{', next);
	}
	return undefined;
}

export function tail(text: string, chars: number): string {
	return text.length > chars ? `…${text.slice(-chars)}` : text;
}

/* ------------------------------------------------------------------ credentials and examples */

export const DEMO_CREDENTIAL_ID = 'pliantEmulator01';
export const DEMO_CREDENTIAL_NAME = 'Pliant (local emulator)';

export interface EmulatorCredentialOptions {
	/** emulator base URL, e.g. http://127.0.0.1:4010 */
	emulatorUrl: string;
	clientId?: string;
	clientSecret?: string;
	audience?: string;
}

/** The credential file entry for `n8n import:credentials`, pointing at an emulator. */
export function emulatorCredential(opts: EmulatorCredentialOptions): object {
	const url = opts.emulatorUrl.replace(/\/$/, '');
	return {
		id: DEMO_CREDENTIAL_ID,
		name: DEMO_CREDENTIAL_NAME,
		type: 'pliantApi',
		data: {
			environment: 'custom',
			clientId: opts.clientId ?? 'emulator-client',
			clientSecret: opts.clientSecret ?? 'emulator-secret',
			tokenUrl: `${url}/oauth/token`,
			audience: opts.audience ?? 'pliant-emulator',
			baseUrl: `${url}/api`,
		},
	};
}

/** The "Pliant tools for your AI assistant" example: its MCP Server Trigger and Bearer credential. */
export const MCP_EXAMPLE = {
	workflowId: 'pliantExMcpTools',
	path: 'pliant',
	credentialId: 'pliantMcpBearer1',
	credentialName: 'Pliant MCP (bearer token)',
} as const;

/** The credential file entry for the MCP example's Bearer authentication. */
export function mcpBearerCredential(token: string): object {
	return { id: MCP_EXAMPLE.credentialId, name: MCP_EXAMPLE.credentialName, type: 'httpBearerAuth', data: { token } };
}

export const EXAMPLES_DIR = path.join(REPO, 'examples');

export interface WorkflowFile {
	id: string;
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		typeVersion: number;
		parameters: Record<string, unknown>;
		webhookId?: string;
		credentials?: Record<string, { id: string; name: string }>;
	}>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export interface Example {
	file: string;
	workflow: WorkflowFile;
}

export function loadExamples(dir = EXAMPLES_DIR): Example[] {
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({ file: path.join(dir, f), workflow: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as WorkflowFile }));
}

/** n8n's own nodes that need no account. */
const CORE_NODES = new Set(
	['manualTrigger', 'set', 'if', 'filter', 'switch', 'noOp', 'stickyNote', 'code', 'merge', 'removeDuplicates', 'splitOut'].map(
		(n) => `n8n-nodes-base.${n}`,
	),
);

/** Whether a workflow needs no third-party account (only our nodes and n8n's core nodes), so the demo can publish it. */
export function needsOnlyPliant(workflow: WorkflowFile): boolean {
	return workflow.nodes.every((n) => n.type.startsWith(`${PACKAGE_NAME}.`) || CORE_NODES.has(n.type));
}

export function isTriggerWorkflow(workflow: WorkflowFile): boolean {
	return workflow.nodes.some((n) => /Trigger$/i.test(n.type) && n.type !== 'n8n-nodes-base.manualTrigger');
}
