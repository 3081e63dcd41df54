/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/**
 * A real n8n with the packed package, the local emulator(s), an owner and API key: the stack
 * the benchmarks (bench/) and the reliability suite (test/reliability/) run on. Built on the
 * e2e runner (scripts/lib/n8n/); only the extras the benchmarks need live here: credentials
 * with a custom rate limit and a chosen secret, the workflows under test, restarts, and the
 * SQLite reader.
 */
import * as fs from 'fs';
import * as path from 'path';

import { startEmulator } from '../../emulator/server';
import { ExecutionsDb, sqliteCapableNode } from '../../scripts/lib/executions';
import { EmulatorClient } from '../../scripts/lib/emulator-client';
import {
	N8n,
	findFreePort,
	installCommunityPackage,
	sleep,
	stderrLog,
	waitFor,
	type Log,
	type N8nInstall,
	type OwnerLogin,
} from '../../scripts/lib/n8n';

export type RunningEmulator = Awaited<ReturnType<typeof startEmulator>>;

export const BENCH_OWNER: OwnerLogin = {
	email: 'bench@example.com',
	firstName: 'Bench',
	lastName: 'Runner',
	password: 'Bench-Passw0rd',
};

/** n8n ports of the benchmarks and the reliability suite (the e2e tests use 5690-5699). */
export const BENCH_PORTS = { from: 5720, to: 5739 } as const;

export interface CredentialSpec {
	id: string;
	name: string;
	emulator: RunningEmulator;
	clientSecret?: string;
	/** the credential's custom rate limit (requests per window) */
	rateLimit?: { requests: number; windowSeconds: number };
}

/** A `pliantApi` credential (environment "custom") pointing at an emulator. */
export function pliantCredential(spec: CredentialSpec): object {
	const url = spec.emulator.url.replace(/\/$/, '');
	const data: Record<string, unknown> = {
		environment: 'custom',
		clientId: spec.emulator.clientId,
		clientSecret: spec.clientSecret ?? spec.emulator.clientSecret,
		tokenUrl: `${url}/oauth/token`,
		audience: spec.emulator.audience,
		baseUrl: `${url}/api`,
	};
	if (spec.rateLimit) {
		data.rateLimitRequests = spec.rateLimit.requests;
		data.rateLimitWindowSeconds = spec.rateLimit.windowSeconds;
	}
	return { id: spec.id, name: spec.name, type: 'pliantApi', data };
}

export interface BenchStackOptions {
	install: N8nInstall;
	tgz: string;
	workDir: string;
	/** credentials imported before n8n starts */
	credentials: object[];
	/** extra n8n environment */
	env?: Record<string, string>;
	ports?: { from: number; to: number };
	log?: Log;
}

export interface BenchStack {
	n8n: N8n;
	db: ExecutionsDb;
	install: N8nInstall;
	workDir: string;
	/** Stops n8n and starts it again on the same folder and port (a fresh log file). */
	restart(): Promise<void>;
	stop(): Promise<void>;
}

/**
 * The environment every benchmark n8n gets: executions are never pruned mid-run, the DIY
 * Code node may use `crypto`, and task-runner startup is not in the way.
 */
export function benchEnv(extra: Record<string, string> = {}): Record<string, string> {
	return {
		EXECUTIONS_DATA_PRUNE: 'false',
		EXECUTIONS_DATA_PRUNE_MAX_COUNT: '1000000',
		EXECUTIONS_DATA_MAX_AGE: '100000',
		NODE_FUNCTION_ALLOW_BUILTIN: 'crypto,fs',
		N8N_PAYLOAD_SIZE_MAX: '16',
		...extra,
	};
}

async function bootN8n(n8n: N8n, log: Log): Promise<void> {
	await n8n.start();
	await waitFor('the n8n REST API', async () => (await n8n.rest('GET', '/settings')).status === 200, 30_000, 200);
	log(`[stack] n8n ${n8n.install.version} pid ${n8n.pid} on ${n8n.baseUrl}`);
}

export async function startBenchStack(opts: BenchStackOptions): Promise<BenchStack> {
	const log = opts.log ?? stderrLog;
	const ports = opts.ports ?? BENCH_PORTS;
	const port = await findFreePort(ports.from, ports.to);
	const env = benchEnv(opts.env);
	let n8n = new N8n({ install: opts.install, workDir: opts.workDir, port, env, log });
	const userFolder = n8n.userFolder;
	installCommunityPackage(opts.tgz, userFolder);
	if (opts.credentials.length > 0) await n8n.importCredentials(opts.credentials);
	await bootN8n(n8n, log);
	await n8n.setupOwner(BENCH_OWNER);
	await n8n.createApiKey('bench');
	const db = new ExecutionsDb(userFolder, sqliteCapableNode());
	let restarts = 0;

	const stack: BenchStack = {
		get n8n() {
			return n8n;
		},
		db,
		install: opts.install,
		workDir: opts.workDir,
		async restart() {
			const apiKey = n8n.apiKey;
			await n8n.stop();
			restarts++;
			// a new work folder for the log (N8n.start waits for a line in its own log file)
			const workDir = path.join(opts.workDir, `restart-${restarts}`);
			fs.mkdirSync(workDir, { recursive: true });
			n8n = new N8n({ install: opts.install, workDir, port, userFolder, env, log });
			n8n.apiKey = apiKey;
			await bootN8n(n8n, log);
		},
		async stop() {
			db.close();
			await n8n.stop();
		},
	};
	return stack;
}

/* ------------------------------------------------------------------ workflows */

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: string;
}

export interface WorkflowSpec {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
	settings?: Record<string, unknown>;
}

function chain(...names: string[]): WorkflowSpec['connections'] {
	const out: WorkflowSpec['connections'] = {};
	for (let i = 0; i < names.length - 1; i++) {
		out[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return out;
}

let nodeSeq = 0;
function nodeId(): string {
	nodeSeq++;
	return `b0000000-0000-4000-8000-${String(nodeSeq).padStart(12, '0')}`;
}

/**
 * The version a new node of ours gets in the editor (its `defaultVersion`, else the highest
 * `version`), read from the installed package: the benchmarks use what users would.
 */
export function installedTypeVersion(userFolder: string, nodeClass: string): number {
	const file = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-pliant', 'dist', 'nodes', nodeClass, `${nodeClass}.node.js`);
	const src = fs.readFileSync(file, 'utf8');
	const byDefault = /defaultVersion:\s*([\d.]+)/.exec(src);
	if (byDefault) return Number(byDefault[1]);
	const list = /\bversion:\s*\[([^\]]+)\]/.exec(src);
	if (list) return Math.max(...list[1].split(',').map(Number));
	const single = /\bversion:\s*([\d.]+)/.exec(src);
	return single ? Number(single[1]) : 1;
}

export interface TriggerWorkflowOptions {
	webhookId: string;
	/** default: 1 */
	typeVersion?: number;
	credential: { id: string; name: string };
	events?: string[];
	options?: Record<string, unknown>;
	/** more top-level node parameters */
	parameters?: Record<string, unknown>;
	name?: string;
}

/** (A) Pliant Trigger → No Op. */
export function pliantTriggerWorkflow(o: TriggerWorkflowOptions): WorkflowSpec {
	return {
		name: o.name ?? 'bench A: Pliant Trigger',
		nodes: [
			{
				id: nodeId(),
				name: 'Pliant Trigger',
				type: 'n8n-nodes-pliant.pliantTrigger',
				typeVersion: o.typeVersion ?? 1,
				position: [0, 0],
				parameters: { events: o.events ?? ['*'], options: o.options ?? {}, ...o.parameters },
				webhookId: o.webhookId,
				credentials: { pliantApi: o.credential },
			},
			{ id: nodeId(), name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} },
		],
		connections: chain('Pliant Trigger', 'No Op'),
		settings: { executionOrder: 'v1' },
	};
}

/**
 * n8n's Webhook node (static parameters, answers on receipt) → No Op. (B), the floor; (E), given
 * a header-auth credential: what n8n's own node costs for a request it refuses.
 */
export function webhookNoOpWorkflow(webhookId: string, o: { path: string; headerAuth?: { id: string; name: string } }): WorkflowSpec {
	return {
		name: o.headerAuth ? 'bench E: Webhook (header auth) → No Op' : 'bench B: Webhook → No Op',
		nodes: [
			{
				id: nodeId(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				parameters: { httpMethod: 'POST', path: o.path, ...(o.headerAuth ? { authentication: 'headerAuth' } : {}), options: {} },
				webhookId,
				...(o.headerAuth ? { credentials: { httpHeaderAuth: { id: o.headerAuth.id, name: o.headerAuth.name } } } : {}),
			},
			{ id: nodeId(), name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} },
		],
		connections: chain('Webhook', 'No Op'),
		settings: { executionOrder: 'v1' },
	};
}

/** n8n's own header-auth credential (`httpHeaderAuth`): the header the Webhook node of (E) requires. */
export function headerAuthCredential(c: { id: string; name: string; header: string; value: string }): object {
	return { id: c.id, name: c.name, type: 'httpHeaderAuth', data: { name: c.header, value: c.value } };
}

/**
 * The Code node of (C): what a user writes without this package. Standard Webhooks Ed25519
 * check over the raw body with the public key pasted in (no JWKS handling at all, which
 * favours C), timestamp tolerance of 5 minutes.
 */
export function diyVerifyCode(publicKeyX: string): string {
	return [
		"const crypto = require('crypto');",
		'const item = $input.first();',
		'const h = item.json.headers;',
		"const raw = await this.helpers.getBinaryDataBuffer(0, 'data');",
		"const id = h['webhook-id'], ts = h['webhook-timestamp'], sig = h['webhook-signature'] || '';",
		'const fresh = /^\\d+$/.test(ts || \'\') && Math.abs(Date.now() / 1000 - Number(ts)) <= 300;',
		`const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: '${publicKeyX}' }, format: 'jwk' });`,
		'const content = Buffer.concat([Buffer.from(`${id}.${ts}.`), raw]);',
		"const valid = Boolean(id) && fresh && sig.split(' ').some((e) => e.startsWith('v1a,') && crypto.verify(null, content, key, Buffer.from(e.slice(4), 'base64')));",
		'return [{ json: { valid, event: valid ? JSON.parse(raw.toString()) : null } }];',
	].join('\n');
}

/** (C) Webhook (raw body, answered by a Respond node) → Code (verify) → Respond 200/401. */
export function diyWorkflow(webhookId: string, publicKeyX: string, pathName = 'bench-c'): WorkflowSpec {
	return {
		name: 'bench C: Webhook → Code (verify) → Respond',
		nodes: [
			{
				id: nodeId(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				parameters: { httpMethod: 'POST', path: pathName, responseMode: 'responseNode', options: { rawBody: true } },
				webhookId,
			},
			{
				id: nodeId(),
				name: 'Verify signature',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [240, 0],
				parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: diyVerifyCode(publicKeyX) },
			},
			{
				id: nodeId(),
				name: 'Respond',
				type: 'n8n-nodes-base.respondToWebhook',
				typeVersion: 1.1,
				position: [480, 0],
				parameters: { respondWith: 'noData', options: { responseCode: '={{ $json.valid ? 200 : 401 }}' } },
			},
		],
		connections: chain('Webhook', 'Verify signature', 'Respond'),
		settings: { executionOrder: 'v1' },
	};
}

export interface LeadsWorkflowOptions {
	credential: { id: string; name: string };
	count: number;
	/** prefix of the partnerOrganizationIds (unique per run) */
	prefix: string;
	/** Continue On Fail: failed items become error items */
	continueOnFail?: boolean;
	name?: string;
	/**
	 * Started by a production Webhook on this path instead of the Manual Trigger (queue mode:
	 * executions go to the workers); the POST body `{from, count}` picks the leads of one run.
	 */
	webhook?: { path: string; webhookId: string };
}

/** Manual Trigger (or Webhook) → Code (N leads) → Pliant Create Lead. */
export function leadsWorkflow(o: LeadsWorkflowOptions): WorkflowSpec {
	const code = [
		'const range = $input.first().json.body ?? {};',
		`const first = Number(range.from ?? 0), n = Number(range.count ?? ${o.count});`,
		'const out = [];',
		'for (let i = first; i < first + n; i++) {',
		`  out.push({ json: { partnerOrganizationId: '${o.prefix}-' + i, companyName: 'Bench Company ' + i + ' GmbH', email: 'cfo' + i + '@bench.example' } });`,
		'}',
		'return out;',
	].join('\n');
	return {
		name: o.name ?? `leads ${o.prefix}`,
		nodes: [
			o.webhook
				? {
						id: nodeId(),
						name: 'Start',
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2,
						position: [0, 0],
						parameters: { httpMethod: 'POST', path: o.webhook.path, options: {} },
						webhookId: o.webhook.webhookId,
					}
				: { id: nodeId(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: nodeId(),
				name: 'Leads',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: code },
			},
			{
				id: nodeId(),
				name: 'Create Lead',
				type: 'n8n-nodes-pliant.pliantCreateLead',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					operation: 'create',
					companyName: '={{ $json.companyName }}',
					country: 'DE',
					industry: 'COMPUTER_SOFTWARE',
					partnerOrganizationId: '={{ $json.partnerOrganizationId }}',
					contactPersons: {
						contactPerson: [{ firstName: 'Ada', lastName: 'Lovelace', email: '={{ $json.email }}', isPrimary: true }],
					},
					additionalFields: {},
					options: {},
				},
				credentials: { pliantApi: o.credential },
				...(o.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			},
		],
		connections: chain('Start', 'Leads', 'Create Lead'),
		settings: { executionOrder: 'v1' },
	};
}

/** Creates a workflow through the public API; returns its id. */
export async function createWorkflow(n8n: N8n, spec: WorkflowSpec): Promise<string> {
	const created = await n8n.apiOk<{ id: string }>('POST', '/workflows', {
		name: spec.name,
		nodes: spec.nodes,
		connections: spec.connections,
		settings: spec.settings ?? { executionOrder: 'v1' },
	});
	return created.id;
}

/** Activates a workflow and waits until its production webhook answers (GET never runs it). */
export async function activateAndWait(n8n: N8n, workflowId: string, webhookUrl: string): Promise<void> {
	await n8n.activate(workflowId);
	await waitFor(
		`webhook ${webhookUrl} to be registered`,
		async () => {
			// a webhook registered for POST answers a GET with 404 naming POST; unknown ones without
			const res = await fetch(webhookUrl, { method: 'GET' });
			const text = await res.text();
			return res.status !== 404 || text.includes('POST') ? true : undefined;
		},
		20_000,
		100,
	);
	await sleep(200);
}

/** The production URL of n8n's Webhook node: its path is the full path (`isFullPath`). */
export function webhookNodeUrl(n8n: N8n, pathName: string): string {
	return `${n8n.baseUrl}/webhook/${pathName}`;
}

/** Starts an emulator that stops with the process if nobody else does. */
export async function startBenchEmulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<{
	emulator: RunningEmulator;
	control: EmulatorClient;
}> {
	const emulator = await startEmulator({ port: 0, ...options });
	return { emulator, control: new EmulatorClient(emulator.url, emulator.controlToken) };
}
