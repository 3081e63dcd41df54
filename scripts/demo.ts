/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/**
 * `npm start` (scripts/start.sh builds and packs first, then runs this with tsx): the local
 * demo. Starts the Pliant emulator (port 4010, automatic onboarding) and a real n8n 2.41.1
 * (port 5678, persistent user folder ~/.cache/n8n-nodes-pliant/demo-home) with the freshly
 * packed package, creates the owner and the "Pliant (local emulator)" credential, imports the
 * examples and publishes the ones that need no third-party account (and the MCP tools example,
 * with a Bearer token kept in the login file), prints the login, the MCP URL and token, and
 * stops everything on Ctrl-C (SIGINT/SIGTERM).
 *
 * Env: PLIANT_TGZ (the packed tarball, required), DEMO_N8N_PORT (5678), DEMO_EMULATOR_PORT
 * (4010), DEMO_HOME, DEMO_ONBOARDING_DELAY_MS (5000), DEMO_STEP_INTERVAL_MS (3000),
 * DEMO_N8N_VERSION (2.41.1).
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { CONTROL_TOKEN_HEADER } from '../emulator/control-guard';
import { startEmulator, type RunningEmulator } from '../emulator/server';
import {
	CACHE,
	DEFAULT_N8N_VERSION,
	DEMO_CREDENTIAL_NAME,
	EXAMPLES_DIR,
	MCP_EXAMPLE,
	N8n,
	emulatorCredential,
	installCommunityPackage,
	installN8n,
	isPortFree,
	isTriggerWorkflow,
	loadExamples,
	mcpBearerCredential,
	needsOnlyPliant,
	waitFor,
	type OwnerLogin,
} from './lib/n8n';

const env = process.env;
const N8N_PORT = Number(env.DEMO_N8N_PORT || 5678);
const EMULATOR_PORT = Number(env.DEMO_EMULATOR_PORT || 4010);
const HOME = env.DEMO_HOME || path.join(CACHE, 'demo-home');
const VERSION = env.DEMO_N8N_VERSION || DEFAULT_N8N_VERSION;
const ONBOARDING_DELAY_MS = Number(env.DEMO_ONBOARDING_DELAY_MS || 5000);
const STEP_INTERVAL_MS = Number(env.DEMO_STEP_INTERVAL_MS || 3000);
const LOGIN_FILE = path.join(HOME, 'demo-login.json');
const TEST_LEAD_WORKFLOW = 'pliantExTestLead';
const DEMO_TRIGGER_WORKFLOW = 'pliantExDemoTrig';

const out = (line = '') => process.stdout.write(`${line}\n`);
const say = (line: string) => out(`[demo] ${line}`);

interface StoredLogin extends OwnerLogin {
	apiKey?: string;
	/** Bearer token of the MCP tools example, the same on every start. */
	mcpToken?: string;
}

function readLogin(): StoredLogin | undefined {
	try {
		return JSON.parse(fs.readFileSync(LOGIN_FILE, 'utf8')) as StoredLogin;
	} catch {
		return undefined;
	}
}

function writeLogin(login: StoredLogin): void {
	fs.writeFileSync(LOGIN_FILE, JSON.stringify(login, null, 2), { mode: 0o600 });
}

/** 8-64 characters with a digit and a capital, as n8n wants. */
function newPassword(): string {
	return `Demo-${randomBytes(6).toString('hex')}-7Q`;
}

let emulator: RunningEmulator | undefined;
let n8n: N8n | undefined;
// a signal to `npm start` must end everything within 10 s: n8n gets 5 s to shut down cleanly
const STOP_GRACE_MS = 5_000;
let stopping: Promise<void> | undefined;

function stopAll(reason: string, code: number): Promise<void> {
	if (!stopping) {
		stopping = (async () => {
			say(`${reason}: stopping n8n and the emulator…`);
			await n8n?.stop(STOP_GRACE_MS).catch((e: Error) => say(`n8n stop: ${e.message}`));
			await emulator?.stop().catch((e: Error) => say(`emulator stop: ${e.message}`));
			say('stopped.');
			process.exit(code);
		})();
	}
	return stopping;
}

/** Emulator log lines worth showing: what the partner sends and the callbacks Pliant makes. */
function emulatorLog(line: string): void {
	if (/^callback /.test(line) || /^(POST|PUT|DELETE|PATCH) \/api\//.test(line) || /error|unhandled/i.test(line)) {
		out(`[pliant] ${line}`);
	}
}

async function main(): Promise<void> {
	process.on('SIGINT', () => void stopAll('Ctrl-C', 0));
	process.on('SIGTERM', () => void stopAll('SIGTERM', 0));

	const tgz = env.PLIANT_TGZ;
	if (!tgz || !fs.existsSync(tgz)) throw new Error('PLIANT_TGZ must name the packed package (run `npm start`)');

	for (const [port, what] of [
		[N8N_PORT, 'n8n'],
		[N8N_PORT + 1, "n8n's task broker"],
		[EMULATOR_PORT, 'the emulator'],
	] as const) {
		if (!(await isPortFree(port))) {
			throw new Error(`port ${port} (${what}) is in use: is another demo or n8n running? Set DEMO_N8N_PORT / DEMO_EMULATOR_PORT to use others.`);
		}
	}

	say(`n8n ${VERSION}: checking the install in ${CACHE} (the first time downloads Node 24 and n8n: a few minutes)`);
	const install = await installN8n(VERSION, (line) => out(`[install] ${line.replace(/^\[install-n8n\] /, '')}`));

	fs.mkdirSync(HOME, { recursive: true });
	const runDir = path.join(HOME, 'run');
	fs.rmSync(runDir, { recursive: true, force: true });
	fs.mkdirSync(runDir, { recursive: true });

	// A fresh client secret every start: the emulator is reachable from this machine's browser.
	const clientSecret = randomBytes(18).toString('base64url');
	emulator = await startEmulator({
		port: EMULATOR_PORT,
		clientSecret,
		onboardingDelayMs: ONBOARDING_DELAY_MS,
		stepIntervalMs: STEP_INTERVAL_MS,
		stateFile: path.join(HOME, 'emulator-state.json'),
		log: emulatorLog,
	});
	say(`emulator on ${emulator.url} (a lead is onboarded ${ONBOARDING_DELAY_MS / 1000} s after creation, one step every ${STEP_INTERVAL_MS / 1000} s)`);

	n8n = new N8n({ install, workDir: runDir, port: N8N_PORT, userFolder: HOME, log: say });
	installCommunityPackage(tgz, n8n.userFolder);
	say(`installed ${path.basename(tgz)} into ${path.join(HOME, '.n8n', 'nodes')}`);
	const mcpToken = readLogin()?.mcpToken ?? randomBytes(24).toString('base64url');
	await n8n.importCredentials([
		emulatorCredential({ emulatorUrl: emulator.url, clientId: emulator.clientId, clientSecret: emulator.clientSecret }),
		mcpBearerCredential(mcpToken),
	]);
	await n8n.importWorkflows(EXAMPLES_DIR);
	say(`imported the "${DEMO_CREDENTIAL_NAME}" credential and ${loadExamples().length} example workflows`);

	say('starting n8n…');
	await n8n.start();
	const bootedAt = Date.now();

	let login = readLogin();
	if (await n8n.needsOwnerSetup()) {
		login = { email: 'demo@example.com', firstName: 'Demo', lastName: 'User', password: newPassword() };
		await n8n.setupOwner(login);
		writeLogin(login);
	} else if (login) {
		await n8n.login(login.email, login.password).catch((e: Error) => {
			throw new Error(`${e.message}\nThe owner's password was changed? Delete ${HOME} to start over.`);
		});
	} else {
		throw new Error(`n8n in ${HOME} has an owner but ${LOGIN_FILE} is missing: delete ${HOME} to start over.`);
	}
	if (!login) throw new Error('no login');
	if (login.mcpToken !== mcpToken) {
		login.mcpToken = mcpToken;
		writeLogin(login);
	}

	// public-API key: reuse the stored one while it works
	n8n.apiKey = login.apiKey;
	if (!login.apiKey || (await n8n.api('GET', '/workflows?limit=1')).status !== 200) {
		login.apiKey = await n8n.createApiKey(`demo ${new Date().toISOString()}`);
		writeLogin(login);
	}

	// Re-importing unpublished last run's workflows in the database only; right after boot n8n
	// runs their triggers' `delete` (removing last run's subscriptions). Let that finish first.
	const emu = emulator;
	const lastSubscriptionCall = () => {
		const calls = emu.state.ledger.filter((e) => e.path.startsWith('/api/subscriptions'));
		return calls.length ? Date.parse(calls[calls.length - 1].at) : 0;
	};
	await waitFor('n8n to finish removing the previous run\'s subscriptions', () =>
		Date.now() - Math.max(lastSubscriptionCall(), bootedAt) > 2000 ? true : undefined,
	20_000).catch(() => undefined);

	const publishable = loadExamples().filter((e) => isTriggerWorkflow(e.workflow) && needsOnlyPliant(e.workflow));
	for (const { workflow } of publishable) {
		const seqBefore = emu.state.ledger.length ? emu.state.ledger[emu.state.ledger.length - 1].seq : 0;
		await n8n.activate(workflow.id);
		// n8n answers before the trigger has registered (and, after a re-import, before it has
		// removed the previous registration): wait for the trigger's last subscription call
		const urls = workflow.nodes.filter((n) => n.webhookId).map((n) => n8n!.webhookUrl(n.webhookId!));
		// A polling or scheduled trigger subscribes to nothing: published is all there is to wait for.
		if (urls.length === 0) {
			say(`published "${workflow.name}"`);
			continue;
		}
		const registered = () => {
			const calls = emu.state.ledger.filter((e) => e.seq > seqBefore && e.path.startsWith('/api/subscriptions'));
			const last = calls[calls.length - 1];
			const subscribed = [...emu.state.subscriptions.values()].some((s) => urls.includes(s.callbackUrl));
			return last && last.method !== 'DELETE' && subscribed && Date.parse(last.at) < Date.now() - 500 ? true : undefined;
		};
		await waitFor(`subscriptions of "${workflow.name}"`, registered, 30_000).then(
			() => say(`published "${workflow.name}"`),
			() => say(`warning: "${workflow.name}" registered no subscription at the emulator (see ${n8n!.logFile})`),
		);
	}

	await n8n.activate(MCP_EXAMPLE.workflowId);
	say(`published "${loadExamples().find((e) => e.workflow.id === MCP_EXAMPLE.workflowId)?.workflow.name}"`);

	const line = '─'.repeat(72);
	out();
	out(line);
	out(`  n8n ${VERSION} with n8n-nodes-pliant and a local Pliant emulator is running.`);
	out();
	out(`  Editor:   ${n8n.baseUrl}`);
	out(`  Login:    ${login.email} / ${login.password}`);
	out(`  Test:     ${n8n.baseUrl}/workflow/${TEST_LEAD_WORKFLOW}  → click "Execute workflow"`);
	out(`  Watch:    ${n8n.baseUrl}/workflow/${DEMO_TRIGGER_WORKFLOW}/executions`);
	out(`  Emulator: ${emulator.url}/_emulator/state`);
	out(`            ${CONTROL_TOKEN_HEADER}: ${emulator.controlToken}  (the control API's token; npm run emulator -- <command> --token …)`);
	out(`            client ${emulator.clientId}, secret ${emulator.clientSecret}  (new every start; in the "${DEMO_CREDENTIAL_NAME}" credential)`);
	out(`  MCP:      ${n8n.mcpUrl(MCP_EXAMPLE.path)}  (Streamable HTTP or SSE)`);
	out(`            Authorization: Bearer ${mcpToken}`);
	out();
	out('  Ctrl-C stops n8n and the emulator.');
	out(line);
	out();

	const code = await n8n.waitForExit();
	if (!stopping) {
		say(`n8n exited unexpectedly (code ${code}); its log: ${n8n.logFile}`);
		await stopAll('n8n exited', 1);
	}
}

main().catch(async (error: Error) => {
	process.stderr.write(`[demo] failed: ${error.message}\n`);
	await stopAll('error', 1);
});
