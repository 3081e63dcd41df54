/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test of the runner tooling, never published */
/**
 * A program the runners need but cannot start fails the one step that needed it, with the
 * binary's name and what to install, and is never an unhandled 'error' event (which would end
 * the whole process); work folders are made outside the repository.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { REPO, checkedSync, childFailure, installHint, makeWorkDir, spawnFailure, workBase } from '../../../../../scripts/lib/n8n';
import { SqliteReader } from '../../../../../scripts/lib/executions';
import { queueStackMissing, startRedis } from '../../../../../scripts/lib/queue-stack';

const MISSING = 'pliant-no-such-program';

describe('programs that cannot start', () => {
	test('spawnFailure names the binary, why, and what to install', () => {
		const error = spawnFailure('/usr/bin/redis-server', Object.assign(new Error('spawn ENOENT'), { code: 'ENOENT' }));
		expect(error.message).toBe(`cannot start redis-server (/usr/bin/redis-server): not found; install ${installHint('redis-server')}`);
		expect(installHint('redis-server')).toContain("Debian's redis-server package");
		expect(installHint('/usr/lib/postgresql/15/bin/initdb')).toContain("Debian's postgresql package");
		expect(installHint(MISSING)).toBe(`the program \`${MISSING}\``);
	});

	test("childFailure turns a missing program's 'error' event into a rejection naming it", async () => {
		const child = spawn(MISSING, ['--version']);
		await expect(childFailure(child, 'it')).rejects.toThrow(`cannot start ${MISSING} (${MISSING}): not found`);
	});

	test('childFailure rejects when the child exits, unless exiting is fine', async () => {
		await expect(childFailure(spawn(process.execPath, ['-e', 'process.exit(3)']), 'the child')).rejects.toThrow('the child exited (code 3)');
		const fine = spawn(process.execPath, ['-e', '']);
		const outcome = await Promise.race([childFailure(fine, 'x', true).then(() => 'rejected?', () => 'rejected'), new Promise((r) => fine.once('close', () => setTimeout(() => r('still pending'), 50)))]);
		expect(outcome).toBe('still pending');
	});

	test('checkedSync throws the same error for a spawnSync that could not start', () => {
		expect(() => checkedSync(MISSING, spawnSync(MISSING, []))).toThrow(`cannot start ${MISSING}`);
		expect(checkedSync(process.execPath, spawnSync(process.execPath, ['-e', 'process.stdout.write("ok")'], { encoding: 'utf8' })).stdout).toBe('ok');
	});

	test("the SQLite reader on a Node that cannot start fails its queries, and nothing else", async () => {
		const reader = new SqliteReader('/nonexistent.sqlite', join(tmpdir(), MISSING, 'node'));
		await expect(reader.query('SELECT 1')).rejects.toThrow(`cannot start node (${join(tmpdir(), MISSING, 'node')}): not found`);
		await expect(reader.query('SELECT 1')).rejects.toThrow('cannot start node');
		reader.close();
	});

	describe('without Redis and Postgres on PATH', () => {
		const path = process.env.PATH;
		let work: string;
		beforeEach(() => {
			process.env.PATH = join(tmpdir(), MISSING);
			work = mkdtempSync(join(tmpdir(), 'pliant-redis-'));
		});
		afterEach(() => {
			process.env.PATH = path;
			rmSync(work, { recursive: true, force: true });
		});

		test('starting Redis fails at once with what to install', async () => {
			// named by path: jest's process.env is its own copy, the PATH of spawn() is the real one
			const redisServer = join(tmpdir(), MISSING, 'redis-server');
			// its own failure, not the wait for an answer ("timed out … waiting for redis")
			await expect(startRedis(work, redisServer)).rejects.toThrow(`cannot start redis-server (${redisServer}): not found; install ${installHint('redis-server')}`);
		});

		test('queueStackMissing names every missing program and, once per package, what to install', () => {
			const why = queueStackMissing() ?? '';
			expect(why.startsWith('missing redis-server, redis-cli, psql')).toBe(true);
			expect(why.split("Debian's redis-server package")).toHaveLength(2);
			expect(why).toContain("Debian's postgresql package");
		});
	});
});

describe('work folders', () => {
	test('are made outside the repository', () => {
		const dir = makeWorkDir('unit-test');
		try {
			expect(relative(REPO, dir).startsWith('..')).toBe(true);
			expect(relative(REPO, workBase()).startsWith('..')).toBe(true);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
