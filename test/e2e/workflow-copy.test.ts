/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/**
 * A copy of a trigger workflow, imported with the original's static data (as an export/import
 * or n8n's public API carries it) but with new ids, publishes and unpublishes without touching
 * the original's subscriptions at Pliant (issue 21). Real n8n, both lines.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { DEFAULT_N8N_VERSION, EXAMPLES_DIR, waitFor, type WorkflowFile } from '../../scripts/lib/n8n';
import { startStack, type Stack } from './harness';

// every n8n CLI command (export, import) takes tens of seconds on a busy machine
jest.setTimeout(600_000);

const ORIGINAL = 'pliantExDemoTrig';
const COPY = 'pliantCopyTrig01';
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

		// The original still owns and removes its own.
		await stack.n8n.deactivate(ORIGINAL);
		await waitFor('the original\'s subscriptions to go', async () => (await subscriptionIdsOf(originalHook)).length === 0);
	});
});
