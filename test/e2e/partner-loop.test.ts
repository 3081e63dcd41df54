/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, never published */
/**
 * The partner loop in a real n8n (scripts/e2e.sh runs this file once per n8n line):
 * - the Pliant API credential in n8n's own HTTP Request node ("Predefined Credential Type"),
 *   for the endpoints the nodes do not cover, with the nodes' token handling;
 * - the examples that close the loop, run as imported, from their own trigger: the other
 *   services' nodes (HubSpot, Slack) and the trigger get pinned data, as a user tests them in
 *   the editor, while every Pliant node calls the emulator.
 */
import type { LedgerEntry } from '../../scripts/lib/emulator-client';
import {
	DEFAULT_N8N_VERSION,
	DEMO_CREDENTIAL_ID,
	DEMO_CREDENTIAL_NAME,
	nodeOutput,
	type ExecuteResult,
} from '../../scripts/lib/n8n';
import { createLeadAtEmulator, nodeMaker, startStack, type Stack } from './harness';

jest.setTimeout(240_000);

const version = process.env.N8N_E2E_VERSION || DEFAULT_N8N_VERSION;
const node = nodeMaker('c2910000');

type Json = Record<string, unknown>;
type Runs = Record<string, Array<{ data?: { main?: Array<Array<{ json: Json }> | null> } }>>;

let stack: Stack;

/** The JSON of the items a node sent to one of its outputs (0: success, 1: error output). */
function itemsOn(run: ExecuteResult, nodeName: string, output: number): Json[] {
	const runs = run.data.resultData.runData as Runs;
	return (runs[nodeName]?.[0]?.data?.main?.[output] ?? []).map((item) => item.json);
}

function ran(run: ExecuteResult, nodeName: string): boolean {
	return (run.data.resultData.runData as Runs)[nodeName] !== undefined;
}

/** Saves pinned data into an imported example and runs it from its trigger through the running n8n. */
async function runPinned(workflowId: string, trigger: string, pinned: Record<string, Json[]>): Promise<ExecuteResult> {
	const { body } = await stack.n8n.rest<{ data: Json }>('GET', `/workflows/${workflowId}`);
	const pinData = Object.fromEntries(Object.entries(pinned).map(([name, items]) => [name, items.map((json) => ({ json }))]));
	const saved = await stack.n8n.rest('PATCH', `/workflows/${workflowId}`, { ...body.data, pinData });
	expect(saved.status).toBe(200);
	const run = await stack.n8n.run(workflowId, 120_000, trigger);
	expect(run.data.resultData.error?.message).toBeUndefined();
	expect(run.status).toBe('success');
	return run;
}

async function ledgerSince(from: number): Promise<LedgerEntry[]> {
	return (await stack.control.ledger()).slice(from);
}

const isTokenRequest = (entry: LedgerEntry) => entry.method === 'POST' && entry.path.endsWith('/oauth/token');
const leadPosts = (entries: LedgerEntry[]) => entries.filter((e) => e.method === 'POST' && /\/leads$/.test(e.path));

/** What HubSpot's v1 reads output (properties as `{ value }`). */
const props = (values: Record<string, string>) =>
	Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value, versions: [] }]));

interface HubSpotDeal {
	dealId: number;
	companyId: number;
	company: Record<string, string>;
}

/** Pinned outputs of the HubSpot reads of both HubSpot lead examples, one item per deal. */
function hubspotReads(deals: HubSpotDeal[]): Record<string, Json[]> {
	return {
		'Get the deal': deals.map((d) => ({
			dealId: d.dealId,
			portalId: 42,
			properties: props({ dealname: `Deal ${d.dealId}`, dealstage: 'contractsent' }),
			associations: { associatedCompanyIds: [d.companyId], associatedVids: [d.dealId + 1] },
		})),
		'Get the company': deals.map((d) => ({ companyId: d.companyId, portalId: 42, properties: props(d.company) })),
		'Get the first contact': deals.map((d) => ({
			vid: d.dealId + 1,
			properties: props({ firstname: 'Ada', lastname: 'Lovelace', email: `ada.${d.dealId}@lead.example` }),
		})),
		'Write the lead ID to the deal': [{ dealId: 0, pinned: true }],
		'Tell Slack': [{ ok: true, pinned: true }],
	};
}

const ACME = { name: 'Acme Software GmbH', country: 'Germany', industry: 'COMPUTER_SOFTWARE' };

describe(`n8n ${version}: the partner loop`, () => {
	beforeAll(async () => {
		stack = await startStack();
	}, 900_000);

	afterAll(async () => {
		await stack?.stop();
	});

	test('HTTP Request with the Pliant API credential gets 200 from the API; after a revoked token, one new token and 200 again', async () => {
		const created = await stack.n8n.apiOk<{ id: string }>('POST', '/workflows', {
			name: 'Pliant API call (HTTP Request)',
			nodes: [
				node('Start', 'n8n-nodes-base.manualTrigger', 1, {}, 0),
				node(
					'Pliant API call',
					'n8n-nodes-base.httpRequest',
					4.2,
					{
						method: 'GET',
						url: `${stack.emulator.apiBaseUrl}/organizations`,
						authentication: 'predefinedCredentialType',
						nodeCredentialType: 'pliantApi',
						sendQuery: true,
						queryParameters: { parameters: [{ name: 'limit', value: '1' }] },
						options: { response: { response: { fullResponse: true } } },
					},
					220,
					{ credentials: { pliantApi: { id: DEMO_CREDENTIAL_ID, name: DEMO_CREDENTIAL_NAME } } },
				),
			],
			connections: { Start: { main: [[{ node: 'Pliant API call', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		const calls = (entries: LedgerEntry[]) => entries.filter((e) => e.method === 'GET' && /\/api\/organizations$/.test(e.path));

		const first = (await stack.control.ledger()).length;
		const run = await stack.n8n.run(created.id);
		expect(run.data.resultData.error?.message).toBeUndefined();
		const [response] = nodeOutput(run, 'Pliant API call');
		expect(response).toMatchObject({ statusCode: 200, body: { organizations: expect.any(Array) } });
		expect(calls(await ledgerSince(first)).map((e) => e.status)).toEqual([200]);

		await stack.control.expireTokens();
		const second = (await stack.control.ledger()).length;
		const again = await stack.n8n.run(created.id);
		expect(nodeOutput(again, 'Pliant API call')[0]).toMatchObject({ statusCode: 200 });
		const entries = await ledgerSince(second);
		// n8n sends with the stored token, gets 401, asks the credential for one new token, resends
		expect(calls(entries).map((e) => e.status)).toEqual([401, 200]);
		expect(entries.filter(isTokenRequest)).toHaveLength(1);
	});

	test('every onboarding event updates the HubSpot company found by its partner organization ID', async () => {
		const partnerId = `${700000 + Math.floor(Math.random() * 99999)}`;
		const leadId = await createLeadAtEmulator(stack, partnerId, { name: 'Acme Software GmbH', country: 'DE' });
		const organizationId = await stack.control.onboard(leadId);
		const event = (eventType: string, extra: Json = {}) => ({
			eventType,
			organizationId,
			partnerOrganizationId: partnerId,
			callbackId: `cb-${eventType}`,
			createdAt: '2026-12-06T10:00:00.000Z',
			...extra,
		});
		const before = (await stack.control.ledger()).length;
		const run = await runPinned('pliantExOnbHub', 'Pliant onboarding event', {
			'Pliant onboarding event': [
				event('ORGANIZATION_ADDED'),
				event('ORGANIZATION_STATE_CHANGED', { previousStatus: 'ONBOARDING_STARTED', newStatus: 'ONBOARDING_RISK_AND_COMPLIANCE' }),
				// a customer someone else referred: no partner organization ID, no CRM record
				{ ...event('AUTHORIZATION_PENDING'), partnerOrganizationId: null, organizationId: '00000000-0000-4000-8000-000000000000' },
			],
			'Update the HubSpot company': [{ companyId: partnerId, pinned: true }],
		});
		const fields = nodeOutput(run, 'Company fields');
		expect(fields).toEqual([
			expect.objectContaining({
				companyId: partnerId,
				pliant_organization_id: organizationId,
				pliant_onboarding_stage: expect.stringMatching(/ — step [1-4] of 4$/),
				pliant_last_event: 'ORGANIZATION_ADDED (2026-12-06T10:00:00.000Z)',
			}),
			expect.objectContaining({
				companyId: partnerId,
				pliant_last_event: 'ORGANIZATION_STATE_CHANGED: ONBOARDING_RISK_AND_COMPLIANCE (2026-12-06T10:00:00.000Z)',
			}),
		]);
		expect(ran(run, 'Update the HubSpot company')).toBe(true);
		const reads = (await ledgerSince(before)).filter((e) => e.method === 'GET' && e.path.includes('/organizations/'));
		expect(reads.map((e) => [e.path, e.status])).toEqual([
			[`/api/organizations/${organizationId}`, 200],
			[`/api/organizations/${organizationId}`, 200],
		]);
	});

	test('HubSpot deal example: lead IDs go back onto the deals, the invalid lead goes to Slack through the error output', async () => {
		const deals: HubSpotDeal[] = [
			{ dealId: 7101, companyId: 9101, company: ACME },
			{ dealId: 7102, companyId: 9102, company: { name: 'Nameless Industry GmbH', country: 'DE' } },
			{ dealId: 7103, companyId: 9103, company: { ...ACME, name: 'Globex GmbH' } },
		];
		const before = (await stack.control.ledger()).length;
		const run = await runPinned('pliantExHubDeal', 'Deal stage changed', {
			'Deal stage changed': deals.map((d) => ({ dealId: d.dealId, propertyName: 'dealstage', propertyValue: 'contractsent' })),
			...hubspotReads(deals),
		});
		const created = itemsOn(run, 'Create a Pliant lead', 0);
		expect(created.map((item) => [item.partnerOrganizationId, item.duplicate])).toEqual([
			['9101', false],
			['9103', false],
		]);
		for (const item of created) expect(item.leadId).toEqual(expect.any(String));
		const failed = itemsOn(run, 'Create a Pliant lead', 1);
		// the second deal's company has no industry: n8n counts items from 0
		expect(failed).toHaveLength(1);
		expect(String(failed[0].error)).toMatch(/Industry[^[]*\[item 1\]/);
		expect(ran(run, 'Write the lead ID to the deal')).toBe(true);
		expect(ran(run, 'Tell Slack')).toBe(true);
		expect(leadPosts(await ledgerSince(before)).map((e) => e.status)).toEqual([201, 201]);
	});

	test('HubSpot search variant (no developer app): a second run refers nobody twice, the leads come back as duplicates', async () => {
		const deals: HubSpotDeal[] = [
			{ dealId: 7201, companyId: 9201, company: ACME },
			{ dealId: 7202, companyId: 9202, company: { ...ACME, name: 'Initech GmbH' } },
		];
		const pinned = {
			'Every hour': [{ timestamp: '2026-12-06T10:00:00.000+00:00' }],
			'Deals in the stage': deals.map((d) => ({ id: String(d.dealId), properties: { dealname: `Deal ${d.dealId}`, dealstage: 'contractsent' } })),
			...hubspotReads(deals),
		};
		const before = (await stack.control.ledger()).length;
		const first = itemsOn(await runPinned('pliantExHubSched', 'Every hour', pinned), 'Create a Pliant lead', 0);
		expect(first.map((item) => [item.partnerOrganizationId, item.duplicate])).toEqual([
			['9201', false],
			['9202', false],
		]);
		const second = itemsOn(await runPinned('pliantExHubSched', 'Every hour', pinned), 'Create a Pliant lead', 0);
		expect(second.map((item) => [item.partnerOrganizationId, item.duplicate, item.leadId])).toEqual(
			first.map((item) => [item.partnerOrganizationId, true, item.leadId]),
		);
		const posts = leadPosts(await ledgerSince(before));
		expect(posts.map((e) => e.status)).toEqual([201, 201, 409, 409]);
		// each lead carries its deal's first contact, read by the example's own expressions
		expect(posts.slice(0, 2).map((e) => (e.body as { contactPersons?: Json[] }).contactPersons)).toEqual(
			deals.map((d) => [expect.objectContaining({ email: `ada.${d.dealId}@lead.example`, isPrimary: true })]),
		);
	});
});
