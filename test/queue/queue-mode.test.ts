/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, never published */
/**
 * Queue mode (`npm run test:queue`, part of `npm test` and CI): the packed package in n8n
 * 2.41.1 with Redis, Postgres, one main, one webhook processor and two workers
 * (scripts/lib/queue-stack.ts), against the local emulator. scripts/queue.sh passes
 * N8N_E2E_VERSION, NODE_BIN, NODEDIR, N8N_DIR, PLIANT_TGZ and PLIANT_PG_BIN.
 *
 * - the Pliant Trigger, published on main, subscribes with the webhook processor's URL;
 * - 1,000 signed callbacks to the webhook processor → 1,000 executions on the workers, each
 *   callback in exactly one, both workers used; again with the emulator's duplicate delivery;
 * - 1,000 leads by one workflow whose executions run on both workers, against a rate limit
 *   each worker paces itself to: no lead sent twice, every item succeeds, tokens ≤ processes;
 * - unpublishing on main leaves no subscription.
 * Figures are printed as `[queue] figure …` lines (the benchmark is `npm run bench`).
 */
import { randomUUID } from 'crypto';

import { EVENT_TYPES } from '../../nodes/shared/contract';
import { closeAgents, postAll, signedCallbacks, type CallbackRequest, type PostResult } from '../../bench/lib/load';
import {
	activateAndWait,
	createWorkflow,
	installedTypeVersion,
	leadsWorkflow,
	pliantTriggerWorkflow,
	startBenchEmulator,
	type RunningEmulator,
} from '../../bench/lib/stack';
import type { EmulatorClient } from '../../scripts/lib/emulator-client';
import {
	DEFAULT_N8N_VERSION,
	installFromEnv,
	installN8n,
	makeWorkDir,
	nodeOutput,
	packedTarball,
	waitFor,
	type N8nExecution,
} from '../../scripts/lib/n8n';
import { startQueueStack, type QueueStack } from '../../scripts/lib/queue-stack';

jest.setTimeout(900_000);

const CALLBACKS = Number(process.env.QUEUE_CALLBACKS ?? 1000);
const LEADS = Number(process.env.QUEUE_LEADS ?? 1000);
/** Executions the leads are split into (Bull hands them to both workers). */
const LEAD_RUNS = 10;
/** The emulator's (Pliant's) limit for the lead case, scaled down from 900 per 5 minutes. */
const LEAD_LIMIT = { requests: 200, windowSeconds: 10 };
const TRIGGER_HOOK = 'queue000-0000-4000-8000-000000000001';
const LEADS_HOOK = 'queue000-0000-4000-8000-000000000002';

let stack: QueueStack;
let triggerEmu: { emulator: RunningEmulator; control: EmulatorClient };
let leadsEmu: { emulator: RunningEmulator; control: EmulatorClient };
let triggerCred: { id: string; name: string };
let leadsCred: { id: string; name: string };
let triggerWorkflow: string;
let triggerUrl: string;

const figure = (line: string) => process.stderr.write(`[queue] figure ${line}\n`);

interface ExecutionRow {
	id: string;
	status: string;
	mode: string;
	startedAt: string | null;
	stoppedAt: string | null;
	data?: string;
}

/** Executions of a workflow with id > `afterId`, from Postgres (with the stored run data when asked). */
async function executionRows(workflowId: string, afterId: number, withData = false): Promise<ExecutionRow[]> {
	return await stack.postgres.rows<ExecutionRow>(
		`SELECT e.id::text AS id, e.status, e.mode, e."startedAt", e."stoppedAt"${withData ? ', d.data' : ''}
		 FROM execution_entity e ${withData ? 'LEFT JOIN execution_data d ON d."executionId" = e.id' : ''}
		 WHERE e."workflowId" = '${workflowId}' AND e.id > ${afterId} ORDER BY e.id`,
	);
}

/** Waits until `count` executions exist and all are finished, then a little longer to see any extra one. */
async function waitForExecutions(workflowId: string, afterId: number, count: number, timeoutMs: number): Promise<ExecutionRow[]> {
	await waitFor(
		`${count} finished executions of ${workflowId}`,
		async () => {
			const rows = await executionRows(workflowId, afterId);
			return rows.length >= count && rows.every((r) => r.stoppedAt !== null);
		},
		timeoutMs,
		500,
	);
	await new Promise((r) => setTimeout(r, 2_000));
	return await executionRows(workflowId, afterId, true);
}

/** callback id → executions whose stored data holds it. */
function executionsPerCallback(ids: string[], rows: ExecutionRow[]): Map<string, string[]> {
	const out = new Map<string, string[]>(ids.map((id) => [id, []]));
	for (const row of rows) {
		for (const m of (row.data ?? '').matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g)) {
			const list = out.get(m[0]);
			if (list && !list.includes(row.id)) list.push(row.id);
		}
	}
	return out;
}

/** Which worker ran each execution (from the workers' logs); asserts each ran on exactly one. */
function workerOf(executionIds: string[]): Map<string, number> {
	const counts = new Map<string, number>();
	const seen = new Map<string, string>();
	for (const [worker, ids] of stack.executionsByWorker()) {
		for (const id of ids) {
			if (!executionIds.includes(id)) continue;
			expect(seen.get(id)).toBeUndefined();
			seen.set(id, worker);
			counts.set(worker, (counts.get(worker) ?? 0) + 1);
		}
	}
	expect(seen.size).toBe(executionIds.length);
	return counts;
}

async function createCredential(name: string, emulator: RunningEmulator, limit?: { requests: number; windowSeconds: number }) {
	const url = emulator.url.replace(/\/$/, '');
	const created = await stack.main.apiOk<{ id: string; name: string }>('POST', '/credentials', {
		name,
		type: 'pliantApi',
		data: {
			environment: 'custom',
			clientId: emulator.clientId,
			clientSecret: emulator.clientSecret,
			tokenUrl: `${url}/oauth/token`,
			audience: emulator.audience,
			baseUrl: `${url}/api`,
			...(limit ? { rateLimitRequests: limit.requests, rateLimitWindowSeconds: limit.windowSeconds } : {}),
		},
	});
	return { id: created.id, name: created.name };
}

beforeAll(async () => {
	const install = installFromEnv() ?? (await installN8n(process.env.N8N_E2E_VERSION || DEFAULT_N8N_VERSION));
	const workDir = makeWorkDir(`queue-${install.version}`);
	const tgz = packedTarball(workDir);
	triggerEmu = await startBenchEmulator({ log: () => undefined });
	leadsEmu = await startBenchEmulator({
		log: () => undefined,
		rateLimit: { requests: LEAD_LIMIT.requests, windowMs: LEAD_LIMIT.windowSeconds * 1000 },
	});
	// n8n's lazy isolate acquisition (README, "Settings for high callback volumes"): expressions
	// stay isolated, and 2,000 callbacks fit CI's time on 2 cores
	stack = await startQueueStack({ install, tgz, workDir, env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } });
	triggerCred = await createCredential('Pliant (queue trigger)', triggerEmu.emulator);
	leadsCred = await createCredential('Pliant (queue leads)', leadsEmu.emulator, LEAD_LIMIT);
}, 600_000);

afterAll(async () => {
	closeAgents();
	await stack?.stop();
	await triggerEmu?.emulator.stop();
	await leadsEmu?.emulator.stop();
}, 120_000);

describe('n8n queue mode: main, webhook processor, two workers', () => {
	test('the Pliant Trigger published on main subscribes with the webhook processor URL', async () => {
		const typeVersion = installedTypeVersion(stack.main.userFolder, 'PliantTrigger');
		triggerWorkflow = await createWorkflow(
			stack.main,
			// the callbacks are about organizations Pliant does not know: no partner-ID lookups, so the
			// burst below can assert that no callback costs a Pliant call
			pliantTriggerWorkflow({
				webhookId: TRIGGER_HOOK,
				credential: triggerCred,
				typeVersion,
				name: 'queue: Pliant Trigger',
				options: { resolvePartnerOrganizationId: false },
			}),
		);
		triggerUrl = stack.webhook.webhookUrl(TRIGGER_HOOK);
		await activateAndWait(stack.main, triggerWorkflow, triggerUrl);
		const subscriptions = await waitFor(
			'the trigger subscriptions',
			async () => {
				const subs = (await triggerEmu.control.state()).subscriptions;
				return subs.length === EVENT_TYPES.length ? subs : undefined;
			},
			30_000,
		);
		expect(new Set(subscriptions.map((s) => s.callbackUrl))).toEqual(new Set([triggerUrl]));
		expect(triggerUrl.startsWith(stack.webhook.baseUrl)).toBe(true);
	});

	test(`${CALLBACKS} signed callbacks to the webhook processor: ${CALLBACKS} executions on the workers, none lost, none twice`, async () => {
		const before = await stack.executions.maxId();
		const pliantCallsBefore = triggerEmu.emulator.state.ledger.length;
		const t0 = Date.now();
		// signed in chunks just before sending: a slow machine must not make the last ones stale (5 minutes)
		const callbacks: CallbackRequest[] = [];
		const results: PostResult[] = [];
		for (let sent = 0; sent < CALLBACKS; sent += 100) {
			const chunk = await signedCallbacks(triggerEmu.control, Math.min(100, CALLBACKS - sent));
			callbacks.push(...chunk);
			results.push(...(await postAll(triggerUrl, chunk, 16)).results);
		}
		const ackedMs = Date.now() - t0;
		expect(results.filter((r) => r.status !== 200).map((r) => r.status || r.error)).toEqual([]);
		const rows = await waitForExecutions(triggerWorkflow, before, CALLBACKS, 600_000);
		const doneMs = Math.max(...rows.map((r) => Date.parse(r.stoppedAt as string))) - t0;

		expect(rows.length).toBe(CALLBACKS);
		expect(rows.filter((r) => r.status !== 'success')).toEqual([]);
		const perCallback = executionsPerCallback(
			callbacks.map((c) => c.id),
			rows,
		);
		expect([...perCallback.values()].filter((ids) => ids.length !== 1)).toEqual([]);
		const perWorker = workerOf(rows.map((r) => r.id));
		expect([...perWorker.values()].every((n) => n > 0) && perWorker.size === 2).toBe(true);
		// the signing keys main stored at publish serve the webhook processor: no Pliant call per callback
		expect(triggerEmu.emulator.state.ledger.slice(pliantCallsBefore)).toEqual([]);
		figure(
			`callbacks=${CALLBACKS} acked in ${(ackedMs / 1000).toFixed(1)} s, all executions finished after ${(doneMs / 1000).toFixed(1)} s = ${((CALLBACKS * 1000) / doneMs).toFixed(1)} callbacks/s; per worker ${JSON.stringify(Object.fromEntries(perWorker))}`,
		);
	});

	test(`${CALLBACKS} callbacks delivered twice each by the emulator: each runs once`, async () => {
		await triggerEmu.control.config({ delivery: { duplicate: true } });
		const before = await stack.executions.maxId();
		const ids: string[] = [];
		const t0 = Date.now();
		for (let i = 0; i < CALLBACKS; i++) {
			const fired = (await triggerEmu.control.event({
				eventType: 'ORGANIZATION_STATE_CHANGED',
				organizationId: randomUUID(),
				callbackUrl: triggerUrl,
				statusChange: { beforeChange: 'ONBOARDING_RISK_AND_COMPLIANCE', afterChange: 'ONBOARDING_MANDATES_AND_TERMS' },
			})) as { callbacks: Array<{ callbackId: string }> };
			ids.push(...fired.callbacks.map((c) => c.callbackId));
		}
		expect(ids.length).toBe(CALLBACKS);
		// polled: one long wait would outlast fetch's header timeout
		await waitFor('every delivery done', async () => await triggerEmu.control.waitForDeliveries(30_000), 600_000, 0);
		const deliveries = (await triggerEmu.control.deliveries()).filter((d) => ids.includes(d.callbackId));
		// every callback: delivered, then sent once more (same ids), both answered 200
		expect(deliveries.filter((d) => d.state !== 'delivered' || d.statuses.join() !== '200,200')).toEqual([]);
		const rows = await waitForExecutions(triggerWorkflow, before, CALLBACKS, 600_000);
		expect(rows.length).toBe(CALLBACKS);
		expect(rows.filter((r) => r.status !== 'success')).toEqual([]);
		const perCallback = executionsPerCallback(ids, rows);
		expect([...perCallback.values()].filter((e) => e.length !== 1)).toEqual([]);
		const perWorker = workerOf(rows.map((r) => r.id));
		figure(
			`duplicate delivery: ${CALLBACKS} callbacks × 2 deliveries in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${rows.length} executions; per worker ${JSON.stringify(Object.fromEntries(perWorker))}`,
		);
		await triggerEmu.control.config({ delivery: { duplicate: false } });
	});

	test(`${LEADS} leads by one workflow on both workers: none sent twice, every item succeeds, tokens ≤ processes`, async () => {
		const prefix = `queue-${Date.now().toString(36)}`;
		const workflow = await createWorkflow(
			stack.main,
			leadsWorkflow({
				credential: leadsCred,
				count: LEADS,
				prefix,
				continueOnFail: true,
				name: 'queue: leads',
				webhook: { path: 'queue-leads', webhookId: LEADS_HOOK },
			}),
		);
		const url = `${stack.webhook.baseUrl}/webhook/queue-leads`;
		await activateAndWait(stack.main, workflow, url);
		const before = await stack.executions.maxId();
		const ledgerBefore = leadsEmu.emulator.state.ledger.length;
		const per = Math.ceil(LEADS / LEAD_RUNS);
		const t0 = Date.now();
		const starts = await Promise.all(
			Array.from({ length: LEAD_RUNS }, async (_, i) => {
				const res = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ from: i * per, count: Math.min(per, LEADS - i * per) }),
				});
				return res.status;
			}),
		);
		expect(starts).toEqual(Array(LEAD_RUNS).fill(200));
		const rows = await waitForExecutions(workflow, before, LEAD_RUNS, 420_000);
		const wallMs = Math.max(...rows.map((r) => Date.parse(r.stoppedAt as string))) - t0;

		const ledger = leadsEmu.emulator.state.ledger.slice(ledgerBefore);
		const leadPosts = ledger.filter((e) => e.method === 'POST' && e.path.endsWith('/leads'));
		const created = leadPosts.filter((e) => e.status === 201);
		const sentIds = created.map((e) => (e.body as { partnerOrganizationId: string }).partnerOrganizationId);
		const tokens = ledger.filter((e) => e.path.endsWith('/oauth/token')).length;
		const responses429 = leadPosts.filter((e) => e.status === 429).length;
		const perWorker = workerOf(rows.map((r) => r.id));
		const executions = await Promise.all(
			rows.map(async (r) => await stack.main.apiOk<N8nExecution>('GET', `/executions/${r.id}?includeData=true`)),
		);
		const items = executions.flatMap((e) => nodeOutput(e, 'Create Lead'));
		const failed = items.filter((i) => i.error !== undefined);
		figure(
			`leads=${LEADS} in ${LEAD_RUNS} executions, limit ${LEAD_LIMIT.requests}/${LEAD_LIMIT.windowSeconds}s: ${items.length - failed.length} ok, ${failed.length} failed, ${created.length} created, ${leadPosts.length - created.length} refused (${responses429} × 429), ${tokens} token requests, ${(wallMs / 1000).toFixed(1)} s (minimum ${Math.floor((LEADS - 1) / LEAD_LIMIT.requests) * LEAD_LIMIT.windowSeconds} s); per worker ${JSON.stringify(Object.fromEntries(perWorker))}${failed.length ? `; first error: ${String(failed[0].error)}` : ''}`,
		);

		expect(perWorker.size).toBe(2);
		// no lead sent twice: every partnerOrganizationId reached Pliant once, and no 409 (a second send)
		expect(new Set(sentIds).size).toBe(sentIds.length);
		expect(leadPosts.filter((e) => e.status === 409)).toEqual([]);
		expect(tokens).toBeLessThanOrEqual(2 + stack.workers.length);
		expect(rows.filter((r) => r.status !== 'success')).toEqual([]);
		expect(failed.map((i) => i.error)).toEqual([]);
		expect(items.length).toBe(LEADS);
		expect(new Set(sentIds).size).toBe(LEADS);
		await stack.main.deactivate(workflow);
	});

	test('unpublishing on main leaves 0 subscriptions', async () => {
		await stack.main.deactivate(triggerWorkflow);
		await waitFor('0 subscriptions', async () => (await triggerEmu.control.state()).subscriptions.length === 0, 30_000);
		expect((await triggerEmu.control.state()).subscriptions).toEqual([]);
		// and the webhook processor no longer runs the trigger
		const [genuine] = await signedCallbacks(triggerEmu.control, 1);
		const [res] = (await postAll(triggerUrl, [genuine], 1)).results;
		expect(res.status).toBe(404);
	});
});
