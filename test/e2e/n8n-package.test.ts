/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/**
 * The package in a real n8n (2.41.1 on Node 24, 1.123.50 on Node 20: scripts/e2e.sh runs this
 * file once per version) against the local emulator: loading, examples, the lead body on the
 * wire, onboarding callbacks → executions, Onboarding Status, forged callbacks, unpublish.
 */
import * as fs from 'fs';
import * as path from 'path';

import { EVENT_TYPES } from '../../nodes/shared/contract';
import type { Delivery } from '../../scripts/lib/emulator-client';
import {
	DEFAULT_N8N_VERSION,
	DEMO_CREDENTIAL_ID,
	DEMO_CREDENTIAL_NAME,
	MCP_EXAMPLE,
	REPO,
	loadExamples,
	nodeOutput,
	sleep,
	waitFor,
	type N8nExecution,
} from '../../scripts/lib/n8n';
import { CONTRACT_LEAD } from '../support/fixtures';
import { createLeadAtEmulator, startStack, type Stack } from './harness';

jest.setTimeout(180_000);

const DEMO_TRIGGER = 'pliantExDemoTrig';
const ACTIVATE = 'pliantExActivate';
const TEST_LEAD = 'pliantExTestLead';
const TRIGGER_NODE = 'Pliant onboarding event';

const examples = loadExamples();
const exampleById = new Map(examples.map((e) => [e.workflow.id, e.workflow]));

function webhookIdOf(workflowId: string): string {
	const trigger = exampleById.get(workflowId)?.nodes.find((n) => n.type === 'n8n-nodes-pliant.pliantTrigger');
	if (!trigger?.webhookId) throw new Error(`${workflowId} has no Pliant Trigger with a webhookId`);
	return trigger.webhookId;
}

/** Node type names the package declares (package.json `n8n.nodes`, file name → camelCase). */
function declaredNodeTypes(): string[] {
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
		name: string;
		n8n: { nodes: string[] };
	};
	return pkg.n8n.nodes.map((file) => {
		const cls = path.basename(file).split('.')[0];
		return `${pkg.name}.${cls[0].toLowerCase()}${cls.slice(1)}`;
	});
}

/**
 * The lead the "Create a test lead" example sends: the contract's example lead without the
 * VAT and register IDs, with the example's own note and a fresh partnerOrganizationId.
 */
function expectedLeadBody(partnerOrganizationId: string) {
	return {
		...CONTRACT_LEAD,
		partnerOrganizationId,
		// toEqual: undefined means "not sent"
		company: {
			...CONTRACT_LEAD.company,
			vatId: undefined,
			nationalRegisterId: undefined,
			nationalRegisterCourt: undefined,
		},
		notes: 'Test lead from the n8n-nodes-pliant demo',
	};
}

const is2xx = (s: number | string) => typeof s === 'number' && s >= 200 && s < 300;

function triggerItems(executions: N8nExecution[]): Array<Record<string, unknown>> {
	return executions.flatMap((e) => nodeOutput(e, TRIGGER_NODE));
}

function countBy<T>(values: T[]): Map<T, number> {
	const m = new Map<T, number>();
	for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
	return m;
}

let stack: Stack;
let knownTypes: Map<string, Set<number>>;
let leadId: string;
let partnerOrganizationId: string;
let organizationId: string;

const version = process.env.N8N_E2E_VERSION || DEFAULT_N8N_VERSION;

describe(`n8n ${version} with n8n-nodes-pliant`, () => {
	beforeAll(async () => {
		// the activation example is published with the CLI (applied at start), the demo trigger later over the public API
		stack = await startStack({ publishBeforeStart: [ACTIVATE] });
	}, 900_000);

	afterAll(async () => {
		await stack?.stop();
	});

	test('the package loads and all its node types are listed (n8n export:nodes)', async () => {
		const nodes = await stack.n8n.exportNodes();
		knownTypes = new Map();
		for (const n of nodes) {
			const set = knownTypes.get(n.name) ?? new Set<number>();
			for (const v of Array.isArray(n.version) ? n.version : [n.version]) set.add(v);
			knownTypes.set(n.name, set);
		}
		const ours = [...knownTypes.keys()].filter((n) => n.startsWith('n8n-nodes-pliant.')).sort();
		const declared = declaredNodeTypes().sort();
		// every declared node, plus the AI-tool variants n8n derives from `usableAsTool` nodes
		expect(ours.filter((n) => !n.endsWith('Tool'))).toEqual(declared);
		for (const tool of ours.filter((n) => n.endsWith('Tool'))) expect(declared).toContain(tool.slice(0, -4));
		expect(stack.n8n.logText()).not.toMatch(/could not be found|Error loading package|Failed to load/i);

		const creds = await stack.n8n.http<Array<{ name: string }>>('GET', '/types/credentials.json');
		expect(creds.status).toBe(200);
		expect(creds.body.map((c) => c.name)).toContain('pliantApi');
	});

	test('every example is imported with all node types and versions known', async () => {
		expect(examples.length).toBeGreaterThanOrEqual(6);
		for (const { workflow } of examples) {
			expect(workflow.id.length).toBeLessThanOrEqual(16);
			const stored = await stack.n8n.getWorkflow(workflow.id);
			expect(stored.name).toBe(workflow.name);
			expect(stored.nodes).toHaveLength(workflow.nodes.length);
			for (const node of workflow.nodes) {
				const versions = knownTypes.get(node.type);
				expect({ workflow: workflow.id, node: node.name, type: node.type, known: Boolean(versions) }).toEqual({
					workflow: workflow.id,
					node: node.name,
					type: node.type,
					known: true,
				});
				expect({ node: node.name, versions: [...(versions ?? [])], has: versions?.has(node.typeVersion) }).toMatchObject({
					has: true,
				});
				for (const cred of Object.values(node.credentials ?? {})) {
					expect([
						{ id: DEMO_CREDENTIAL_ID, name: DEMO_CREDENTIAL_NAME },
						{ id: MCP_EXAMPLE.credentialId, name: MCP_EXAMPLE.credentialName },
					]).toContainEqual(cred);
				}
			}
		}
	});

	test('CLI activation (before start) registered its subscription at the emulator', async () => {
		const url = stack.n8n.webhookUrl(webhookIdOf(ACTIVATE));
		const subs = await waitFor('the activation example subscription', async () => {
			const s = (await stack.control.state()).subscriptions.filter((x) => x.callbackUrl === url);
			return s.length > 0 ? s : undefined;
		});
		expect(subs.map((s) => s.eventType)).toEqual(['AUTHORIZATION_PENDING']);
	});

	test('publishing the demo trigger registers one subscription per event type', async () => {
		await stack.n8n.activate(DEMO_TRIGGER);
		const url = stack.n8n.webhookUrl(webhookIdOf(DEMO_TRIGGER));
		// the public API answers before n8n has run the trigger's checkExists/create
		const subs = await waitFor('the demo trigger subscriptions', async () => {
			const s = (await stack.control.state()).subscriptions.filter((x) => x.callbackUrl === url);
			return s.length >= EVENT_TYPES.length ? s : undefined;
		}, 15_000);
		await sleep(500);
		expect(subs.map((s) => s.eventType).sort()).toEqual([...EVENT_TYPES].sort());
		expect((await stack.control.state()).subscriptions.filter((x) => x.callbackUrl === url)).toHaveLength(
			EVENT_TYPES.length,
		);
		// the webhook answers shortly after activation (n8n-e2e.md pitfall 9)
		await waitFor('the demo webhook to be registered', async () => {
			const res = await fetch(url, { method: 'GET' });
			return res.status !== 404 || (await res.text()).includes('POST') ? true : undefined;
		}, 10_000);
	});

	test('"Create a test lead" sends the exact contract body to Pliant', async () => {
		const run = await stack.n8n.execute(TEST_LEAD);
		expect(run.data.resultData.error?.message).toBeUndefined();
		const out = nodeOutput(run, 'Create a Pliant lead');
		expect(out).toHaveLength(1);
		expect(out[0]).toMatchObject({ status: 'RECEIVED', duplicate: false });
		leadId = String(out[0].leadId);
		partnerOrganizationId = String(out[0].partnerOrganizationId);
		expect(leadId).toMatch(/^[0-9a-f-]{36}$/);
		expect(partnerOrganizationId).toMatch(/^demo-\d+$/);

		const ledger = await stack.control.ledger();
		const leadCalls = ledger.filter((e) => e.method === 'POST' && /\/leads$/.test(e.path));
		expect(leadCalls).toHaveLength(1);
		expect(leadCalls[0].body).toEqual(expectedLeadBody(partnerOrganizationId));
		expect(leadCalls[0].status).toBe(201);

		const tokenCalls = ledger.filter((e) => e.method === 'POST' && /\/oauth\/token$/.test(e.path));
		expect(tokenCalls.length).toBeGreaterThanOrEqual(1);
		expect(tokenCalls[0].body).toMatchObject({
			client_id: 'emulator-client',
			audience: 'pliant-emulator',
			grant_type: 'client_credentials',
		});
	});

	test('onboarding: exactly one trigger execution per callback and per event type', async () => {
		organizationId = await stack.control.onboard(leadId);
		await stack.control.complete(organizationId);
		const demoUrl = stack.n8n.webhookUrl(webhookIdOf(DEMO_TRIGGER));
		const activateUrl = stack.n8n.webhookUrl(webhookIdOf(ACTIVATE));

		// AUTHORIZATION_PENDING runs the activation example, Pliant answers with AUTHORIZATION_GRANTED
		const deliveries = await waitFor(
			'every callback, AUTHORIZATION_GRANTED included, to be delivered',
			async () => {
				const all = (await stack.control.deliveries()).filter((d) => d.organizationId === organizationId);
				const done = all.every((d) => d.state !== 'pending');
				const granted = all.some((d) => d.url === demoUrl && d.eventType === 'AUTHORIZATION_GRANTED');
				return done && granted ? all : undefined;
			},
			60_000,
			500,
		);
		const toDemo = deliveries.filter((d: Delivery) => d.url === demoUrl);
		expect(toDemo.every((d) => d.state === 'delivered')).toBe(true);
		expect(toDemo.map((d) => d.eventType).sort()).toEqual(
			[
				'ORGANIZATION_ADDED',
				'ORGANIZATION_STATE_CHANGED',
				'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED',
				'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED',
				'REPRESENTATIVE_LEGITIMATION_STATUS_CHANGED',
				'DOCUMENT_CUSTOMER_STATUS_CHANGED',
				'ORGANIZATION_STATE_CHANGED',
				'BANK_CONNECTION_STATUS_CHANGED',
				'DIRECT_DEBIT_STATUS_CHANGED',
				'ORGANIZATION_STATE_CHANGED',
				'AUTHORIZATION_PENDING',
				'AUTHORIZATION_GRANTED',
			].sort(),
		);
		const accepted = toDemo.flatMap((d) => d.statuses.filter(is2xx).map(() => d));

		// executions show up ~0.3 s after the answer; wait, then make sure no extra one follows
		const expected = accepted.length;
		await waitFor(`${expected} demo trigger executions`, async () => {
			const n = (await stack.n8n.executions(DEMO_TRIGGER, false)).length;
			return n >= expected ? true : undefined;
		}, 30_000, 300);
		await sleep(1_500);
		const executions = await stack.n8n.executions(DEMO_TRIGGER);
		expect(executions.map((e) => e.status)).toEqual(Array(expected).fill('success'));

		const items = triggerItems(executions);
		expect(items).toHaveLength(expected);
		// one execution per callback ...
		expect(items.map((i) => i.callbackId).sort()).toEqual(toDemo.map((d) => d.callbackId).sort());
		// ... and per event type
		expect(countBy(items.map((i) => String(i.eventType)))).toEqual(countBy(toDemo.map((d) => d.eventType)));
		for (const item of items) {
			expect(item).toMatchObject({ organizationId });
			expect(typeof item.receivedAt).toBe('string');
		}
		const added = items.find((i) => i.eventType === 'ORGANIZATION_ADDED');
		expect(added).toMatchObject({ organizationId, partnerOrganizationId });
		const active = items.find(
			(i) => i.eventType === 'ORGANIZATION_STATE_CHANGED' && i.newStatus === 'ACTIVE',
		);
		expect(active).toBeDefined();

		// the Set node after the trigger made something visible
		const summaries = executions.flatMap((e) => nodeOutput(e, 'Describe the event')).map((i) => i.summary);
		expect(summaries).toHaveLength(expected);
		expect(summaries.every((s) => typeof s === 'string' && s.includes(organizationId))).toBe(true);

		// the activation example ran once and called POST /organizations/{id}/activate once
		const activations = await stack.n8n.executions(ACTIVATE);
		expect(activations).toHaveLength(
			deliveries.filter((d) => d.url === activateUrl).flatMap((d) => d.statuses.filter(is2xx)).length,
		);
		const ledger = await stack.control.ledger();
		expect(
			ledger.filter((e) => e.method === 'POST' && e.path.endsWith(`/organizations/${organizationId}/activate`)),
		).toHaveLength(1);
	});

	test('Onboarding Status "Get" and "Get Onboarding Details" return the advanced stage', async () => {
		// a second organization, stopped half-way through onboarding
		const second = await createLeadAtEmulator(stack, `e2e-second-${Date.now()}`, { name: 'Second Company GmbH', country: 'AT' });
		const secondOrg = await stack.control.onboard(second);
		for (let i = 0; i < 4; i++) await stack.control.advance(secondOrg);

		const created = await stack.n8n.apiOk<{ id: string }>('POST', '/workflows', {
			name: 'e2e onboarding status',
			nodes: [
				{
					id: 'a0000000-0000-4000-8000-000000000001',
					name: 'Start',
					type: 'n8n-nodes-base.manualTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: {},
				},
				{
					id: 'a0000000-0000-4000-8000-000000000002',
					name: 'Organizations',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [200, 0],
					parameters: {
						mode: 'raw',
						jsonOutput: JSON.stringify({ ids: [organizationId, secondOrg] }),
						options: {},
					},
				},
				{
					id: 'a0000000-0000-4000-8000-000000000003',
					name: 'Split',
					type: 'n8n-nodes-base.splitOut',
					typeVersion: 1,
					position: [400, 0],
					parameters: { fieldToSplitOut: 'ids', options: {} },
				},
				{
					id: 'a0000000-0000-4000-8000-000000000004',
					name: 'Get status',
					type: 'n8n-nodes-pliant.pliantOnboardingStatus',
					typeVersion: 1,
					position: [600, 0],
					parameters: { operation: 'get', organizationId: '={{ $json.ids }}', simplify: true },
					credentials: { pliantApi: { id: DEMO_CREDENTIAL_ID, name: DEMO_CREDENTIAL_NAME } },
				},
				{
					id: 'a0000000-0000-4000-8000-000000000005',
					name: 'Get details',
					type: 'n8n-nodes-pliant.pliantOnboardingStatus',
					typeVersion: 1,
					position: [600, 200],
					parameters: { operation: 'getOnboardingDetails', organizationId: '={{ $json.ids }}', simplify: true },
					credentials: { pliantApi: { id: DEMO_CREDENTIAL_ID, name: DEMO_CREDENTIAL_NAME } },
				},
			],
			connections: {
				Start: { main: [[{ node: 'Organizations', type: 'main', index: 0 }]] },
				Organizations: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
				Split: {
					main: [
						[
							{ node: 'Get status', type: 'main', index: 0 },
							{ node: 'Get details', type: 'main', index: 0 },
						],
					],
				},
			},
			settings: { executionOrder: 'v1' },
		});
		const run = await stack.n8n.execute(created.id);
		expect(run.data.resultData.error?.message).toBeUndefined();
		const out = nodeOutput(run, 'Get status');
		expect(out).toHaveLength(2);

		const state = await stack.control.state();
		const statusOf = (id: string) => {
			const rec = state.organizations.find(
				(o) => o.organizationId === id || (o.organization as { organizationId?: string } | undefined)?.organizationId === id,
			) as { status?: string; organization?: { status?: string } } | undefined;
			return rec?.organization?.status ?? rec?.status;
		};
		expect(out[0]).toMatchObject({ organizationId, status: 'ACTIVE', partnerOrganizationId });
		expect(out[1]).toMatchObject({ organizationId: secondOrg, status: statusOf(secondOrg) });
		expect(statusOf(secondOrg)).not.toBe('ONBOARDING_STARTED');
		expect(out[1].status).not.toBe('ACTIVE');
		for (const o of out) {
			expect(typeof o.name).toBe('string');
			expect(o).toHaveProperty('stage');
		}
		// onboarded, then 4 steps: risk and compliance, representative legitimated, document still requested
		expect(out[1]).toMatchObject({ status: 'ONBOARDING_RISK_AND_COMPLIANCE', stage: 'Risk and compliance' });

		const details = nodeOutput(run, 'Get details');
		expect(details).toHaveLength(2);
		expect(details[0]).toMatchObject({
			organizationId,
			detailsShared: true,
			bankConnectionStatus: 'CONNECTED',
			directDebitStatus: 'ACTIVE',
		});
		expect(details[1]).toMatchObject({
			organizationId: secondOrg,
			detailsShared: true,
			representatives: [expect.objectContaining({ legitimationStatus: 'VERIFIED' })],
			documents: [expect.objectContaining({ customerStatus: 'REQUESTED' })],
		});
	});

	test('forged callbacks (bad signature, stale timestamp) get 401 and run nothing', async () => {
		const url = stack.n8n.webhookUrl(webhookIdOf(DEMO_TRIGGER));
		// the second organization's callbacks must be in before counting
		expect(await stack.control.waitForDeliveries(20_000)).toBe(true);
		const accepted = (await stack.control.deliveries())
			.filter((d) => d.url === url)
			.flatMap((d) => d.statuses.filter(is2xx)).length;
		await waitFor('every accepted callback to show as an execution', async () =>
			(await stack.n8n.executions(DEMO_TRIGGER, false)).length === accepted ? true : undefined,
		);
		const before = accepted;
		const body = JSON.stringify({
			eventType: 'ORGANIZATION_STATE_CHANGED',
			organizationId,
			statusChange: { beforeChange: 'ACTIVE', afterChange: 'DEACTIVATED' },
		});
		const post = (b: string, headers: Record<string, string>) =>
			fetch(url, { method: 'POST', body: b, headers: { 'content-type': 'application/json', ...headers } });

		// signed for another body
		const signed = await stack.control.sign(body);
		const tampered = await post(body.replace('DEACTIVATED', 'CANCELLED'), signed);
		expect(tampered.status).toBe(401);

		// a signature that is not the emulator's
		const forged = { ...signed, 'webhook-signature': `v1a,${Buffer.alloc(64, 7).toString('base64')}` };
		expect((await post(body, forged)).status).toBe(401);

		// no signature at all
		const unsigned = Object.fromEntries(Object.entries(signed).filter(([k]) => !/^webhook-/i.test(k)));
		expect((await post(body, unsigned)).status).toBe(401);

		// correctly signed, but 10 minutes old
		const stale = await stack.control.sign(body, Math.floor(Date.now() / 1000) - 600);
		expect((await post(body, stale)).status).toBe(401);

		await sleep(2_000);
		expect((await stack.n8n.executions(DEMO_TRIGGER, false)).length).toBe(before);

		// control: the same body, correctly signed now, runs exactly once
		const good = await stack.control.sign(body);
		expect((await post(body, good)).status).toBe(200);
		await waitFor('one more execution', async () =>
			(await stack.n8n.executions(DEMO_TRIGGER, false)).length === before + 1 ? true : undefined,
		);
	});

	test('unpublishing leaves 0 subscriptions at the emulator', async () => {
		await stack.n8n.deactivate(DEMO_TRIGGER);
		await stack.n8n.deactivate(ACTIVATE);
		const subs = await waitFor('the subscriptions to be deleted', async () => {
			const s = (await stack.control.state()).subscriptions;
			return s.length === 0 ? s : undefined;
		}, 10_000);
		expect(subs).toHaveLength(0);
		const deletes = (await stack.control.ledger()).filter((e) => e.method === 'DELETE' && /\/subscriptions\//.test(e.path));
		expect(deletes.length).toBe(EVENT_TYPES.length + 1);
		// and the webhook is gone from n8n (pitfall 12: poll with GET)
		const url = stack.n8n.webhookUrl(webhookIdOf(DEMO_TRIGGER));
		await waitFor('the webhook to answer 404', async () => ((await fetch(url)).status === 404 ? true : undefined), 10_000);
	});
});

