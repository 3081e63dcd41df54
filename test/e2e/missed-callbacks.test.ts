/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, never published */
/**
 * The "Missed callbacks (Pliant's callback log)" source in a real n8n (scripts/e2e.sh runs this
 * file once per n8n line), in one workflow with the webhook Pliant Trigger, both followed by
 * Remove Duplicates on callbackId (scope: workflow):
 * - n8n stopped while the emulator runs an onboarding (11 callbacks, all refused): after the
 *   restart exactly 11 executions pass Remove Duplicates, in Pliant's order, each with the item
 *   the webhook would have produced; later polls add none.
 * - n8n up, 1 of 11 callbacks made to fail: 11 executions, none twice; Authorization Granted
 *   made to fail is caught up too.
 * Lean on purpose (CI's time): polls every 5 s, one n8n restart. The 500-entry catch-up under
 * the rate limit is an integration test (test/integration/PliantOnboardingStatusTrigger).
 */
import { randomUUID } from 'crypto';

import { EVENT_TYPES } from '../../nodes/shared/contract';
import { nodeOutput, waitFor, type N8nExecution } from '../../scripts/lib/n8n';
import { DEMO_CREDENTIAL_ID, DEMO_CREDENTIAL_NAME } from '../../scripts/lib/n8n';
import { createLeadAtEmulator, nodeMaker, startStack, type Stack } from './harness';

jest.setTimeout(600_000);

const version = process.env.N8N_E2E_VERSION || '2.41.1';
const WEBHOOK_ID = '5e1d7c3a-2b4f-4c6d-8e9f-0000000c10c0';
const SECOND_WEBHOOK_ID = '5e1d7c3a-2b4f-4c6d-8e9f-0000000c10c1';
const POLL_SECONDS = 5;
const CREDENTIALS = { credentials: { pliantApi: { id: DEMO_CREDENTIAL_ID, name: DEMO_CREDENTIAL_NAME } } };
const HANDLED = 'Handle the callback';
const node = nodeMaker('c10c0000');

type Item = Record<string, unknown>;

let stack: Stack;
let workflowId: string;
let callbackUrl: string;

/** How many times the trigger has read the callback log (= polls). */
async function pollsSoFar(): Promise<number> {
	return (await stack.control.ledger()).filter((e) => e.method === 'GET' && e.path === '/api/callbacks').length;
}

async function waitForPolls(count: number): Promise<void> {
	const target = (await pollsSoFar()) + count;
	await waitFor(`${count} more polls`, async () => ((await pollsSoFar()) >= target ? true : undefined), 30 * POLL_SECONDS * 1000, 250);
}

/** The item of every execution that got past Remove Duplicates, in execution order. */
async function handled(): Promise<Item[]> {
	const executions: N8nExecution[] = await stack.n8n.executions(workflowId);
	return executions.flatMap((e) => nodeOutput(e, HANDLED));
}

async function waitForHandled(count: number): Promise<Item[]> {
	return await waitFor(`${count} executions past Remove Duplicates`, async () => {
		const items = await handled();
		return items.length >= count ? items : undefined;
	}, 30 * POLL_SECONDS * 1000, 1000);
}

/** A lead onboarded and walked to Authorization Pending: 11 callbacks to every subscription. */
async function onboarding(partnerOrganizationId: string): Promise<string> {
	const leadId = await createLeadAtEmulator(stack, partnerOrganizationId, { name: 'Caught Up GmbH', country: 'DE' });
	const organizationId = await stack.control.onboard(leadId);
	await stack.control.complete(organizationId);
	expect(await stack.control.waitForDeliveries(120_000)).toBe(true);
	return organizationId;
}

/** Our deliveries of one organization, in the order Pliant created them. */
async function deliveriesOf(organizationId: string) {
	return (await stack.control.deliveries())
		.filter((d) => d.url === callbackUrl && d.organizationId === organizationId)
		.sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
}

/** Publishes a fresh workflow: Pliant Trigger + Missed callbacks → Remove Duplicates → a No Op. */
async function publishPair(webhookId: string): Promise<void> {
	callbackUrl = stack.n8n.webhookUrl(webhookId);
	const created = await stack.n8n.apiOk<{ id: string }>('POST', '/workflows', {
		name: `e2e missed callbacks ${webhookId.slice(-4)}`,
		nodes: [
			node('Callback', 'n8n-nodes-pliant.pliantTrigger', 1.1, { events: ['*'], options: {} }, 0, { webhookId, ...CREDENTIALS }),
			node('Missed callback', 'n8n-nodes-pliant.pliantOnboardingStatusTrigger', 2, {
				pollTimes: {
					item: Array.from({ length: 60 / POLL_SECONDS }, (_, i) => ({ mode: 'custom', cronExpression: `${i * POLL_SECONDS} * * * * *` })),
				},
				source: 'callbackLog',
				callbackUrl: { __rl: true, mode: 'url', value: callbackUrl },
				options: {},
			}, 0, CREDENTIALS),
			node('Once per callback', 'n8n-nodes-base.removeDuplicates', 2, {
				operation: 'removeItemsSeenInPreviousExecutions',
				dedupeValue: '={{ $json.callbackId }}',
				options: { scope: 'workflow' },
			}, 240),
			node(HANDLED, 'n8n-nodes-base.noOp', 1, {}, 480),
		],
		connections: {
			Callback: { main: [[{ node: 'Once per callback', type: 'main', index: 0 }]] },
			'Missed callback': { main: [[{ node: 'Once per callback', type: 'main', index: 0 }]] },
			'Once per callback': { main: [[{ node: HANDLED, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	});
	workflowId = created.id;
	await stack.n8n.activate(workflowId);
	await waitFor('the Pliant Trigger subscriptions', async () => {
		const subs = (await stack.control.state()).subscriptions.filter((s) => s.callbackUrl === callbackUrl);
		return subs.length >= EVENT_TYPES.length ? true : undefined;
	});
}

/**
 * n8n's Remove Duplicates creates a workflow's history row without a lock: executions that
 * write it first at the same moment fail with "UNIQUE constraint failed: processed_data"
 * (seen on both lines with the onboarding's concurrent callbacks). That is n8n's, not the
 * trigger's, so one genuine callback first creates the row (docs/polling-trigger.md says so).
 */
async function primeDuplicateHistory(): Promise<void> {
	const body = JSON.stringify({ eventType: 'ORGANIZATION_ADDED', organizationId: randomUUID() });
	await waitFor('the first callback answered 200 (2.41.1 answers 503 while the publication fetches keys)', async () => {
		const answer = await fetch(callbackUrl, { method: 'POST', headers: { ...(await stack.control.sign(body)), 'content-type': 'application/json' }, body });
		return answer.status === 200 ? true : undefined;
	}, 20_000, 1_000);
	await waitForHandled(1);
}

describe(`n8n ${version}: Pliant Trigger + Missed callbacks → Remove Duplicates`, () => {
	beforeAll(async () => {
		// Pliant's retries shortened: a refused callback is FAILED within a second
		stack = await startStack({
			portFrom: 5690 + Math.floor(Math.random() * 7),
			emulator: { delivery: { retries: 1, backoffMs: 200, timeoutMs: 5000 } },
		});
		await publishPair(WEBHOOK_ID);
		await waitForPolls(1);
	}, 900_000);

	afterAll(async () => {
		await stack?.stop();
	});

	test('n8n stopped during an onboarding: after the restart, 11 executions in Pliant\'s order with the webhook items; later polls add none', async () => {
		await stack.n8n.stop();
		const partnerOrganizationId = `missed-${Date.now()}`;
		const organizationId = await onboarding(partnerOrganizationId);
		const missed = await deliveriesOf(organizationId);
		expect(missed).toHaveLength(11);
		expect(missed.map((d) => d.state)).toEqual(missed.map(() => 'failed'));

		await stack.n8n.start();
		const items = await waitForHandled(11);
		await waitForPolls(2);
		const after = await handled();
		expect(after).toHaveLength(11);
		expect(after.map((i) => i.callbackId)).toEqual(missed.map((d) => d.callbackId));
		for (const [index, item] of after.entries()) {
			const body = JSON.parse(missed[index].body) as Item;
			expect(item).toMatchObject({
				eventType: body.eventType,
				organizationId,
				partnerOrganizationId,
				callbackId: missed[index].callbackId,
				webhookId: null,
				source: 'callback-log',
			});
		}
		expect(items.map((i) => i.eventType)).toContain('AUTHORIZATION_PENDING');
	});

	test('n8n up, 1 of 11 callbacks made to fail: 11 executions, none twice; Authorization Granted made to fail is caught up', async () => {
		// a fresh workflow (nothing in its Remove Duplicates history yet); the first one unpublished
		await stack.n8n.deactivate(workflowId);
		await publishPair(SECOND_WEBHOOK_ID);
		await primeDuplicateHistory();
		const before = (await handled()).length;
		await stack.control.request('POST', '/deliveries/fail', { eventType: 'AUTHORIZATION_PENDING' });
		const partnerOrganizationId = `one-missed-${Date.now()}`;
		const organizationId = await onboarding(partnerOrganizationId);
		const sent = await deliveriesOf(organizationId);
		// the one made to fail (2.41.1 may also refuse the very first callback while the publication
		// still fetches the signing keys, and Pliant's shortened retries give up on it: caught up too)
		const failed = sent.filter((d) => d.state === 'failed');
		expect(failed.map((d) => d.eventType)).toContain('AUTHORIZATION_PENDING');

		await waitForHandled(before + 11);
		await waitForPolls(2);
		const items = (await handled()).slice(before);
		expect(items).toHaveLength(11);
		expect(new Set(items.map((i) => i.callbackId)).size).toBe(11);
		expect([...items.map((i) => i.callbackId)].sort()).toEqual(sent.map((d) => d.callbackId).sort());
		const fromLog = items.filter((i) => i.source === 'callback-log');
		expect(fromLog.map((i) => [i.callbackId, i.organizationId, i.partnerOrganizationId])).toEqual(
			failed.map((d) => [d.callbackId, organizationId, partnerOrganizationId]),
		);

		// Authorization Granted, missed as well
		await stack.control.request('POST', '/deliveries/fail', { eventType: 'AUTHORIZATION_GRANTED' });
		const token = await (await fetch(stack.emulator.tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ client_id: 'emulator-client', client_secret: 'emulator-secret', audience: 'pliant-emulator', grant_type: 'client_credentials' }),
		})).json() as { access_token: string };
		const activated = await fetch(`${stack.emulator.apiBaseUrl}/organizations/${organizationId}/activate`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
			body: '{}',
		});
		expect(activated.status).toBe(200);
		expect(await stack.control.waitForDeliveries(60_000)).toBe(true);
		const granted = await waitForHandled(before + 12);
		expect(granted.slice(before + 11)).toEqual([
			expect.objectContaining({ eventType: 'AUTHORIZATION_GRANTED', organizationId, partnerOrganizationId, source: 'callback-log' }),
		]);
	});
});
