/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- test tooling, never published */
/**
 * One real stack (used once per e2e test file, and by scripts/docs-images.ts): the emulator (random port, in this process), a real n8n
 * (scripts/e2e.sh passes N8N_E2E_VERSION, NODE_BIN, NODEDIR, N8N_DIR and PLIANT_TGZ; run alone,
 * jest installs 2.41.1 and packs the package itself) with our tarball as a community package,
 * the emulator credential and every example imported, an owner and an API key.
 */
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
	const emulator = await startEmulator({ port: 0, ...(opts.emulator ?? {}) });
	let n8n: N8n | undefined;
	const stop = async () => {
		await n8n?.stop();
		await emulator.stop();
	};
	try {
		// scripts/e2e.sh runs the n8n lines side by side, each in its own port range
		const offset = Number(process.env.E2E_PORT_OFFSET || 0);
		const port = await findFreePort((opts.portFrom ?? 5690) + offset, 5889 + offset);
		n8n = new N8n({ install, workDir, port });
		installCommunityPackage(tgz, n8n.userFolder);
		await n8n.importCredentials([emulatorCredential({ emulatorUrl: emulator.url })]);
		if (opts.importExamples !== false) await n8n.importWorkflows(EXAMPLES_DIR);
		for (const id of opts.publishBeforeStart ?? []) await n8n.publishWithCli(id);
		await n8n.start();
		await n8n.setupOwner(OWNER);
		await n8n.createApiKey();
	} catch (error) {
		await stop();
		throw error;
	}
	return { install, n8n, emulator, control: new EmulatorClient(emulator.url), workDir, tgz, stop };
}
