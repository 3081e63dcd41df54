/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, never published */
/**
 * The Pliant Onboarding Status Trigger (polling) in a real n8n (scripts/e2e.sh runs this file
 * once per n8n line) against the emulator, next to the webhook Pliant Trigger: both published,
 * the emulator's onboarding simulation walked step by step, and the polling workflow must show
 * one execution per change with the eventTypes and fields of the webhook trigger's executions.
 * Then a Pliant failure mid-poll: a failed execution, and the next poll reports the change.
 *
 * Shortest interval: n8n refuses poll times under a minute (a 6-field cron whose seconds field
 * is not one fixed second), but accepts several poll times: twelve entries "second S of every
 * minute" poll every 5 seconds on both lines.
 */
import { EVENT_TYPES } from '../../nodes/shared/contract';
import { POLLABLE_EVENT_TYPES } from '../../nodes/shared/onboarding/events';
import { MAX_ATTEMPTS } from '../../nodes/shared/http/retry-policy';
import {
	DEMO_CREDENTIAL_ID,
	DEMO_CREDENTIAL_NAME,
	nodeOutput,
	sleep,
	waitFor,
	type N8nExecution,
} from '../../scripts/lib/n8n';
import { createLeadAtEmulator, startStack, type Stack } from './harness';

jest.setTimeout(300_000);

const version = process.env.N8N_E2E_VERSION || '2.41.1';
const POLL_NODE = 'Onboarding change (poll)';
const WEBHOOK_NODE = 'Onboarding change (callback)';
const WEBHOOK_ID = '5e1d7c3a-2b4f-4c6d-8e9f-00000000e2e7';
const POLL_SECONDS = 5;
const CREDENTIAL = { pliantApi: { id: DEMO_CREDENTIAL_ID, name: DEMO_CREDENTIAL_NAME } };

type Item = Record<string, unknown>;

const pollable = (eventType: unknown) => (POLLABLE_EVENT_TYPES as readonly unknown[]).includes(eventType);

function countBy<T>(values: T[]): Map<T, number> {
	const counts = new Map<T, number>();
	for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
	return counts;
}

/** What identifies a change, whichever trigger reported it. */
function changeKey(item: Item): string {
	return JSON.stringify([
		item.eventType,
		item.organizationId,
		item.representativeId ?? item.category ?? null,
		item.previousStatus ?? null,
		item.newStatus ?? null,
	]);
}

/**
 * The fields that only a callback (or only a poll) can fill differently. The partner ID is not
 * among them: both triggers carry the one Pliant holds (issue 28).
 */
function withoutEnvelope(item: Item): Item {
	const own = ['callbackId', 'webhookId', 'createdAt', 'receivedAt', 'paymentProgramId', 'source'];
	return Object.fromEntries(Object.entries(item).filter(([key]) => !own.includes(key)));
}

function workflow(name: string, trigger: Record<string, unknown>) {
	return {
		name,
		nodes: [
			{ id: 'e2e00000-0000-4000-8000-000000000001', position: [0, 0], credentials: CREDENTIAL, ...trigger },
			{
				id: 'e2e00000-0000-4000-8000-000000000002',
				name: 'Done',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [240, 0],
				parameters: {},
			},
		],
		connections: { [String(trigger.name)]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

let stack: Stack;
let pollWorkflowId: string;
let webhookWorkflowId: string;

async function pollExecutions(includeData = true): Promise<N8nExecution[]> {
	return await stack.n8n.executions(pollWorkflowId, includeData);
}

/** How many list requests (= polls) the emulator has answered so far. */
async function pollsSoFar(): Promise<number> {
	return (await stack.control.ledger()).filter((e) => e.method === 'GET' && e.path === '/api/organizations').length;
}

async function waitForPolls(count: number): Promise<void> {
	const target = (await pollsSoFar()) + count;
	await waitFor(`${count} more polls`, async () => ((await pollsSoFar()) >= target ? true : undefined), 20 * POLL_SECONDS * 1000, 250);
}


describe(`n8n ${version}: Pliant Onboarding Status Trigger (polling)`, () => {
	beforeAll(async () => {
		// a random first port: e2e runs of other files may be starting n8n in the same range
		stack = await startStack({ importExamples: true, portFrom: 5690 + Math.floor(Math.random() * 7) });
	}, 900_000);

	afterAll(async () => {
		await stack?.stop();
	});

	test('the example "Onboarding updates without a public URL" is imported with the polling trigger', async () => {
		const stored = await stack.n8n.getWorkflow('pliantExPolling');
		expect(stored.name).toBe('Onboarding updates without a public URL');
		expect(stored.nodes.map((n) => n.type)).toContain('n8n-nodes-pliant.pliantOnboardingStatusTrigger');
	});

	test('published with polls every 5 s, it runs once per change, like the webhook trigger', async () => {
		const webhook = await stack.n8n.apiOk<{ id: string }>(
			'POST',
			'/workflows',
			workflow('e2e webhook trigger', {
				name: WEBHOOK_NODE,
				type: 'n8n-nodes-pliant.pliantTrigger',
				typeVersion: 1.1,
				webhookId: WEBHOOK_ID,
				parameters: { events: ['*'], options: {} },
			}),
		);
		webhookWorkflowId = webhook.id;
		const polling = await stack.n8n.apiOk<{ id: string }>(
			'POST',
			'/workflows',
			workflow('e2e polling trigger', {
				name: POLL_NODE,
				type: 'n8n-nodes-pliant.pliantOnboardingStatusTrigger',
				typeVersion: 1,
				parameters: {
					pollTimes: {
						item: Array.from({ length: 60 / POLL_SECONDS }, (_, i) => ({
							mode: 'custom',
							cronExpression: `${i * POLL_SECONDS} * * * * *`,
						})),
					},
					events: ['*'],
					options: {},
				},
			}),
		);
		pollWorkflowId = polling.id;

		await stack.n8n.activate(webhookWorkflowId);
		const webhookUrl = stack.n8n.webhookUrl(WEBHOOK_ID);
		await waitFor('the webhook trigger subscriptions', async () => {
			const subs = (await stack.control.state()).subscriptions.filter((s) => s.callbackUrl === webhookUrl);
			return subs.length >= EVENT_TYPES.length ? true : undefined;
		});
		await stack.n8n.activate(pollWorkflowId);
		// the poll n8n runs on publishing records the baseline (no organization yet)
		await waitForPolls(2);
		expect(await pollExecutions(false)).toHaveLength(0);

		// the simulation, one step at a time; every pollable change must show as one execution
		const leadId = await createLeadAtEmulator(stack, `poll-${Date.now()}`, { name: 'Polled Company', country: 'DE' });
		const organizationId = await stack.control.onboard(leadId);
		let expected = 1; // ORGANIZATION_ADDED
		const steps: string[][] = [['ORGANIZATION_ADDED']];
		for (;;) {
			const target = expected;
			await waitFor(`${target} polling executions`, async () =>
				(await pollExecutions(false)).length >= target ? true : undefined, 20 * POLL_SECONDS * 1000, 500);
			const result = (await stack.control.advance(organizationId).catch(() => undefined)) as
				| { step: number; events: Array<{ eventType: string }> }
				| undefined;
			if (!result) break; // past the last step
			const types = result.events.map((e) => e.eventType).filter(pollable);
			steps.push(types);
			expected += types.length;
			if (types.length === 0) await waitForPolls(2); // AUTHORIZATION_PENDING: nothing to see
		}
		await waitForPolls(2);
		const executions = await pollExecutions();
		expect(executions).toHaveLength(expected);
		expect(executions.every((e) => e.status === undefined || e.status === 'success')).toBe(true);
		const polled = executions.map((e) => {
			const items = nodeOutput(e, POLL_NODE);
			expect(items).toHaveLength(1); // one execution per change
			return items[0];
		});
		expect(polled.map((i) => i.eventType)).toEqual(steps.flat());

		// the webhook trigger's executions for the same simulation
		expect(await stack.control.waitForDeliveries(30_000)).toBe(true);
		const accepted = (await stack.control.deliveries()).filter(
			(d) => d.url === webhookUrl && d.statuses.some((s) => typeof s === 'number' && s >= 200 && s < 300),
		).length;
		await waitFor('every callback to show as an execution', async () =>
			(await stack.n8n.executions(webhookWorkflowId, false)).length >= accepted ? true : undefined);
		const called = (await stack.n8n.executions(webhookWorkflowId)).flatMap((e) => nodeOutput(e, WEBHOOK_NODE));
		expect(called.length).toBe(accepted);
		const calledPollable = called.filter((i) => pollable(i.eventType));
		expect(called.filter((i) => !pollable(i.eventType)).map((i) => i.eventType)).toEqual(['AUTHORIZATION_PENDING']);
		expect(countBy(polled.map((i) => String(i.eventType)))).toEqual(countBy(calledPollable.map((i) => String(i.eventType))));

		// the same change, the same fields: a workflow can switch triggers without changing a node
		const byChange = new Map(calledPollable.map((i) => [changeKey(i), i]));
		for (const item of polled) {
			const twin = byChange.get(changeKey(item));
			expect({ change: changeKey(item), found: Boolean(twin) }).toEqual({ change: changeKey(item), found: true });
			expect(Object.keys(item).sort()).toEqual([...Object.keys(twin as Item), 'source'].sort());
			expect(withoutEnvelope(item)).toEqual(withoutEnvelope(twin as Item));
			expect(item).toMatchObject({ source: 'poll', organizationId, webhookId: null });
			expect(typeof item.partnerOrganizationId).toBe('string');
		}
	});

	test('a Pliant failure mid-poll is a failed execution; the next poll reports the change', async () => {
		const before = (await pollExecutions(false)).length;
		await stack.control.faults({ route: 'GET /api/organizations', statuses: Array(MAX_ATTEMPTS).fill(503) });
		const organizationId = await stack.control.onboard(await createLeadAtEmulator(stack, `poll-fail-${Date.now()}`, { name: 'Polled Company', country: 'DE' }));

		const executions = await waitFor('a failed poll, then the change', async () => {
			const all = (await pollExecutions()).slice(before);
			const added = all.find((e) => nodeOutput(e, POLL_NODE).some((i) => i.organizationId === organizationId));
			return all.some((e) => e.status === 'error') && added ? all : undefined;
		}, 30 * POLL_SECONDS * 1000, 1000);
		const failed = executions.filter((e) => e.status === 'error');
		expect(failed.length).toBeGreaterThanOrEqual(1);
		const error = failed[0].data?.resultData?.error as { name?: string; description?: string } | undefined;
		expect(error).toMatchObject({ name: 'NodeApiError' });
		expect(error?.description).toMatch(/No change is lost/);
		await sleep(2 * POLL_SECONDS * 1000);
		const reported = (await pollExecutions())
			.slice(before)
			.flatMap((e) => nodeOutput(e, POLL_NODE))
			.filter((i) => i.organizationId === organizationId);
		expect(reported.map((i) => i.eventType)).toEqual(['ORGANIZATION_ADDED']);

		await stack.n8n.deactivate(pollWorkflowId);
		await stack.n8n.deactivate(webhookWorkflowId);
	});
});
