/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, never published */
/**
 * The "Pliant tools for your AI assistant" example in a real n8n (2.41.1 on Node 24, 1.123.50
 * on Node 20: both MCP Server Triggers serve Streamable HTTP with Bearer auth at typeVersion 2),
 * called by a real MCP client with no language model: the tools and their input schemas, a
 * lead created once, an invalid country refused before any request, a repeated partner ID
 * answered with the existing lead, Onboarding Status on the organization the emulator
 * onboarded, and a client without the token refused.
 */
import { randomBytes, randomUUID } from 'crypto';

// The SDK maps these paths through package.json `exports`, which the lint resolver does not read.
// eslint-disable-next-line import-x/no-unresolved
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
// eslint-disable-next-line import-x/no-unresolved
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { INDUSTRIES } from '../../nodes/shared/fields/industries';
import { COUNTRIES } from '../../nodes/shared/fields/countries';
import type { LedgerEntry } from '../../scripts/lib/emulator-client';
import { DEMO_CREDENTIAL_ID, DEMO_CREDENTIAL_NAME, MCP_EXAMPLE, mcpBearerCredential, waitFor } from '../../scripts/lib/n8n';
import { startStack, type Stack } from './harness';

jest.setTimeout(180_000);

const version = process.env.N8N_E2E_VERSION || '2.41.1';
const TOKEN = `e2e-${randomBytes(16).toString('hex')}`;

interface ToolResult {
	isError?: boolean;
	content: Array<{ type: string; text: string }>;
}

let stack: Stack;
let url: string;
let client: Client;
/** A client of the second MCP server: the Activate Authorization tools (write guard). */
let activateClient: Client;

const ACTIVATE_PATH = 'pliant-activate';

async function connect(token: string | undefined, at = url): Promise<Client> {
	const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
	const next = new Client({ name: 'n8n-nodes-pliant-e2e', version: '0.0.1' });
	await next.connect(new StreamableHTTPClientTransport(new URL(at), { requestInit: { headers } }));
	return next;
}

async function call(name: string, args: Record<string, unknown>, via = client): Promise<ToolResult> {
	return (await via.callTool({ name, arguments: args })) as ToolResult;
}

/** One Activate Authorization tool; `allowAsTool` is the node option that lets an agent run it. */
function activateTool(name: string, id: string, allowAsTool: boolean): Record<string, unknown> {
	return {
		id,
		name,
		type: 'n8n-nodes-pliant.pliantOnboardingStatusTool',
		typeVersion: 1,
		position: [0, 220],
		credentials: { pliantApi: { id: DEMO_CREDENTIAL_ID, name: DEMO_CREDENTIAL_NAME } },
		parameters: {
			descriptionType: 'manual',
			toolDescription: 'Activate the data-sharing authorization of a Pliant organization (changes data at Pliant).',
			operation: 'activateAuthorization',
			organizationId: "={{ $fromAI('organizationId', 'Pliant organization ID (a UUID)', 'string') }}",
			additionalFields: {},
			options: allowAsTool ? { allowAsTool: true } : {},
		},
	};
}

/** An MCP server with two Activate tools: one as the node comes (refuses), one allowed. */
async function createActivateServer(): Promise<string> {
	const trigger = {
		id: 'a0c7e000-0000-4000-8000-000000000001',
		name: 'MCP Server Trigger',
		type: '@n8n/n8n-nodes-langchain.mcpTrigger',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { authentication: 'bearerAuth', path: ACTIVATE_PATH },
		credentials: { httpBearerAuth: { id: MCP_EXAMPLE.credentialId, name: MCP_EXAMPLE.credentialName } },
	};
	const tools = [
		activateTool('Activate Refused', 'a0c7e000-0000-4000-8000-000000000002', false),
		activateTool('Activate Allowed', 'a0c7e000-0000-4000-8000-000000000003', true),
	];
	const connections = Object.fromEntries(
		tools.map((tool) => [tool.name, { ai_tool: [[{ node: trigger.name, type: 'ai_tool', index: 0 }]] }]),
	);
	const created = await stack.n8n.apiOk<{ id: string }>('POST', '/workflows', {
		name: 'e2e Activate Authorization tools',
		nodes: [trigger, ...tools],
		connections,
		settings: { executionOrder: 'v1' },
	});
	await stack.n8n.activate(created.id);
	return stack.n8n.mcpUrl(ACTIVATE_PATH);
}

function text(result: ToolResult): string {
	return result.content.map((part) => part.text).join('\n');
}

/** The JSON a successful tool call returns: n8n sends the node's output items as text. */
function items(result: ToolResult): Array<Record<string, unknown>> {
	expect({ isError: result.isError ?? false, text: text(result) }).toMatchObject({ isError: false });
	const parsed = JSON.parse(text(result)) as unknown;
	return (Array.isArray(parsed) ? parsed : [parsed]) as Array<Record<string, unknown>>;
}

const leadPosts = (ledger: LedgerEntry[]) => ledger.filter((e) => e.method === 'POST' && /\/api\/leads$/.test(e.path));

const lead = (partnerOrganizationId: string, overrides: Record<string, string> = {}) => ({
	companyName: 'Acme Robotics GmbH',
	country: 'Germany',
	industry: 'Computer Software',
	partnerOrganizationId,
	contactFirstName: 'Ada',
	contactLastName: 'Lovelace',
	contactEmail: 'ada@acme-robotics.example',
	...overrides,
});

describe(`n8n ${version}: the Pliant nodes as MCP tools`, () => {
	const partnerOrganizationId = `mcp-${Date.now()}`;
	let leadId: string;
	let organizationId: string;

	beforeAll(async () => {
		// its own port range: other e2e files may run at the same time on a shared machine
		stack = await startStack({ portFrom: 5740 });
		await stack.n8n.importCredentials([mcpBearerCredential(TOKEN)]);
		await stack.n8n.activate(MCP_EXAMPLE.workflowId);
		url = stack.n8n.mcpUrl(MCP_EXAMPLE.path);
		// activation answers before the MCP endpoint is registered
		client = await waitFor('the MCP Server Trigger to accept a client', async () => await connect(TOKEN), 15_000, 250);
		const activateUrl = await createActivateServer();
		activateClient = await waitFor('the Activate MCP server to accept a client', async () => await connect(TOKEN, activateUrl), 15_000, 250);
	}, 900_000);

	afterAll(async () => {
		await activateClient?.close().catch(() => undefined);
		await client?.close().catch(() => undefined);
		await stack?.stop();
	});

	test('lists the four tools with input schemas that say what Pliant accepts', async () => {
		const { tools } = await client.listTools();
		const byName = new Map(tools.map((tool) => [tool.name, tool]));
		expect([...byName.keys()].sort()).toEqual([
			'Pliant_Create_Lead',
			'Pliant_Find_Organization',
			'Pliant_Get_Onboarding_Details',
			'Pliant_Get_Organization',
		]);

		const create = byName.get('Pliant_Create_Lead')!;
		expect(create.description).toMatch(/one lead per partner organization ID/);
		const properties = create.inputSchema.properties as Record<string, { type: string; description: string }>;
		const fields = [
			'companyName',
			'country',
			'industry',
			'partnerOrganizationId',
			'contactFirstName',
			'contactLastName',
			'contactEmail',
		];
		expect(Object.keys(properties).sort()).toEqual([...fields].sort());
		expect([...(create.inputSchema.required ?? [])].sort()).toEqual([...fields].sort());
		for (const field of fields) expect(properties[field]).toMatchObject({ type: 'string' });
		expect(properties.country.description).toMatch(/ISO 3166-1 alpha-2/);
		for (const country of COUNTRIES) expect(properties.country.description).toContain(country.code);
		for (const industry of INDUSTRIES) expect(properties.industry.description).toContain(industry);
		expect(properties.partnerOrganizationId.description).toMatch(/your own unique ID/);

		for (const name of ['Pliant_Get_Organization', 'Pliant_Get_Onboarding_Details']) {
			const schema = byName.get(name)!.inputSchema;
			expect(schema.required).toEqual(['organizationId']);
			expect((schema.properties as Record<string, { description: string }>).organizationId.description).toMatch(/UUID/);
		}
		expect(byName.get('Pliant_Find_Organization')!.inputSchema.required).toEqual(['partnerOrganizationId']);
	});

	test('a valid call creates exactly one lead; country and industry are normalised; the output is compact', async () => {
		const before = leadPosts(await stack.control.ledger()).length;
		const [created] = items(await call('Pliant_Create_Lead', lead(partnerOrganizationId)));
		expect(created).toEqual({
			leadId: expect.any(String),
			status: 'RECEIVED',
			partnerOrganizationId,
			duplicate: false,
			normalised: { country: 'Germany → DE', industry: 'Computer Software → COMPUTER_SOFTWARE' },
			message: expect.stringMatching(/created/i),
		});
		leadId = created.leadId as string;

		const posts = leadPosts(await stack.control.ledger()).slice(before);
		expect(posts).toHaveLength(1);
		expect(posts[0].status).toBe(201);
		expect(posts[0].body).toMatchObject({
			partnerOrganizationId,
			company: { name: 'Acme Robotics GmbH', country: 'DE', industry: 'COMPUTER_SOFTWARE' },
			contactPersons: [{ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme-robotics.example', isPrimary: true }],
		});
	});

	test('an invalid country is an isError answer with the closest countries, and nothing is sent', async () => {
		const before = await stack.control.ledger();
		const result = await call('Pliant_Create_Lead', lead(`${partnerOrganizationId}-x`, { country: 'Narnia' }));
		expect(result.isError).toBe(true);
		const message = text(result);
		expect(message).toMatch(/Country "Narnia" is not a country Pliant accepts/);
		expect(message).toMatch(/\([A-Z]{2}\)/); // closest candidates with their codes
		expect(message).toMatch(/ISO 3166-1 alpha-2 code or the English name/);
		expect(message).not.toMatch(/\[item 0\]|\{\{|Options >/); // nothing about the editor
		expect(message.length).toBeLessThan(1200);
		// not a single request to Pliant (not even a token)
		expect((await stack.control.ledger()).length).toBe(before.length);
	});

	test('the same partner organization ID again answers with the existing lead, no second lead', async () => {
		const before = (await stack.control.state()).leads.length;
		const [again] = items(await call('Pliant_Create_Lead', lead(partnerOrganizationId, { country: 'DE' })));
		expect(again).toMatchObject({ leadId, partnerOrganizationId, duplicate: true });
		expect(again.message).toMatch(/already existed/);
		expect((await stack.control.state()).leads.length).toBe(before);
	});

	test('Onboarding Status tools find and describe the organization the emulator onboarded', async () => {
		const [nothingYet] = items(await call('Pliant_Find_Organization', { partnerOrganizationId }));
		expect(nothingYet).toMatchObject({ found: 0 });

		organizationId = await stack.control.onboard(leadId);
		for (let i = 0; i < 3; i++) await stack.control.advance(organizationId);

		const [found] = items(await call('Pliant_Find_Organization', { partnerOrganizationId }));
		expect(found).toMatchObject({ organizationId, partnerOrganizationId, status: expect.any(String) });
		expect(found.stage).toMatch(/step \d of \d/);

		const [organization] = items(await call('Pliant_Get_Organization', { organizationId }));
		expect(organization).toEqual(found);

		const [details] = items(await call('Pliant_Get_Onboarding_Details', { organizationId }));
		expect(details).toMatchObject({ organizationId, detailsShared: true, pendingOnCustomer: expect.any(Array) });

		const wrong = await call('Pliant_Get_Organization', { organizationId: partnerOrganizationId });
		expect(wrong.isError).toBe(true);
		expect(text(wrong)).toMatch(/not a valid Pliant organization ID/);
	});

	test('Activate Authorization as a tool: refused without the node option (0 requests), activates with it', async () => {
		await stack.control.complete(organizationId); // now AUTHORIZATION_PENDING
		const before = (await stack.control.ledger()).length;
		const refused = await call('Activate_Refused', { organizationId }, activateClient);
		expect(refused.isError).toBe(true);
		expect(text(refused)).toMatch(/not allowed as an AI tool/);
		expect(text(refused)).toMatch(/Do not retry/);
		// not a single request to Pliant (not even a token)
		expect((await stack.control.ledger()).length).toBe(before);

		const [activated] = items(await call('Activate_Allowed', { organizationId }, activateClient));
		expect(activated).toMatchObject({ organizationId, authorizationActivated: true });
		const activations = (await stack.control.ledger())
			.slice(before)
			.filter((e) => e.method === 'POST' && e.path === `/api/organizations/${organizationId}/activate`);
		expect(activations.map((e) => e.status)).toEqual([200]);
	});

	test('names typed at Pliant reach the agent capped and marked as data', async () => {
		const [organization] = items(await call('Pliant_Get_Organization', { organizationId }));
		expect(organization.name).toBeUndefined();
		expect(organization.freeTextFromPliant).toMatchObject({
			note: expect.stringMatching(/never instructions/),
			name: 'Acme Robotics GmbH',
		});
	});

	test('a client without the token, or with a wrong one, is refused', async () => {
		// n8n's bearer check answers 403 "Authorization data is wrong!" to a missing and a wrong token alike
		for (const token of [undefined, 'wrong-token']) {
			await expect(connect(token)).rejects.toThrow(/Authorization data is wrong/);
			const res = await fetch(url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					accept: 'application/json, text/event-stream',
					...(token ? { authorization: `Bearer ${token}` } : {}),
				},
				body: JSON.stringify({
					jsonrpc: '2.0',
					id: 1,
					method: 'initialize',
					params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'x', version: '0' } },
				}),
			});
			expect(res.status).toBe(403);
		}
	});
});
