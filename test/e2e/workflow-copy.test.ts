/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/**
 * Copies of a trigger workflow keep their hands off the original's subscriptions at Pliant
 * (issues 21 and 30). Real n8n, both lines:
 * - a copy imported with the original's static data but new IDs publishes and unpublishes;
 * - a second n8n of the same line (another port, so another origin; the same emulator) holding
 *   a copy with the same workflow ID, webhook ID, static data and credential (a staging copy of
 *   the database) publishes and unpublishes: the first keeps all 9 and keeps receiving callbacks;
 * - a copy on the same n8n with the original's webhook ID and no static data is published (1.x)
 *   or refused (2.x), then unpublished: the original keeps all 9.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { DEFAULT_N8N_VERSION, EXAMPLES_DIR, nodeOutput, sleep, waitFor, type N8n, type WorkflowFile } from '../../scripts/lib/n8n';
import { startPeer, startStack, type Stack } from './harness';

// every n8n CLI command (export, import) takes tens of seconds on a busy machine
jest.setTimeout(600_000);

const ORIGINAL = 'pliantExDemoTrig';
const COPY = 'pliantCopyTrig01';
const SAME_HOOK_COPY = 'pliantCopyTrig02';
const version = process.env.N8N_E2E_VERSION || DEFAULT_N8N_VERSION;
let stack: Stack;

function triggerWebhookId(workflow: WorkflowFile): string {
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-pliant.pliantTrigger');
	if (!trigger?.webhookId) throw new Error(`${workflow.id} has no Pliant Trigger with a webhookId`);
	return trigger.webhookId;
}

async function subscriptionIdsOf(webhookId: string): Promise<string[]> {
	const { subscriptions } = await stack.control.state();
	return subscriptions
		.filter((subscription) => subscription.callbackUrl.includes(`/${webhookId}/`))
		.map((subscription) => subscription.id)
		.sort();
}

/** `n8n export:workflow`: the stored workflow, static data included. */
async function exportWorkflow(id: string): Promise<WorkflowFile & { staticData?: unknown }> {
	const file = path.join(stack.workDir, `export-${id}-${Date.now()}.json`);
	await stack.n8n.cliOk(['export:workflow', `--id=${id}`, `--output=${file}`]);
	const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
	return (Array.isArray(parsed) ? parsed[0] : parsed) as WorkflowFile & { staticData?: unknown };
}

describe(`n8n ${version}: a copied trigger workflow leaves the original's subscriptions alone`, () => {
	beforeAll(async () => {
		stack = await startStack({ importExamples: false });
		await stack.n8n.importWorkflows(path.join(EXAMPLES_DIR, 'pliant-demo-trigger.json'));
	}, 900_000);

	afterAll(async () => {
		await stack?.stop();
	});

	test('publish and unpublish of a copy with the same static data', async () => {
		await stack.n8n.activate(ORIGINAL);
		const exported = await exportWorkflow(ORIGINAL);
		const originalHook = triggerWebhookId(exported);
		const original = await subscriptionIdsOf(originalHook);
		expect(original.length).toBeGreaterThan(0);
		expect(JSON.stringify(exported.staticData)).toContain(original[0]);

		// The copy: same static data, new workflow id and webhook id (as n8n gives a copy).
		const copyHook = randomUUID();
		// Only what an export carries over (no sharing, no version history of the original).
		const copy = {
			id: COPY,
			name: `${exported.name} (copy)`,
			active: false,
			nodes: exported.nodes.map((node) => (node.webhookId ? { ...node, webhookId: copyHook } : node)),
			connections: exported.connections,
			settings: exported.settings,
			staticData: exported.staticData,
		};
		const file = path.join(stack.workDir, 'copy.json');
		fs.writeFileSync(file, JSON.stringify(copy));
		await stack.n8n.importWorkflows(file);

		await stack.n8n.activate(COPY);
		await waitFor('the copy\'s subscriptions', async () => (await subscriptionIdsOf(copyHook)).length === original.length);
		expect(await subscriptionIdsOf(originalHook)).toEqual(original);

		// n8n may run the trigger's delete after answering the deactivation.
		await stack.n8n.deactivate(COPY);
		await waitFor('the copy\'s subscriptions to go', async () => (await subscriptionIdsOf(copyHook)).length === 0);
		expect(await subscriptionIdsOf(originalHook)).toEqual(original);
		const deleted = (await stack.control.ledger()).filter((entry) => entry.method === 'DELETE').map((entry) => entry.path);
		for (const id of original) expect(deleted.some((entry) => entry.endsWith(id))).toBe(false);
	});

	test('a second n8n with a copy of the workflow (same webhook ID, static data, credential) leaves the first\'s 9 alone', async () => {
		const exported = await exportWorkflow(ORIGINAL);
		const hook = triggerWebhookId(exported);
		const triggerName = String(exported.nodes.find((node) => node.webhookId === hook)?.name);
		const original = await subscriptionIdsOf(hook);
		expect(original).toHaveLength(9);
		const file = path.join(stack.workDir, 'staging-copy.json');
		// What a database copy carries: the same IDs, static data and credential reference.
		const staging = { id: ORIGINAL, name: exported.name, active: false, nodes: exported.nodes, connections: exported.connections, settings: exported.settings, staticData: exported.staticData };
		fs.writeFileSync(file, JSON.stringify(staging));
		let peer: N8n | undefined;
		try {
			peer = await startPeer(stack, { importExamples: false, beforeStart: async (n8n) => await n8n.importWorkflows(file) });
			const peerUrl = peer.webhookUrl(hook);
			const atPeer = async () => (await stack.control.state()).subscriptions.filter((s) => s.callbackUrl === peerUrl).length;
			await peer.activate(ORIGINAL);
			await waitFor('the second n8n\'s subscriptions', async () => (await atPeer()) === 9);
			expect(await subscriptionIdsOf(hook)).toEqual(expect.arrayContaining(original));
			await peer.deactivate(ORIGINAL);
			await waitFor('the second n8n\'s subscriptions to go', async () => (await atPeer()) === 0);
		} finally {
			await peer?.stop();
		}
		expect(await subscriptionIdsOf(hook)).toEqual(original);
		const deleted = (await stack.control.ledger()).filter((entry) => entry.method === 'DELETE').map((entry) => entry.path);
		for (const id of original) expect(deleted.some((entry) => entry.endsWith(id))).toBe(false);

		// Pliant still calls the first n8n, and it still starts its workflow.
		const organizationId = randomUUID();
		await stack.control.event({ eventType: 'ORGANIZATION_ADDED', organizationId });
		await waitFor('the first n8n\'s execution of the callback', async () =>
			(await stack.n8n.executions(ORIGINAL)).some((execution) =>
				nodeOutput(execution, triggerName).some((item) => item.organizationId === organizationId),
			),
		);
	});

	test('a copy on the same n8n with the original\'s webhook ID and no static data, published or refused, then unpublished', async () => {
		const exported = await exportWorkflow(ORIGINAL);
		const hook = triggerWebhookId(exported);
		const original = await subscriptionIdsOf(hook);
		expect(original).toHaveLength(9);
		const copy = { id: SAME_HOOK_COPY, name: `${exported.name} (same webhook ID)`, active: false, nodes: exported.nodes, connections: exported.connections, settings: exported.settings };
		const file = path.join(stack.workDir, 'same-hook-copy.json');
		fs.writeFileSync(file, JSON.stringify(copy));
		await stack.n8n.importWorkflows(file);

		const published = await stack.n8n.api('POST', `/workflows/${SAME_HOOK_COPY}/activate`);
		// 1.x lets the copy take the path; 2.x refuses it (the path is the original's).
		if (stack.install.major >= 2) expect(published.status).toBeGreaterThanOrEqual(400);
		else expect(published.status).toBe(200);
		expect(await subscriptionIdsOf(hook)).toEqual(original);
		await stack.n8n.api('POST', `/workflows/${SAME_HOOK_COPY}/deactivate`);
		// n8n may run the trigger's delete after answering the deactivation.
		await sleep(3_000);
		expect(await subscriptionIdsOf(hook)).toEqual(original);
	});

	test('the original still owns and removes its own', async () => {
		const hook = triggerWebhookId(await exportWorkflow(ORIGINAL));
		await stack.n8n.deactivate(ORIGINAL);
		await waitFor('the original\'s subscriptions to go', async () => (await subscriptionIdsOf(hook)).length === 0);
	});
});
