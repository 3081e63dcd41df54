/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test tooling, never published */
/**
 * One real stack (used once per e2e test file, and by scripts/docs-images.ts): the emulator (in this process), a real n8n
 * (scripts/e2e.sh passes N8N_E2E_VERSION, NODE_BIN, NODEDIR, N8N_DIR and PLIANT_TGZ; run alone,
 * jest installs 2.41.1 and packs the package itself) with our tarball as a community package,
 * the emulator credential and every example imported, an owner and an API key.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { startEmulator } from '../../emulator/server';
import { EmulatorClient } from './emulator-client';
import {
	DEFAULT_N8N_VERSION,
	EXAMPLES_DIR,
	N8n,
	emulatorCredential,
	findFreePort,
	installCommunityPackage,
	installFromEnv,
	installN8n,
	isPortFree,
	makeWorkDir,
	packedTarball,
	type N8nInstall,
	type OwnerLogin,
} from './n8n';

export const OWNER: OwnerLogin = {
	email: 'e2e@example.com',
	firstName: 'E2E',
	lastName: 'Test',
	password: 'E2e-Passw0rd',
};

export interface Stack {
	install: N8nInstall;
	n8n: N8n;
	emulator: Awaited<ReturnType<typeof startEmulator>>;
	control: EmulatorClient;
	workDir: string;
	tgz: string;
	stop(): Promise<void>;
}

export async function n8nInstall(): Promise<N8nInstall> {
	return installFromEnv() ?? (await installN8n(process.env.N8N_E2E_VERSION || DEFAULT_N8N_VERSION));
}

export interface StackOptions {
	/** emulator options (port 0 = random) */
	emulator?: Parameters<typeof startEmulator>[0];
	/** import examples/ (default true) */
	importExamples?: boolean;
	/** first n8n port of the range to pick from; the e2e range is 5690-5889 */
	portFrom?: number;
	/** workflows published with the CLI before `n8n start` (publish:workflow on 2.x, update:workflow on 1.x) */
	publishBeforeStart?: string[];
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
	const install = await n8nInstall();
	const workDir = makeWorkDir(`e2e-${install.version}`);
	const tgz = packedTarball(workDir);
	// scripts/e2e.sh runs the n8n lines side by side, each in its own port range
	const offset = Number(process.env.E2E_PORT_OFFSET || 0);
	// a steady emulator port lets every stack of the line reuse one prepared user folder
	const emulatorPort = (await isPortFree(5680 + offset)) ? 5680 + offset : 0;
	const emulator = await startEmulator({ port: emulatorPort, ...(opts.emulator ?? {}) });
	let n8n: N8n | undefined;
	const stop = async () => {
		await n8n?.stop();
		await emulator.stop();
	};
	try {
		const port = await findFreePort((opts.portFrom ?? 5690) + offset, 5889 + offset);
		n8n = new N8n({ install, workDir, port });
		const prepared = await preparedUserFolder(install, port, tgz, emulator, opts.importExamples !== false);
		fs.cpSync(prepared, n8n.userFolder, { recursive: true, verbatimSymlinks: true });
		for (const id of opts.publishBeforeStart ?? []) await n8n.publishWithCli(id);
		await n8n.start();
		await n8n.setupOwner(OWNER);
		await n8n.createApiKey();
	} catch (error) {
		await stop();
		throw error;
	}
	return { install, n8n, emulator, control: new EmulatorClient(emulator.url, emulator.controlToken), workDir, tgz, stop };
}

/**
 * A second n8n of the stack's line on the stack's emulator, on another port (so another origin),
 * from the same prepared user folder (same credential, same encryption key): a staging copy of
 * the first. `beforeStart` runs before `n8n start` (CLI imports). The caller stops it.
 */
export async function startPeer(
	stack: Stack,
	opts: { importExamples?: boolean; beforeStart?: (n8n: N8n) => Promise<void> } = {},
): Promise<N8n> {
	const offset = Number(process.env.E2E_PORT_OFFSET || 0);
	const port = await findFreePort(Math.min(stack.n8n.port + 10, 5880 + offset), 5889 + offset);
	const n8n = new N8n({ install: stack.install, workDir: path.join(stack.workDir, `peer-${port}`), port });
	try {
		const prepared = await preparedUserFolder(stack.install, port, stack.tgz, stack.emulator, opts.importExamples !== false);
		fs.cpSync(prepared, n8n.userFolder, { recursive: true, verbatimSymlinks: true });
		await opts.beforeStart?.(n8n);
		await n8n.start();
		await n8n.setupOwner(OWNER);
		await n8n.createApiKey();
	} catch (error) {
		await n8n.stop();
		throw error;
	}
	return n8n;
}

/**
 * An n8n user folder with the tarball installed by the README's by-hand command, the emulator
 * credential and (optionally) every example imported. Made once per run (PLIANT_WORK_ROOT), n8n
 * line, emulator URL and example choice, then copied by each stack: every `n8n import:*` boots
 * n8n (4-8 CPU-seconds, migrations on the first), and CI's e2e starts 24 stacks on 2 cores.
 */
async function preparedUserFolder(
	install: N8nInstall,
	port: number,
	tgz: string,
	emulator: { url: string; clientId: string; clientSecret: string },
	examples: boolean,
): Promise<string> {
	const root = process.env.PLIANT_WORK_ROOT || makeWorkDir('user-folders');
	// The credential holds the emulator's client: another secret needs another folder.
	const client = createHash('sha256').update(`${emulator.clientId}|${emulator.clientSecret}`).digest('hex').slice(0, 8);
	const key = `${install.version}-${new URL(emulator.url).port}-${client}-${examples ? 'examples' : 'bare'}`;
	const folder = path.join(root, `user-folder-${key}`);
	const ready = `${folder}.ready`;
	if (fs.existsSync(ready)) return folder;
	fs.rmSync(folder, { recursive: true, force: true });
	const maker = new N8n({ install, workDir: makeWorkDir(`user-folder-${key}`), port, userFolder: folder });
	installCommunityPackage(tgz, folder);
	await maker.importCredentials([emulatorCredential({ emulatorUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret })]);
	if (examples) await maker.importWorkflows(EXAMPLES_DIR);
	fs.writeFileSync(ready, '');
	return folder;
}
