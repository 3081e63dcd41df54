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
	/** n8n's "Continue (using error output)": the node gets a second, error output. */
	errorOutput?: boolean;
	dryRun?: boolean;
	onDuplicate?: 'returnExisting' | 'fail';
	timeoutSeconds?: number;
	country?: string;
	industry?: string;
}

function leadNode(opts: LeadNodeOptions = {}): Row {
	const options: Row = {};
	if (opts.onDuplicate) options.onDuplicate = opts.onDuplicate;
	if (opts.timeoutSeconds) options.timeout = opts.timeoutSeconds;
	if (opts.dryRun) options.dryRun = true;
	const onError = opts.errorOutput ? 'continueErrorOutput' : opts.continueOnFail ? 'continueRegularOutput' : undefined;
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
		{ credentials: CREDENTIALS, ...(onError ? { onError } : {}) },
	);
}

function row(id: string, overrides: Row = {}): Row {
	return { id, name: `Company ${id}`, country: 'DE', industry: 'COMPUTER_SOFTWARE', ...overrides };
}

/** The node's items on one output: 0 is the success output, 1 the error output when it has one. */
function itemsOf(run: ExecuteResult, nodeName: string, output = 0): OutItem[] {
	const runs = run.data.resultData.runData?.[nodeName] as unknown as Array<{ data?: { main?: OutItem[][] } }> | undefined;
	return runs?.[0]?.data?.main?.[output] ?? [];
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

/** Requests the emulator received for a path (e.g. '/api/organizations'), by method. */
async function requestsTo(method: string, path: RegExp): Promise<number> {
	return (await stack.control.ledger()).filter((e) => e.method === method && path.test(e.path)).length;
}

/** Onboarding Status; version 2 for the Organization resource locator (By Partner Organization ID). */
function statusNode(parameters: Row, errorOutput = false, version = 1): Row {
	return node('Onboarding', 'n8n-nodes-pliant.pliantOnboardingStatus', version, parameters, 600, {
		credentials: CREDENTIALS,
		...(errorOutput ? { onError: 'continueErrorOutput' } : {}),
	});
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

	test('Continue (using error output): 3 leads, the 2nd invalid → 2 on success, 1 on the error output, 2 leads created', async () => {
		const ids = [0, 1, 2].map((n) => `errout-${RUN}-${n}`);
		const rows = ids.map((id, n) => row(id, n === 1 ? { industry: '' } : {}));
		const run = await runWorkflow(rows, leadNode({ errorOutput: true }));
		expect(run.data.resultData.error).toBeUndefined();
		const success = itemsOf(run, LEAD_NODE, 0);
		const failed = itemsOf(run, LEAD_NODE, 1);
		expect(success.map(pairedIndex)).toEqual([0, 2]);
		expect(success.map((item) => item.json.duplicate)).toEqual([false, false]);
		expect(failed.map(pairedIndex)).toEqual([1]);
		expect(String(failed[0].json.error)).toMatch(/Industry is empty \[item 1\]/);
		expect(await leadsAtPliant(ids)).toHaveLength(2);
		expect(await leadPosts([ids[1]])).toBe(0);
	});

	test('Continue (using error output): a Pliant error on one lead leaves on the error output', async () => {
		const ids = [0, 1].map((n) => `errout-api-${RUN}-${n}`);
		await stack.control.faults({ route: 'POST /api/leads', statuses: [400], bodyIncludes: `"${ids[0]}"` });
		const run = await runWorkflow(ids.map((id) => row(id)), leadNode({ errorOutput: true }));
		expect(itemsOf(run, LEAD_NODE, 0).map(pairedIndex)).toEqual([1]);
		const failed = itemsOf(run, LEAD_NODE, 1);
		expect(failed.map(pairedIndex)).toEqual([0]);
		expect(String(failed[0].json.error)).toMatch(/Pliant rejected the request as invalid/);
	});

	test('Dry Run: every row yields an item, invalid rows on the error output naming each field and the item; 0 requests', async () => {
		const ids = [0, 1, 2].map((n) => `dry-${RUN}-${n}`);
		const rows = [row(ids[0], { country: 'Germany' }), row(ids[1], { name: '', country: 'Narnia', industry: '' }), row(ids[2])];
		const before = (await stack.control.ledger()).length;
		const run = await runWorkflow(rows, leadNode({ dryRun: true, errorOutput: true }));
		expect(run.data.resultData.error).toBeUndefined();
		expect((await stack.control.ledger()).length).toBe(before);
		const valid = itemsOf(run, LEAD_NODE, 0);
		expect(valid.map(pairedIndex)).toEqual([0, 2]);
		expect(valid[0].json).toMatchObject({
			dryRun: true,
			valid: true,
			body: { partnerOrganizationId: ids[0], company: { name: `Company ${ids[0]}`, country: 'DE', industry: 'COMPUTER_SOFTWARE' } },
			normalised: { country: 'Germany → DE' },
		});
		const [invalid] = itemsOf(run, LEAD_NODE, 1);
		expect(pairedIndex(invalid)).toBe(1);
		const error = String(invalid.json.error);
		for (const field of ['Company Name', 'Country "Narnia"', 'Industry']) expect(error).toContain(field);
		expect(error).toMatch(/\[item 1\]$/);

		// without the error output the run does not stop either: one item per row
		const plain = await runWorkflow(rows, leadNode({ dryRun: true }));
		expect(plain.data.resultData.error).toBeUndefined();
		expect(itemsOf(plain, LEAD_NODE).map(pairedIndex)).toEqual([0, 1, 2]);
		expect((await stack.control.ledger()).length).toBe(before);
	});

	test('Onboarding Status Get with the error output: 1 valid and 1 invalid ID → 1 item on each output', async () => {
		const id = `status-errout-${RUN}`;
		const lead = await runWorkflow([row(id)], leadNode());
		const organizationId = await stack.control.onboard(String(itemsOf(lead, LEAD_NODE)[0].json.leadId));
		const run = await runWorkflow(
			[{ org: organizationId }, { org: 'not-a-uuid' }],
			statusNode({ operation: 'get', organizationId: '={{ $json.org }}', simplify: true }, true),
		);
		expect(run.data.resultData.error).toBeUndefined();
		const success = itemsOf(run, 'Onboarding', 0);
		expect(success.map(pairedIndex)).toEqual([0]);
		expect(success[0].json).toMatchObject({ organizationId, partnerOrganizationId: id });
		const failed = itemsOf(run, 'Onboarding', 1);
		expect(failed.map(pairedIndex)).toEqual([1]);
		expect(String(failed[0].json.error)).toMatch(/not a valid Pliant organization ID \[item 1\]/);

		// "not there yet" as data: a partner ID no organization has, with the option set
		const missing = await runWorkflow(
			[{ partner: `nobody-${RUN}` }],
			statusNode({
				operation: 'get',
				organizationId: { __rl: true, mode: 'partnerOrganizationId', value: '={{ $json.partner }}' },
				options: { partnerIdNotFound: 'output' },
			}, false, 2),
		);
		expect(missing.data.resultData.error).toBeUndefined();
		expect(itemsOf(missing, 'Onboarding')[0].json).toMatchObject({ partnerOrganizationId: `nobody-${RUN}`, found: false });
	});

	test('Get Many with an invalid Limit among valid items: rejected before any request', async () => {
		const before = await requestsTo('GET', /\/api\/organizations$/);
		const run = await runWorkflow(
			[{ limit: 2 }, { limit: 'many' }, { limit: 3 }],
			statusNode({ operation: 'getMany', returnAll: false, limit: '={{ $json.limit }}', simplify: true }),
		);
		expect(errorText(run)).toMatch(/Limit "many" is not a whole number of at least 1 \[item 1\]/);
		expect(await requestsTo('GET', /\/api\/organizations$/)).toBe(before);
	});
});
