/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/**
 * Processes, ports and work folders for the runners (scripts/lib/n8n/): every process started
 * is stopped by PID, and every started PID is also written to `<work>/pids/<pid>` so a wrapper
 * shell (scripts/lib/run-work.sh) can reap orphans if the runner itself is killed.
 */
import { spawnSync, type ChildProcess, type SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const CACHE = process.env.PLIANT_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-pliant');

export type Log = (line: string) => void;
export const stderrLog: Log = (line) => {
	process.stderr.write(`${line}\n`);
};

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

/** Ports fetch() refuses to connect to ("bad port", the Fetch standard's list) near our ranges. */
const FETCH_BAD_PORTS = new Set([6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697]);

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
		if (FETCH_BAD_PORTS.has(port)) continue;
		if ((await isPortFree(port)) && (!needsNext || (await isPortFree(port + 1)))) return port;
	}
	throw new Error(`no free port in ${from}-${to}`);
}

/**
 * Where every run's work folders live: outside the repository (os.tmpdir(), or PLIANT_WORK_BASE),
 * so nothing a run leaves behind can slow lint or reach a commit.
 */
export function workBase(env: NodeJS.ProcessEnv = process.env): string {
	return env.PLIANT_WORK_BASE || path.join(os.tmpdir(), 'n8n-nodes-pliant');
}

/** A fresh work folder under PLIANT_WORK_ROOT (the wrapper script's run folder) or workBase(). */
export function makeWorkDir(prefix = 'run'): string {
	const base = process.env.PLIANT_WORK_ROOT || workBase();
	fs.mkdirSync(base, { recursive: true });
	return fs.mkdtempSync(path.join(base, `${prefix}-`));
}

/** The last `chars` characters of a log, for error messages. */
export function tail(text: string, chars: number): string {
	return text.length > chars ? `…${text.slice(-chars)}` : text;
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
				try {
					for (const c of childPids(p)) killQuietly(c, 'SIGKILL');
				} catch {
					// no pgrep: the wrapper's sweep (scripts/lib/run-work.sh) stops what is left
				}
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
	const out = checkedSync('pgrep', spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }));
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

/* ------------------------------------------------------------------ programs that cannot start */

const REDIS = "Debian's redis-server package (`apt-get install redis-server`; `npm run test:queue` and `npm run bench` install it when run as root)";
const POSTGRES = "Debian's postgresql package (`apt-get install postgresql`; `npm run test:queue` and `npm run bench` install it when run as root; PLIANT_PG_BIN names the folder of initdb and pg_ctl)";

/** What to install when a program the runners start is missing (one text per package). */
const INSTALL_HINTS: Record<string, string> = {
	'redis-server': REDIS,
	'redis-cli': REDIS,
	initdb: POSTGRES,
	pg_ctl: POSTGRES,
	psql: POSTGRES,
	runuser: "util-linux (`apt-get install util-linux`)",
	install: "coreutils (`apt-get install coreutils`)",
	pgrep: "procps (`apt-get install procps`)",
	tar: "tar (`apt-get install tar`)",
	git: "git (`apt-get install git`)",
	bash: "bash (`apt-get install bash`)",
	npm: 'Node.js with npm (https://nodejs.org)',
	node: 'Node: run `bash scripts/install-n8n.sh <version>` again (it installs Node and n8n into the cache)',
};

/** What to install for `command` (its file name decides). */
export function installHint(command: string): string {
	return INSTALL_HINTS[path.basename(command)] ?? `the program \`${path.basename(command)}\``;
}

/**
 * The error of a program that could not be started (ENOENT, EACCES, ...): names the binary and
 * what to install, so the one step that needed it fails with a cause a reader can act on.
 */
export function spawnFailure(command: string, error: NodeJS.ErrnoException): Error {
	const why = error.code === 'ENOENT' ? 'not found' : (error.code ?? error.message);
	const failure = new Error(`cannot start ${path.basename(command)} (${command}): ${why}; install ${installHint(command)}`);
	(failure as NodeJS.ErrnoException).code = error.code;
	return failure;
}

/**
 * A started child's failure as a promise: rejects with spawnFailure() when the program cannot
 * start, and (unless `exitIsFine`) when it exits. Handles 'error' at once, so a missing binary is
 * never an unhandled event; race it against the step that needs the child.
 */
export function childFailure(child: ChildProcess, what: string, exitIsFine = false): Promise<never> {
	const failed = new Promise<never>((_, reject) => {
		child.once('error', (error: NodeJS.ErrnoException) => reject(spawnFailure(child.spawnfile, error)));
		if (!exitIsFine) child.once('exit', (code, signal) => reject(new Error(`${what} exited (${signal ?? `code ${code}`})`)));
	});
	failed.catch(() => undefined); // nobody racing it any more is no reason to crash
	return failed;
}

/** A spawnSync result, or the error of a program that could not start (spawnSync reports it in `.error`). */
export function checkedSync<T extends string | Buffer>(command: string, result: SpawnSyncReturns<T>): SpawnSyncReturns<T> {
	if (result.error) throw spawnFailure(command, result.error as NodeJS.ErrnoException);
	return result;
}
