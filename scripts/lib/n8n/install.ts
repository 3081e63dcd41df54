/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/** The tested n8n versions and their installs (Node + n8n through scripts/install-n8n.sh). */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { CACHE, REPO, childFailure, stderrLog, type Log } from './process';

/**
 * The n8n versions every change is tested in (test/e2e/n8n-versions.json, the one place to bump them;
 * each needs its lockfile test/e2e/n8n-<version>.lock.json). The first is the default: demo,
 * reliability suite, README pictures.
 */
export const TESTED_N8N_VERSIONS = JSON.parse(
	fs.readFileSync(path.join(REPO, 'test', 'e2e', 'n8n-versions.json'), 'utf8'),
) as string[];
export const DEFAULT_N8N_VERSION = TESTED_N8N_VERSIONS[0];

export function majorOf(version: string): number {
	return Number(version.split('.')[0]);
}

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
	const code: number = await Promise.race([
		new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1))),
		childFailure(child, 'install-n8n.sh', true),
	]);
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
