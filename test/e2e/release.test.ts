/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, never published */
/**
 * What the release promises users, checked in a real n8n (scripts/e2e.sh runs this file once per
 * tested n8n line): the Industry dropdown shows the labels people know, and the HubSpot example
 * sends Pliant only what HubSpot holds. Its HubSpot nodes are replaced by Edit Fields nodes of
 * the same names that output what HubSpot's nodes output; the Create Lead node is the example's own.
 */
import { INDUSTRIES } from '../../nodes/shared/fields/industries';
import { DEFAULT_N8N_VERSION, loadExamples, nodeOutput, type WorkflowFile } from '../../scripts/lib/n8n';
import { startStack, type Stack } from './harness';

jest.setTimeout(180_000);

const version = process.env.N8N_E2E_VERSION || DEFAULT_N8N_VERSION;
const HUBSPOT_EXAMPLE = 'pliantExHubDeal';
const LEAD_NODE = 'Create a Pliant lead';

type Node = WorkflowFile['nodes'][number] & { id?: string; position?: number[] };

const example = loadExamples().find((e) => e.workflow.id === HUBSPOT_EXAMPLE)!.workflow;
const leadNode = example.nodes.find((n) => n.name === LEAD_NODE) as Node;
/** The example's HubSpot reads, in order: the deal, its company, its contact (not the write-back after the lead). */
const hubspotReads = example.nodes
	.filter((n) => n.type === 'n8n-nodes-base.hubspot' && n.parameters.operation === 'get')
	.map((n) => n.name);

/** What HubSpot's deal, company and contact "get" operations output (properties as {value}). */
interface HubSpotRecords {
	deal: Record<string, unknown>;
	company: Record<string, unknown>;
	contact: Record<string, unknown>;
}

const props = (values: Record<string, string>) =>
	Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value, versions: [] }]));

function hubspotWorkflow(name: string, records: HubSpotRecords) {
	const outputs = [records.deal, records.company, records.contact];
	const reads: Node[] = hubspotReads.map((readName, index) => ({
		id: `b0000000-0000-4000-8000-00000000000${index + 2}`,
		name: readName,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [200 * (index + 1), 0],
		parameters: { mode: 'raw', jsonOutput: JSON.stringify(outputs[index]), options: {} },
	}));
	const chain = ['Start', ...hubspotReads, LEAD_NODE];
	const connections = Object.fromEntries(
		chain.slice(0, -1).map((from, i) => [from, { main: [[{ node: chain[i + 1], type: 'main', index: 0 }]] }]),
	);
	return {
		name,
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			...reads,
			{ ...leadNode, id: 'b0000000-0000-4000-8000-000000000009', position: [1000, 0] },
		],
		connections,
		settings: { executionOrder: 'v1' },
	};
}

let stack: Stack;

async function runHubSpotExample(name: string, records: HubSpotRecords) {
	const created = await stack.n8n.apiOk<{ id: string }>('POST', '/workflows', hubspotWorkflow(name, records));
	const before = (await stack.control.ledger()).length;
	const run = await stack.n8n.execute(created.id);
	expect(run.data.resultData.error?.message).toBeUndefined();
	const leadCalls = (await stack.control.ledger())
		.slice(before)
		.filter((e) => e.method === 'POST' && /\/leads$/.test(e.path));
	expect(leadCalls).toHaveLength(1);
	return { body: leadCalls[0].body, output: nodeOutput(run, LEAD_NODE) };
}

const DEAL = {
	dealId: 7001,
	portalId: 42,
	properties: props({ dealname: 'Acme cards', dealstage: 'contractsent', amount: '120000' }),
	associations: { associatedCompanyIds: [9001], associatedVids: [501, 502] },
};

describe(`n8n ${version}: release promises`, () => {
	beforeAll(async () => {
		stack = await startStack();
	}, 900_000);

	afterAll(async () => {
		await stack?.stop();
	});

	test('the Industry dropdown shows the labels people know, one per seed value', async () => {
		const types = (await stack.n8n.exportNodes()) as unknown as Array<{
			name: string;
			properties: Array<{ name: string; options?: Array<{ name: string; value: string }> }>;
		}>;
		const createLead = types.find((t) => t.name === 'n8n-nodes-pliant.pliantCreateLead');
		const options = createLead?.properties.find((p) => p.name === 'industry')?.options ?? [];
		expect(options.map((o) => o.value).sort()).toEqual([...INDUSTRIES].sort());
		const label = (value: string) => options.find((o) => o.value === value)?.name;
		expect(label('FOOD_BEVERAGES')).toBe('Food & Beverages');
		expect(label('AIRLINES_AVIATION')).toBe('Airlines/Aviation');
		expect(label('CONVENIENCE_STORES_GAS_STATIONS_LIQUOR_STORES')).toBe(
			'Convenience Stores, Gas Stations & Liquor Stores',
		);
		expect(label('COMPUTER_SOFTWARE')).toBe('Computer Software');
	});

	test('HubSpot example: empty HubSpot properties are not sent, the deal amount is never spend', async () => {
		const { body, output } = await runHubSpotExample('e2e HubSpot example, sparse company', {
			deal: DEAL,
			// a company with only the required properties filled in
			company: {
				companyId: 9001,
				portalId: 42,
				properties: props({ name: 'Acme Software GmbH', country: 'Germany', industry: 'COMPUTER_SOFTWARE' }),
			},
			contact: {
				vid: 501,
				properties: props({ firstname: 'Ada', lastname: 'Lovelace', email: 'ada@acme.example' }),
			},
		});
		// toEqual: nothing else was sent (no 0 employees, no 0 EUR, no empty address)
		expect(body).toEqual({
			partnerOrganizationId: '9001',
			company: { name: 'Acme Software GmbH', country: 'DE', industry: 'COMPUTER_SOFTWARE' },
			contactPersons: [{ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.example', isPrimary: true }],
			notes: 'Referred from HubSpot deal 7001',
		});
		expect(output).toHaveLength(1);
		expect(output[0]).toMatchObject({ status: 'RECEIVED', duplicate: false, partnerOrganizationId: '9001' });
	});

	test('HubSpot example: filled HubSpot properties are sent, the contact is the deal\'s first', async () => {
		const { body } = await runHubSpotExample('e2e HubSpot example, full company', {
			deal: { ...DEAL, dealId: 7002, associations: { associatedCompanyIds: [9002], associatedVids: [601, 602] } },
			company: {
				companyId: 9002,
				portalId: 42,
				properties: props({
					name: 'Globex Foods GmbH',
					country: 'DE',
					industry: 'FOOD_BEVERAGES',
					website: 'globex.example',
					numberofemployees: '120',
					address: 'Main Street 1',
					zip: '10115',
					city: 'Berlin',
				}),
			},
			contact: {
				vid: 601,
				properties: props({
					firstname: 'Grace',
					lastname: 'Hopper',
					email: 'grace@globex.example',
					phone: '+4930123456',
					jobtitle: 'CFO',
				}),
			},
		});
		expect(body).toEqual({
			partnerOrganizationId: '9002',
			company: {
				name: 'Globex Foods GmbH',
				country: 'DE',
				industry: 'FOOD_BEVERAGES',
				website: 'https://globex.example',
				numberOfEmployees: 120,
				address: { street: 'Main Street 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
			},
			contactPersons: [
				{
					firstName: 'Grace',
					lastName: 'Hopper',
					email: 'grace@globex.example',
					phoneNumber: '+4930123456',
					role: 'CFO',
					isPrimary: true,
				},
			],
			notes: 'Referred from HubSpot deal 7002',
		});
	});

	test('the HubSpot example reads the deal\'s first associated contact, as its note says', () => {
		const contactRead = example.nodes.find((n) => n.name === hubspotReads[2]);
		expect(JSON.stringify(contactRead?.parameters)).toContain('associatedVids[0]');
		const note = example.nodes.find((n) => n.type === 'n8n-nodes-base.stickyNote');
		expect(String(note?.parameters.content)).toMatch(/first associated contact/);
		expect(JSON.stringify(leadNode.parameters)).not.toMatch(/expectedMonthlySpend|amount|demoConductedByPartner/);
	});
});
