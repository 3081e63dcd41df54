/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/** The package as a user installs it: built, packed, and installed with the README's by-hand command. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { REPO, checkedSync, stderrLog, type Log } from './process';

export const PACKAGE_NAME = 'n8n-nodes-pliant';

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
	const out = checkedSync(cmd, spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
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
