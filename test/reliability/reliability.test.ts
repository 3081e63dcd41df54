/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- bench/test tooling, never published */
/**
 * Reliability suite (`npm run test:reliability`, part of `npm test` and CI): the packed
 * package in a real n8n 2.41.1 against the local emulator. scripts/reliability.sh passes
 * N8N_E2E_VERSION, NODE_BIN, NODEDIR, N8N_DIR and PLIANT_TGZ; run alone, jest installs
 * 2.41.1 (cached) and packs the package itself.
 *
 * - faults during lead creation: every item ends as a success or an error item, and no lead
 *   is sent twice after an ambiguous failure (emulator ledger);
 * - a burst of 1,000 callbacks: 1,000 successful executions, none lost;
 * - 50 publish/unpublish cycles: no leaked subscription; a restart: no duplicate;
 * - forged, stale and replayed callbacks: no execution;
 * - the client secret appears nowhere in n8n's logs, database, execution data or errors.
 */
import { generateKeyPairSync, randomUUID, sign as edSign } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { EVENT_TYPES } from '../../nodes/shared/contract';
import { closeAgents, postAll, signedCallbacks, callbackBody, type CallbackRequest } from '../../bench/lib/load';
import {
	activateAndWait,
	createWorkflow,
	installedTypeVersion,
	leadsWorkflow,
	pliantCredential,
	pliantTriggerWorkflow,
	startBenchEmulator,
	startBenchStack,
	type BenchStack,
	type RunningEmulator,
} from '../../bench/lib/stack';
import type { EmulatorClient, LedgerEntry } from '../../scripts/lib/emulator-client';
import {
	DEFAULT_N8N_VERSION,
	installFromEnv,
	installN8n,
	makeWorkDir,
	nodeOutput,
	packedTarball,
	sleep,
	waitFor,
	type ExecuteResult,
	type N8nExecution,
} from '../../scripts/lib/n8n';

jest.setTimeout(300_000);

/** Distinctive, so that a search for it cannot match anything else. */
const CLIENT_SECRET = 'relSecret-7f3a9c1e5b2d4f60-Qx8vKz';
/** The secret of a second credential that Pliant rejects: it must not leak from error paths either. */
const WRONG_SECRET = 'relWrong-0c9e8d7f6a5b4c3d-Jt4pLw';

const CRED = { id: 'relCredential001', name: 'Pliant (reliability)' };
const WRONG_CRED = { id: 'relCredentialBad', name: 'Pliant (wrong secret)' };

const BURST_HOOK = 'c0ffee00-0000-4000-8000-0000000000b1';
const CYCLE_HOOK = 'c0ffee00-0000-4000-8000-0000000000c1';
const CYCLE_EVENTS = ['ORGANIZATION_ADDED', 'ORGANIZATION_STATE_CHANGED', 'AUTHORIZATION_PENDING'];

let stack: BenchStack;
let emulator: RunningEmulator;
let control: EmulatorClient;
let triggerVersion: number;
let burstWorkflow: string;
let burstUrl: string;
let burstSent: CallbackRequest[] = [];

async function executeWorkflow(id: string): Promise<ExecuteResult> {
	return await stack.n8n.execute(id, 180_000);
}

function leadCalls(ledger: LedgerEntry[], prefix: string): LedgerEntry[] {
	return ledger.filter(
		(e) =>
			e.method === 'POST' &&
			e.path.endsWith('/leads') &&
			String((e.body as { partnerOrganizationId?: string } | undefined)?.partnerOrganizationId ?? '').startsWith(`${prefix}-`),
	);
}

function subscriptionsFor(url: string): Array<{ id: string; eventType: string; callbackUrl: string }> {
	return [...emulator.state.subscriptions.values()].filter((s) => s.callbackUrl === url);
}

/** A control-API call the shared client does not offer. */
async function controlCall(method: string, urlPath: string): Promise<void> {
	const res = await fetch(`${emulator.url}/_emulator${urlPath}`, { method });
	await res.text();
	if (!res.ok) throw new Error(`emulator ${method} ${urlPath}: HTTP ${res.status}`);
}

async function executionCount(workflowId: string): Promise<number> {
	return (await stack.db.counts(workflowId)).total;
}

beforeAll(async () => {
	const install = installFromEnv() ?? (await installN8n(process.env.N8N_E2E_VERSION || DEFAULT_N8N_VERSION));
	const workDir = makeWorkDir(`reliability-${install.version}`);
	const tgz = packedTarball(workDir);
	({ emulator, control } = await startBenchEmulator({
		clientSecret: CLIENT_SECRET,
		// generous: the suite tests faults, not Pliant's limit (the bench measures that)
		rateLimit: { requests: 100_000, windowMs: 300_000 },
		log: () => undefined,
	}));
	const highLimit = { requests: 100_000, windowSeconds: 300 };
	stack = await startBenchStack({
		install,
		tgz,
		workDir,
		credentials: [
			pliantCredential({ ...CRED, emulator, clientSecret: CLIENT_SECRET, rateLimit: highLimit }),
			pliantCredential({ ...WRONG_CRED, emulator, clientSecret: WRONG_SECRET, rateLimit: highLimit }),
		],
		// log everything n8n logs: the secret must not be in any of it
		env: { N8N_LOG_LEVEL: 'debug', EXECUTIONS_DATA_SAVE_ON_ERROR: 'all', EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true' },
		ports: { from: 5730, to: 5739 },
	});
	triggerVersion = installedTypeVersion(stack.n8n.userFolder, 'PliantTrigger');
}, 900_000);

afterAll(async () => {
	closeAgents();
	await stack?.stop();
	await emulator?.stop();
});

describe('lead creation under faults', () => {
	test('every item ends as a success or an error item; no lead is sent twice after an ambiguous failure', async () => {
		const prefix = `rel-faults-${Date.now().toString(36)}`;
		const count = 24;
		const id = await createWorkflow(stack.n8n, leadsWorkflow({ credential: CRED, count, prefix, continueOnFail: true }));
		await control.faults([
			{ route: 'POST /api/leads', statuses: [429, 429], retryAfterSeconds: 1 },
			{ route: 'POST /api/leads', statuses: [503, 503] },
			{ route: 'POST /api/leads', resetConnection: 2 },
			{ route: 'POST /api/leads', resetConnection: 2, processBeforeReset: true },
			{ route: 'POST /api/leads', delayMs: 3000, times: 2 },
			{ route: 'POST /api/leads', statuses: [500] },
		]);
		const run = await executeWorkflow(id);
		await controlCall('DELETE', '/faults');

		const out = nodeOutput(run, 'Create Lead');
		expect(out).toHaveLength(count);
		const succeeded = out.filter((i) => typeof i.leadId === 'string' && i.error === undefined);
		const failed = out.filter((i) => typeof i.error === 'string');
		expect(succeeded.length + failed.length).toBe(count);
		expect(failed.length).toBeGreaterThanOrEqual(1);
		expect(succeeded.length).toBeGreaterThanOrEqual(count - 8);
		// nothing was answered as a duplicate: a resent lead would come back as 409 → duplicate: true
		expect(succeeded.filter((i) => i.duplicate === true)).toEqual([]);

		const calls = leadCalls(await control.ledger(), prefix);
		const byLead = new Map<string, LedgerEntry[]>();
		for (const call of calls) {
			const key = String((call.body as { partnerOrganizationId: string }).partnerOrganizationId);
			byLead.set(key, [...(byLead.get(key) ?? []), call]);
		}
		// ambiguous: Pliant may have processed it (a reset, or a 5xx other than 503)
		const isAmbiguous = (e: LedgerEntry) =>
			/reset/.test(String(e.fault ?? '')) || (typeof e.status === 'number' && e.status >= 500 && e.status !== 503);
		const ambiguous = [...byLead].filter(([, entries]) => entries.some(isAmbiguous));
		// the faults above were all used, and no lead was sent again after an ambiguous failure
		expect(calls.filter((c) => c.fault).length).toBeGreaterThanOrEqual(11);
		expect(ambiguous.length).toBeGreaterThanOrEqual(5);
		for (const [lead, entries] of ambiguous) {
			const first = entries.findIndex(isAmbiguous);
			expect({ lead, sendsAfterAmbiguousFailure: entries.length - 1 - first }).toEqual({ lead, sendsAfterAmbiguousFailure: 0 });
		}
		// 429 and 503 (surely not processed) were retried until they went through
		const retried = [...byLead].filter(([, entries]) => entries.some((e) => e.status === 429 || e.status === 503));
		expect(retried.length).toBeGreaterThanOrEqual(1);
		for (const [, entries] of retried) {
			const last = entries[entries.length - 1];
			if (last.status === 201) expect(entries.slice(0, -1).every((e) => e.status === 429 || e.status === 503)).toBe(true);
		}
		// Pliant holds each lead once; the leads it holds are the successes plus those processed before a reset
		const held = [...emulator.state.leads.values()].filter((l) => l.partnerOrganizationId.startsWith(`${prefix}-`));
		expect(new Set(held.map((l) => l.partnerOrganizationId)).size).toBe(held.length);
		const processedThenLost = calls.filter((c) => c.fault === 'reset-after-processing').length;
		expect(held.length).toBe(succeeded.length + processedThenLost);
		for (const item of succeeded) expect(held.map((l) => l.leadId)).toContain(item.leadId);
	});
});

describe('callbacks', () => {
	beforeAll(async () => {
		burstWorkflow = await createWorkflow(
			stack.n8n,
			pliantTriggerWorkflow({ webhookId: BURST_HOOK, credential: CRED, typeVersion: triggerVersion, name: 'reliability burst' }),
		);
		burstUrl = stack.n8n.webhookUrl(BURST_HOOK);
		await activateAndWait(stack.n8n, burstWorkflow, burstUrl);
		await waitFor('the burst trigger subscriptions', () => subscriptionsFor(burstUrl).length >= EVENT_TYPES.length, 15_000);
	});

	test('a burst of 1,000 signed callbacks gives 1,000 successful executions, none lost', async () => {
		burstSent = await signedCallbacks(control, 1000);
		const batch = await postAll(burstUrl, burstSent, 16);
		const statuses = new Map<number, number>();
		for (const r of batch.results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
		expect([...statuses]).toEqual([[200, 1000]]);

		const counts = await waitFor(
			'1,000 finished executions',
			async () => {
				const c = await stack.db.counts(burstWorkflow);
				return c.finished >= 1000 ? c : undefined;
			},
			240_000,
			250,
		);
		await sleep(1_000);
		const after = await stack.db.counts(burstWorkflow);
		expect(after.total).toBe(1000);
		expect(counts.success).toBe(1000);

		// the public API agrees, and every callback id arrived exactly once
		const executions = await stack.n8n.executions(burstWorkflow, true);
		expect(executions).toHaveLength(1000);
		expect(executions.every((e: N8nExecution) => e.status === 'success')).toBe(true);
		const ids = executions.flatMap((e) => nodeOutput(e, 'Pliant Trigger')).map((i) => String(i.callbackId));
		expect(new Set(ids).size).toBe(1000);
		expect([...ids].sort()).toEqual(burstSent.map((r) => r.id).sort());
	});

	test('forged, stale and replayed callbacks start no execution', async () => {
		const before = await executionCount(burstWorkflow);
		const ts = () => Math.floor(Date.now() / 1000);
		const post = async (req: CallbackRequest, times = 1) =>
			(await postAll(burstUrl, Array.from({ length: times }, () => req), Math.min(times, 16))).results.map((r) => r.status);
		const [fresh] = await signedCallbacks(control, 1);

		// tampered body: signed for another body
		const tampered = { ...fresh, body: fresh.body.replace('ONBOARDING_MANDATES_AND_TERMS', 'ACTIVE') };
		expect(await post(tampered)).toEqual([401]);
		// a well-formed signature from a key that is not Pliant's
		const { privateKey } = generateKeyPairSync('ed25519');
		const id = randomUUID();
		const body = callbackBody({}, 7);
		const foreign = edSign(null, Buffer.from(`${id}.${ts()}.${body}`), privateKey).toString('base64');
		expect(
			await post({
				id,
				body,
				headers: { 'content-type': 'application/json', 'x-callback-id': id, 'webhook-id': id, 'webhook-timestamp': String(ts()), 'webhook-signature': `v1a,${foreign}` },
			}),
		).toEqual([401]);
		// garbage signature, and no signature headers at all
		expect(await post({ ...fresh, headers: { ...fresh.headers, 'webhook-signature': `v1a,${Buffer.alloc(64, 7).toString('base64')}` } })).toEqual([401]);
		const unsigned = Object.fromEntries(Object.entries(fresh.headers).filter(([k]) => !k.startsWith('webhook-')));
		expect(await post({ ...fresh, headers: unsigned })).toEqual([401]);
		// correctly signed, but 10 minutes old / 10 minutes ahead / not a timestamp
		const [stale] = await signedCallbacks(control, 1, { timestamp: ts() - 600 });
		expect(await post(stale)).toEqual([401]);
		const [future] = await signedCallbacks(control, 1, { timestamp: ts() + 600 });
		expect(await post(future)).toEqual([401]);
		expect(await post({ ...fresh, headers: { ...fresh.headers, 'webhook-timestamp': 'yesterday' } })).toEqual([401]);

		await sleep(2_000);
		expect({ executionsFromForgedOrStale: (await executionCount(burstWorkflow)) - before }).toEqual({ executionsFromForgedOrStale: 0 });

		// replays of callbacks that were already delivered (the burst): acknowledged, never run
		const replayed = burstSent.slice(0, 5);
		for (const r of replayed) expect(await post(r, 4)).toEqual([200, 200, 200, 200]);
		await sleep(2_000);
		expect({ executionsFromIdenticalReplays: (await executionCount(burstWorkflow)) - before }).toEqual({ executionsFromIdenticalReplays: 0 });
		// the same replays with a fresh X-Callback-Id: that header is not signed, webhook-id is
		for (const r of replayed) {
			expect(await post({ ...r, headers: { ...r.headers, 'x-callback-id': randomUUID() } })).toEqual([200]);
		}
		await sleep(2_000);
		expect({ executionsFromReplaysWithNewCallbackIdHeader: (await executionCount(burstWorkflow)) - before }).toEqual({
			executionsFromReplaysWithNewCallbackIdHeader: 0,
		});

		// control: a fresh, correctly signed callback sent 10 times at once runs exactly once
		expect(await post(fresh, 10)).toEqual(Array.from({ length: 10 }, () => 200));
		await waitFor('the one control execution', async () => ((await executionCount(burstWorkflow)) >= before + 1 ? true : undefined), 20_000);
		await sleep(1_500);
		expect(await executionCount(burstWorkflow)).toBe(before + 1);
	});
});

describe('subscriptions', () => {
	let cycleWorkflow: string;
	let cycleUrl: string;

	beforeAll(async () => {
		cycleWorkflow = await createWorkflow(
			stack.n8n,
			pliantTriggerWorkflow({ webhookId: CYCLE_HOOK, credential: CRED, events: CYCLE_EVENTS, typeVersion: triggerVersion, name: 'reliability cycles' }),
		);
		cycleUrl = stack.n8n.webhookUrl(CYCLE_HOOK);
	});

	test('50 publish/unpublish cycles leave 0 subscriptions behind', async () => {
		const ledgerBefore = (await control.ledger()).length;
		// each cycle waits until n8n has applied it: n8n 2.x queues publications and merges
		// requests that follow each other quickly
		for (let cycle = 0; cycle < 50; cycle++) {
			await stack.n8n.activate(cycleWorkflow);
			await waitFor(`cycle ${cycle + 1}: subscriptions`, () => (subscriptionsFor(cycleUrl).length === CYCLE_EVENTS.length ? true : undefined), 20_000, 25);
			await stack.n8n.deactivate(cycleWorkflow);
			await waitFor(`cycle ${cycle + 1}: no subscriptions`, () => (subscriptionsFor(cycleUrl).length === 0 ? true : undefined), 20_000, 25);
		}
		const ledger = (await control.ledger()).slice(ledgerBefore);
		expect(ledger.filter((e) => e.path.endsWith('/subscriptions/bulk-upsert') && e.status === 200)).toHaveLength(50);
		expect(ledger.filter((e) => e.method === 'DELETE' && e.status === 204)).toHaveLength(50 * CYCLE_EVENTS.length);

		// and 20 toggles as fast as the API takes them, ending unpublished
		for (let toggle = 0; toggle < 20; toggle++) {
			if (toggle % 2 === 0) await stack.n8n.activate(cycleWorkflow);
			else await stack.n8n.deactivate(cycleWorkflow);
		}
		await waitFor('the toggled subscriptions to be gone', () => (subscriptionsFor(cycleUrl).length === 0 ? true : undefined), 30_000, 200);
		await sleep(3_000);
		expect(subscriptionsFor(cycleUrl)).toEqual([]);
		// nothing else was touched: the burst trigger keeps its subscriptions
		expect(subscriptionsFor(burstUrl)).toHaveLength(EVENT_TYPES.length);
	});

	test('a published trigger survives an n8n restart without duplicate subscriptions', async () => {
		await activateAndWait(stack.n8n, cycleWorkflow, cycleUrl);
		await waitFor('the cycle subscriptions', () => (subscriptionsFor(cycleUrl).length >= CYCLE_EVENTS.length ? true : undefined), 15_000);
		const jwksBefore = emulator.state.ledger.filter((e) => e.path.endsWith('/jwks.json')).length;

		await stack.restart();
		await waitFor(
			'the burst webhook after the restart',
			async () => {
				const res = await fetch(burstUrl);
				const text = await res.text();
				return res.status !== 404 || text.includes('POST') ? true : undefined;
			},
			60_000,
			250,
		);
		await sleep(2_000);

		for (const [url, events] of [
			[burstUrl, [...EVENT_TYPES]],
			[cycleUrl, CYCLE_EVENTS],
		] as const) {
			const subs = subscriptionsFor(url);
			expect(subs.map((s) => s.eventType).sort()).toEqual([...events].sort());
		}
		// the triggers still verify (keys from static data) and run, once per callback
		const before = await executionCount(burstWorkflow);
		const [callback] = await signedCallbacks(control, 1);
		expect((await postAll(burstUrl, [callback], 1)).results.map((r) => r.status)).toEqual([200]);
		await waitFor('an execution after the restart', async () => ((await executionCount(burstWorkflow)) === before + 1 ? true : undefined), 20_000);
		const jwksAfter = emulator.state.ledger.filter((e) => e.path.endsWith('/jwks.json')).length;
		expect(jwksAfter - jwksBefore).toBeLessThanOrEqual(1);

		await stack.n8n.deactivate(cycleWorkflow);
		await waitFor('the cycle subscriptions to be deleted', () => (subscriptionsFor(cycleUrl).length === 0 ? true : undefined), 15_000);
	});
});

describe('secrets', () => {
	test('the client secret appears nowhere in n8n logs, database, execution data or error output', async () => {
		// error paths: a credential Pliant rejects, and a token refresh that fails
		const prefix = `rel-secret-${Date.now().toString(36)}`;
		const wrong = await createWorkflow(stack.n8n, leadsWorkflow({ credential: WRONG_CRED, count: 2, prefix: `${prefix}-w`, continueOnFail: true }));
		const wrongRun = await executeWorkflow(wrong);
		const wrongOut = nodeOutput(wrongRun, 'Create Lead');
		expect(wrongOut).toHaveLength(2);
		expect(wrongOut.every((i) => typeof i.error === 'string')).toBe(true);

		await controlCall('POST', '/tokens/expire');
		await control.faults({ route: 'POST /oauth/token', statuses: [500, 500, 500, 500] });
		const refresh = await createWorkflow(stack.n8n, leadsWorkflow({ credential: CRED, count: 2, prefix: `${prefix}-r`, continueOnFail: false }));
		const refreshRun = await executeWorkflow(refresh);
		await controlCall('DELETE', '/faults');
		expect(JSON.stringify(refreshRun.data.resultData.error ?? {})).not.toBe('{}');

		const haystacks: Array<{ where: string; text: string }> = [];
		const walk = (dir: string): string[] =>
			fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
		// every log n8n wrote (start, restart, CLI commands with their output), and the SQLite files
		for (const file of walk(stack.workDir)) {
			const name = path.basename(file);
			if (/\.log$/.test(name) || /database\.sqlite(-wal|-shm)?$/.test(name)) {
				haystacks.push({ where: path.relative(stack.workDir, file), text: fs.readFileSync(file).toString('latin1') });
			}
		}
		// execution data through the public API, every workflow
		for (const wf of await stack.n8n.listWorkflows()) {
			haystacks.push({ where: `executions of ${wf.id}`, text: JSON.stringify(await stack.n8n.executions(wf.id, true)) });
		}
		haystacks.push({ where: 'error output of the runs', text: JSON.stringify([wrongRun, refreshRun]) });

		// the search looks at real data: the logs and the database hold what the runs did
		const all = haystacks.map((h) => h.text).join('\n');
		expect(all).toContain(`${prefix}-w-0`);
		expect(haystacks.some((h) => h.where.endsWith('.log') && h.text.length > 1000)).toBe(true);
		expect(haystacks.some((h) => /database\.sqlite$/.test(h.where))).toBe(true);

		for (const secret of [CLIENT_SECRET, WRONG_SECRET]) {
			const forms = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
			const found = haystacks.filter((h) => forms.some((f) => h.text.includes(f))).map((h) => h.where);
			expect({ secret: secret.slice(0, 9), found }).toEqual({ secret: secret.slice(0, 9), found: [] });
		}
	});
});
