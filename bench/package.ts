/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- bench/test tooling, never published */
/**
 * Package figures, from the packed tarball (what users install): size of its dist/ and of the
 * tarball, and the cold `require` time of every class n8n loads from the package (credentials
 * and nodes listed in package.json), each measured in a fresh Node process with
 * `n8n-workflow` already loaded, as in n8n.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { REPO, checkedSync } from '../scripts/lib/n8n';

export interface PackageBenchResult {
	distBytes: number;
	distFiles: number;
	jsBytes: number;
	tarballBytes: number;
	requireMs: Record<string, { median: number; runs: number[] }>;
}

function walk(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		return e.isDirectory() ? walk(p) : [p];
	});
}

/** The script a fresh Node runs: load n8n-workflow (the host has it), then time our classes. */
const REQUIRE_SCRIPT = `
const path = require('path');
const { performance } = require('perf_hooks');
const [pkgDir, repo] = process.argv.slice(1);
require(require.resolve('n8n-workflow', { paths: [repo] }));
const pkg = require(path.join(pkgDir, 'package.json'));
const files = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
const t0 = performance.now();
for (const f of files) {
	const mod = require(path.join(pkgDir, f));
	for (const C of Object.values(mod)) if (typeof C === 'function' && /^class\\b/.test(Function.prototype.toString.call(C))) new C();
}
process.stdout.write(String(performance.now() - t0));
`;

export function runPackageBench(nodes: Record<string, string>, tarball: string, runs = 7): PackageBenchResult {
	const unpacked = `${tarball}.unpacked`;
	fs.rmSync(unpacked, { recursive: true, force: true });
	fs.mkdirSync(unpacked, { recursive: true });
	const tar = checkedSync('tar', spawnSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']));
	if (tar.status !== 0) throw new Error(`tar failed: ${String(tar.stderr)}`);
	const files = walk(path.join(unpacked, 'dist'));
	const sizes = files.map((f) => fs.statSync(f).size);
	const requireMs: PackageBenchResult['requireMs'] = {};
	for (const [label, node] of Object.entries(nodes)) {
		const all: number[] = [];
		for (let i = 0; i < runs; i++) {
			// the package resolves n8n-workflow as in n8n, from the host's modules (the work folder is outside the repository)
			const env = { ...process.env, NODE_PATH: path.join(REPO, 'node_modules') };
			const out = checkedSync(node, spawnSync(node, ['-e', REQUIRE_SCRIPT, unpacked, REPO], { encoding: 'utf8', env }));
			if (out.status !== 0) throw new Error(`require timing failed on ${label}: ${out.stderr}`);
			all.push(Number(out.stdout));
		}
		const sorted = [...all].sort((a, b) => a - b);
		requireMs[label] = { median: sorted[Math.floor(sorted.length / 2)], runs: all };
	}
	const result: PackageBenchResult = {
		distBytes: sizes.reduce((s, v) => s + v, 0),
		distFiles: files.length,
		jsBytes: files.filter((f) => f.endsWith('.js')).reduce((s, f) => s + fs.statSync(f).size, 0),
		tarballBytes: fs.statSync(tarball).size,
		requireMs,
	};
	fs.rmSync(unpacked, { recursive: true, force: true });
	return result;
}
