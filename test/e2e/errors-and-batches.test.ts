/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, never published */
/**
 * Issue 13 in a real n8n (scripts/e2e.sh runs this file once per n8n line: 2.41.1 on Node 24,
 * 1.123.50 on Node 20, which hand errors to nodes in different shapes): duplicates, unshared
 * onboarding details, batches that are validated before anything is sent, a failure mid-batch,
 * country and industry normalisation, and requests whose outcome is unknown.
 */
import {
	DEMO_CREDENTIAL_ID,
	DEMO_CREDENTIAL_NAME,
	sleep,
	type ExecuteResult,
} from '../../scripts/lib/n8n';
import { nodeMaker, runWithRows, startStack, type Stack } from './harness';

jest.setTimeout(240_000);

const version = process.env.N8N_E2E_VERSION || '2.41.1';
const CREDENTIALS = { pliantApi: { id: DEMO_CREDENTIAL_ID, name: DEMO_CREDENTIAL_NAME } };
const LEAD_NODE = 'Create lead';
const DETAILS_NODE = 'Get details';

type Row = Record<string, unknown>;
interface OutItem {
	json: Row;
	pairedItem?: { item: number } | Array<{ item: number }>;
}

let stack: Stack;
// Unique per run, so IDs never collide with an earlier run on the same emulator.
const RUN = Date.now().toString(36);

const node = nodeMaker('e0000000');
let workflowCount = 0;

/** The rows through the Pliant node, in a workflow of its own (`runWithRows`). */
async function runWorkflow(rows: Row[], pliantNode: Row): Promise<ExecuteResult> {
	return await runWithRows(stack, node, `e2e errors ${++workflowCount}`, rows, pliantNode);
}

interface LeadNodeOptions {
	continueOnFail?: boolean;
	onDuplicate?: 'returnExisting' | 'fail';
	timeoutSeconds?: number;
	country?: string;
	industry?: string;
}

function leadNode(opts: LeadNodeOptions = {}): Row {
	const options: Row = {};
	if (opts.onDuplicate) options.onDuplicate = opts.onDuplicate;
	if (opts.timeoutSeconds) options.timeout = opts.timeoutSeconds;
	return node(
		LEAD_NODE,
		'n8n-nodes-pliant.pliantCreateLead',
		1,
		{
			operation: 'create',
			companyName: '={{ $json.name }}',
			country: opts.country ?? '={{ $json.country }}',
			industry: opts.industry ?? '={{ $json.industry }}',
			partnerOrganizationId: '={{ $json.id }}',
			options,
		},
		600,
		{ credentials: CREDENTIALS, ...(opts.continueOnFail ? { onError: 'continueRegularOutput' } : {}) },
	);
}

function row(id: string, overrides: Row = {}): Row {
	return { id, name: `Company ${id}`, country: 'DE', industry: 'COMPUTER_SOFTWARE', ...overrides };
}

function itemsOf(run: ExecuteResult, nodeName: string): OutItem[] {
	const runs = run.data.resultData.runData?.[nodeName] as unknown as Array<{ data?: { main?: OutItem[][] } }> | undefined;
	return runs?.[0]?.data?.main?.[0] ?? [];
}

function errorText(run: ExecuteResult): string {
	const error = run.data.resultData.error;
	return `${error?.message ?? ''}\n${error?.description ?? ''}`;
}

function pairedIndex(item: OutItem): number | undefined {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return paired?.item;
}

async function leadPosts(ids: string[]): Promise<number> {
	const ledger = await stack.control.ledger();
	return ledger.filter(
		(e) => e.method === 'POST' && /\/leads$/.test(e.path) && ids.includes(String((e.body as Row)?.partnerOrganizationId)),
	).length;
}

async function leadsAtPliant(ids: string[]): Promise<Row[]> {
	const { leads } = await stack.control.state();
	return (leads as Row[]).filter((lead) => ids.includes(String(lead.partnerOrganizationId ?? (lead.request as Row)?.partnerOrganizationId)));
}

describe(`n8n ${version}: errors and batches (issue 13)`, () => {
	beforeAll(async () => {
		stack = await startStack({ importExamples: false });
	}, 900_000);

	afterAll(async () => {
		await stack?.stop();
	});

	test('the same lead twice returns the existing lead; with "Fail" the error names it', async () => {
		const id = `dup-${RUN}`;
		const first = await runWorkflow([row(id)], leadNode());
		expect(first.data.resultData.error).toBeUndefined();
		const created = itemsOf(first, LEAD_NODE)[0].json;
		expect(created).toMatchObject({ duplicate: false, partnerOrganizationId: id });

		const again = await runWorkflow([row(id)], leadNode());
		expect(again.data.resultData.error).toBeUndefined();
		expect(itemsOf(again, LEAD_NODE)[0].json).toMatchObject({ duplicate: true, leadId: created.leadId });

		const failing = await runWorkflow([row(id)], leadNode({ onDuplicate: 'fail' }));
		const text = errorText(failing);
		expect(text).toContain(`already exists`);
		expect(text).toContain(id);
		expect(text).toContain(String(created.leadId));
		expect(await leadsAtPliant([id])).toHaveLength(1);
	});

	test('details not shared: {detailsShared: false} with "Output", a clear error with "Fail"', async () => {
		const id = `share-${RUN}`;
		const lead = await runWorkflow([row(id)], leadNode());
		const organizationId = await stack.control.onboard(String(itemsOf(lead, LEAD_NODE)[0].json.leadId));
		const res = await stack.control.request('POST', `/organizations/${organizationId}/details-shared`, { shared: false });
		expect(res.status).toBe(200);

		const details = (detailsNotShared: 'output' | 'error') =>
			node(
				DETAILS_NODE,
				'n8n-nodes-pliant.pliantOnboardingStatus',
				1,
				{
					operation: 'getOnboardingDetails',
					organizationId: '={{ $json.org }}',
					simplify: true,
					options: { detailsNotShared },
				},
				600,
				{ credentials: CREDENTIALS },
			);
		const output = await runWorkflow([{ org: organizationId }], details('output'));
		expect(output.data.resultData.error).toBeUndefined();
		expect(itemsOf(output, DETAILS_NODE)[0].json).toMatchObject({ organizationId, detailsShared: false });

		const failing = await runWorkflow([{ org: organizationId }], details('error'));
		const text = errorText(failing);
		expect(text).toMatch(/not agreed to share onboarding details/);
		expect(text).toContain(organizationId);
		expect(text).not.toMatch(/permission \(scope\)/);
	});

	test('a batch of 5 with one invalid item sends nothing; with Continue On Fail 4 leads and 1 error item', async () => {
		const ids = [0, 1, 2, 3, 4].map((n) => `batch-${RUN}-${n}`);
		const rows = ids.map((id, n) => row(id, n === 0 ? { name: '' } : {}));
		const stopped = await runWorkflow(rows, leadNode());
		expect(errorText(stopped)).toMatch(/Company Name is empty \[item 0\]/);
		expect(await leadPosts(ids)).toBe(0);

		const cont = await runWorkflow(rows, leadNode({ continueOnFail: true }));
		expect(cont.data.resultData.error).toBeUndefined();
		const out = itemsOf(cont, LEAD_NODE);
		expect(out).toHaveLength(5);
		expect(out.map(pairedIndex)).toEqual([0, 1, 2, 3, 4]);
		expect(out[0].json.error).toMatch(/Company Name is empty \[item 0\]/);
		expect(out.slice(1).map((item) => item.json.duplicate)).toEqual([false, false, false, false]);
		expect(await leadsAtPliant(ids)).toHaveLength(4);
	});

	test('a Pliant 500 on item 3 of 6 stops the run with the leads already created named', async () => {
		const ids = [0, 1, 2, 3, 4, 5].map((n) => `mid-${RUN}-${n}`);
		await stack.control.faults({ route: 'POST /api/leads', statuses: [500], bodyIncludes: `"${ids[3]}"` });
		const run = await runWorkflow(ids.map((id) => row(id)), leadNode());
		const text = errorText(run);
		expect(text).toMatch(/\[item 3\]/);
		const created = await leadsAtPliant(ids);
		expect(created.length).toBeGreaterThanOrEqual(3);
		for (const lead of created) {
			const partnerId = String(lead.partnerOrganizationId ?? (lead.request as Row)?.partnerOrganizationId);
			expect(text).toContain(partnerId);
			expect(text).toContain(String(lead.leadId));
		}
		expect(await leadPosts([ids[3]])).toBe(1);
	});

	test('country and industry: missing ones fail with 0 requests, aliases are normalised and reported, guesses rejected', async () => {
		const missingIds = [`nocountry-${RUN}`, `noindustry-${RUN}`];
		const noCountry = await runWorkflow([row(missingIds[0], { country: '' })], leadNode());
		expect(errorText(noCountry)).toMatch(/Country is empty \[item 0\]/);
		const noIndustry = await runWorkflow([row(missingIds[1], { industry: '  ' })], leadNode());
		expect(errorText(noIndustry)).toMatch(/Industry is empty \[item 0\]/);
		// Left unset in the node: n8n itself refuses the workflow (the editor marks both parameters)
		const unset = await runWorkflow([row(`unset-${RUN}`)], leadNode({ country: '', industry: '' })).then(
			(run) => run.data.resultData.error?.message ?? 'no error',
			(error: Error) => error.message,
		);
		expect(unset).not.toBe('no error');
		expect(await leadPosts([...missingIds, `unset-${RUN}`])).toBe(0);

		const aliasIds = [0, 1, 2, 3].map((n) => `alias-${RUN}-${n}`);
		const aliases = await runWorkflow(
			[
				row(aliasIds[0], { country: 'DEU' }),
				row(aliasIds[1], { country: 'UK' }),
				row(aliasIds[2], { country: 'germany', industry: 'computer software' }),
				row(aliasIds[3]),
			],
			leadNode(),
		);
		expect(aliases.data.resultData.error).toBeUndefined();
		const out = itemsOf(aliases, LEAD_NODE).map((item) => item.json);
		expect(out[0]).toMatchObject({ normalised: { country: 'DEU → DE' }, sent: { country: 'DE' } });
		expect(out[1]).toMatchObject({ normalised: { country: 'UK → GB' }, sent: { country: 'GB' } });
		expect(out[2]).toMatchObject({
			normalised: { country: 'germany → DE', industry: 'computer software → COMPUTER_SOFTWARE' },
			sent: { country: 'DE', industry: 'COMPUTER_SOFTWARE' },
		});
		expect(out[3].normalised).toBeUndefined();

		const guessId = `guess-${RUN}`;
		const guess = await runWorkflow([row(guessId, { industry: 'IT_SERVICES' })], leadNode());
		const text = errorText(guess);
		expect(text).toMatch(/\[item 0\]/);
		expect(text).toContain('IT_SERVICE)');
		expect(text).toContain('INFORMATION_TECHNOLOGY_AND_SERVICES');
		expect(await leadPosts([guessId])).toBe(0);
	});

	test('a reset after the request was sent, and a timeout: the lead may exist, a re-run returns it', async () => {
		const resetId = `reset-${RUN}`;
		await stack.control.faults({ route: 'POST /api/leads', resetConnection: 1, processBeforeReset: true, bodyIncludes: `"${resetId}"` });
		const reset = await runWorkflow([row(resetId)], leadNode());
		expect(errorText(reset)).toMatch(/may have created the lead/);
		expect(errorText(reset)).toMatch(/again is safe/);
		expect(errorText(reset)).not.toMatch(/base URL/);
		expect(await leadsAtPliant([resetId])).toHaveLength(1);
		const rerun = await runWorkflow([row(resetId)], leadNode());
		expect(itemsOf(rerun, LEAD_NODE)[0].json).toMatchObject({
			duplicate: true,
			leadId: (await leadsAtPliant([resetId]))[0].leadId,
		});

		const slowId = `slow-${RUN}`;
		await stack.control.faults({ route: 'POST /api/leads', delayMs: 4000, bodyIncludes: `"${slowId}"` });
		const slow = await runWorkflow([row(slowId)], leadNode({ timeoutSeconds: 1 }));
		expect(errorText(slow)).toMatch(/may have created the lead/);
		expect(errorText(slow)).toMatch(/did not answer within 1 s/);
		expect(errorText(slow)).toMatch(/again is safe/);
		let atPliant: Row[] = [];
		for (let i = 0; i < 20 && atPliant.length === 0; i++) {
			await sleep(500);
			atPliant = await leadsAtPliant([slowId]);
		}
		expect(atPliant).toHaveLength(1);
		const slowRerun = await runWorkflow([row(slowId)], leadNode({ timeoutSeconds: 1 }));
		expect(itemsOf(slowRerun, LEAD_NODE)[0].json).toMatchObject({ duplicate: true, leadId: atPliant[0].leadId });
		expect(await leadsAtPliant([slowId])).toHaveLength(1);
	});
});
