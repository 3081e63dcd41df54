/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, never published */
/**
 * Issue 22 in a real n8n (scripts/e2e.sh runs this file once per n8n line): Onboarding Status
 * version 2's Organization locator (From List, By Partner Organization ID, By ID), version 1
 * with a plain string ID, Activate Authorization checking the whole batch before it sends,
 * execution hints, and the two partner-loop examples run green against the emulator.
 */
import {
	DEMO_CREDENTIAL_ID,
	DEMO_CREDENTIAL_NAME,
	loadExamples,
	nodeOutput,
	type ExecuteResult,
	type WorkflowFile,
} from '../../scripts/lib/n8n';
import { createLeadAtEmulator, nodeMaker, runWithRows, startStack, type Stack } from './harness';

jest.setTimeout(240_000);

const CREDENTIALS = { pliantApi: { id: DEMO_CREDENTIAL_ID, name: DEMO_CREDENTIAL_NAME } };
const STATUS_TYPE = 'n8n-nodes-pliant.pliantOnboardingStatus';
type Row = Record<string, unknown>;

let stack: Stack;
let workflowCount = 0;
const RUN = Date.now().toString(36);
// three referred organizations: [partner ID, Pliant ID]
const orgs: Array<{ partnerId: string; organizationId: string }> = [];

const node = nodeMaker('e2200000');

/** The rows through the node under test, in a workflow of its own (`runWithRows`). */
async function runRows(rows: Row[], tested: Row): Promise<ExecuteResult> {
	return await runWithRows(stack, node, `e2e issue 22 ${++workflowCount}`, rows, tested);
}

const locator = (mode: string, value: string) => ({ __rl: true, mode, value });

function statusNode(typeVersion: number, parameters: Row, extra: Row = {}): Row {
	return node('Status', STATUS_TYPE, typeVersion, parameters, 600, { credentials: CREDENTIALS, ...extra });
}

function errorText(run: ExecuteResult): string {
	const error = run.data.resultData.error;
	return `${error?.message ?? ''}\n${error?.description ?? ''}`;
}

async function activationPosts(ids: string[]): Promise<number> {
	const ledger = await stack.control.ledger();
	return ledger.filter((e) => e.method === 'POST' && ids.some((id) => e.path.endsWith(`/organizations/${id}/activate`)))
		.length;
}

/** An example, made runnable here: its schedule becomes a manual start, Slack a Set node of the same name. */
function runnable(workflow: WorkflowFile): Row {
	const nodes = workflow.nodes.map((n) => {
		if (n.type === 'n8n-nodes-base.scheduleTrigger') {
			return { ...n, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };
		}
		if (n.type === 'n8n-nodes-base.slack') {
			const text = String((n.parameters as Row).text);
			return {
				...n,
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				parameters: {
					mode: 'manual',
					assignments: { assignments: [{ id: 'slack-text', name: 'text', value: text, type: 'string' }] },
					options: {},
				},
			};
		}
		return n;
	});
	return { name: `${workflow.name} (e2e)`, nodes, connections: workflow.connections, settings: { executionOrder: 'v1' } };
}

async function runExample(id: string): Promise<ExecuteResult> {
	const example = loadExamples().find((e) => e.workflow.id === id);
	if (!example) throw new Error(`no example ${id}`);
	const created = await stack.n8n.apiOk<{ id: string }>('POST', '/workflows', runnable(example.workflow));
	return await stack.n8n.run(created.id);
}

beforeAll(async () => {
	stack = await startStack();
	for (const [index, country] of ['DE', 'AT', 'FR'].entries()) {
		const partnerId = `crm-e2e22-${RUN}-${index}`;
		const leadId = await createLeadAtEmulator(stack, partnerId, { name: `Funnel Company ${index} ${RUN}`, country });
		orgs.push({ partnerId, organizationId: await stack.control.onboard(leadId) });
	}
	// one organization further on, so the stages differ
	await stack.control.advance(orgs[1].organizationId);
	await stack.control.advance(orgs[1].organizationId);
}, 900_000);

afterAll(async () => {
	await stack?.stop();
});

describe(`Onboarding Status editor work on n8n ${process.env.N8N_E2E_VERSION || '2.41.1'}`, () => {
	test.each(['list', 'partnerOrganizationId', 'id'])('mode %s reads the right organization', async (mode) => {
		const org = orgs[1];
		const value = mode === 'partnerOrganizationId' ? org.partnerId : org.organizationId;
		const run = await runRows(
			[{ n: 1 }],
			statusNode(2, { operation: 'get', organizationId: locator(mode, value), simplify: true }),
		);
		expect(errorText(run).trim()).toBe('');
		expect(nodeOutput(run, 'Status')).toEqual([
			expect.objectContaining({ organizationId: org.organizationId, partnerOrganizationId: org.partnerId }),
		]);
	});

	test('By Partner Organization ID without a match fails, naming the ID and the item', async () => {
		const run = await runRows(
			[{ n: 1 }],
			statusNode(2, { operation: 'get', organizationId: locator('partnerOrganizationId', 'crm-nobody'), simplify: true }),
		);
		expect(errorText(run)).toContain('No Pliant organization has partner organization ID "crm-nobody" [item 0]');
	});

	test('a workflow saved with version 1 and a plain string ID runs unchanged', async () => {
		const org = orgs[0];
		const run = await runRows(
			[{ id: org.organizationId }],
			statusNode(1, { operation: 'getOnboardingDetails', organizationId: '={{ $json.id }}', simplify: true }),
		);
		expect(errorText(run).trim()).toBe('');
		expect(nodeOutput(run, 'Status')).toEqual([
			expect.objectContaining({ organizationId: org.organizationId, detailsShared: true, pendingOnCustomer: expect.any(Array) }),
		]);
	});

	test('Activate Authorization: items 0-1 valid, item 2 invalid → 0 activations, the error names item 2', async () => {
		const ids = [orgs[0].organizationId, orgs[2].organizationId];
		const before = await activationPosts(ids);
		const run = await runRows(
			[{ id: ids[0] }, { id: ids[1] }, { id: 'not-a-uuid' }],
			statusNode(2, {
				operation: 'activateAuthorization',
				organizationId: locator('id', '={{ $json.id }}'),
				additionalFields: {},
			}),
		);
		expect(errorText(run)).toContain('is not a valid Pliant organization ID [item 2]');
		expect(await activationPosts(ids)).toBe(before);
	});

	test('an execution hint says when a lead already existed', async () => {
		const partnerId = orgs[0].partnerId;
		const run = await runRows(
			[{ id: partnerId }],
			node(
				'Status',
				'n8n-nodes-pliant.pliantCreateLead',
				1,
				{
					operation: 'create',
					companyName: 'Already There GmbH',
					country: 'DE',
					industry: 'ACCOUNTING',
					partnerOrganizationId: '={{ $json.id }}',
					options: { onDuplicate: 'returnExisting' },
				},
				600,
				{ credentials: CREDENTIALS },
			),
		);
		expect(errorText(run).trim()).toBe('');
		const task = (run.data.resultData.runData.Status as unknown as Array<{ hints?: Array<{ message: string }> }>)[0];
		expect(task.hints?.map((h) => h.message)).toEqual([
			'1 of 1 leads already existed at Pliant: returned as existing (duplicate: true)',
		]);
	});

	test('example "customers waiting on something": one message per customer with something pending', async () => {
		const run = await runExample('pliantExWaiting');
		expect(errorText(run).trim()).toBe('');
		const details = nodeOutput(run, 'Onboarding details');
		const waiting = details.filter((d) => Array.isArray(d.pendingOnCustomer) && d.pendingOnCustomer.length > 0);
		expect(details.length).toBeGreaterThanOrEqual(orgs.length);
		expect(waiting.length).toBeGreaterThan(0);
		const messages = nodeOutput(run, 'Post to Slack').map((m) => String(m.text));
		expect(messages).toHaveLength(waiting.length);
		expect(messages[0]).toMatch(/is waiting on the customer:\n• /);
	});

	test('example "weekly referral funnel": one message with a count per stage', async () => {
		const run = await runExample('pliantExFunnel');
		expect(errorText(run).trim()).toBe('');
		const messages = nodeOutput(run, 'Post to Slack').map((m) => String(m.text));
		expect(messages).toHaveLength(1);
		const counts = nodeOutput(run, 'Count per stage');
		const total = counts.reduce((sum, c) => sum + Number(c.count_organizationId), 0);
		expect(total).toBeGreaterThanOrEqual(orgs.length);
		expect(messages[0]).toMatch(/^\*Pliant referral funnel\*/);
		for (const c of counts) expect(messages[0]).toContain(`• ${String(c.stage)}: ${String(c.count_organizationId)}`);
	});
});
