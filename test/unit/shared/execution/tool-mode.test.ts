import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import nock from 'nock';

import example from '../../../../examples/pliant-ai-assistant-tools.json';
import { PliantCreateLead } from '../../../../nodes/PliantCreateLead/PliantCreateLead.node';
import { PliantOnboardingStatus } from '../../../../nodes/PliantOnboardingStatus/PliantOnboardingStatus.node';
import { COUNTRIES } from '../../../../nodes/shared/fields/countries';
import { INDUSTRIES } from '../../../../nodes/shared/fields/industries';
import { FREE_TEXT_NOTE, runsAsTool } from '../../../../nodes/shared/execution/tool-mode';
import { API, execute, failure, fakeContextFor, type FakeRun } from '../../../support/fake-execute-context';
import { CONTRACT_LEAD_CREATED, ORG_ID, ORGANIZATION, leadParameters } from '../../../support/fixtures';
import { useNock } from '../../../support/nock';

const createLead = fakeContextFor(PliantCreateLead);
const onboardingStatus = fakeContextFor(PliantOnboardingStatus);

const CREATED = CONTRACT_LEAD_CREATED;

/** As n8n 2.x calls a node for an AI agent or MCP client. */
function asTool(run: FakeRun): FakeRun {
	(run.context.isToolExecution as jest.Mock).mockReturnValue(true);
	return run;
}

useNock();

describe('runsAsTool', () => {
	const context = (type: string, isToolExecution?: () => boolean) =>
		({ getNode: () => ({ type }), ...(isToolExecution ? { isToolExecution } : {}) }) as unknown as IExecuteFunctions;

	it('asks n8n 2.x (isToolExecution), whatever the type', () => {
		expect(runsAsTool(context('n8n-nodes-pliant.pliantCreateLeadTool', () => false))).toBe(false);
		expect(runsAsTool(context('n8n-nodes-pliant.pliantCreateLead', () => true))).toBe(true);
	});

	it('on n8n 1.x (no isToolExecution) knows the tool by the generated type name', () => {
		expect(runsAsTool(context('n8n-nodes-pliant.pliantCreateLeadTool'))).toBe(true);
		expect(runsAsTool(context('n8n-nodes-pliant.pliantCreateLead'))).toBe(false);
	});
});

describe('Create Lead as a tool', () => {
	it('outputs the IDs, status and what was normalised instead of the full item', async () => {
		nock(API).post('/leads').reply(201, CREATED);
		const output = await execute(
			asTool(createLead(leadParameters({ country: ' Germany', industry: 'Computer Software' }))),
		);
		expect(output).toEqual([
			{
				json: {
					leadId: CREATED.leadId,
					status: 'RECEIVED',
					partnerOrganizationId: 'crm-4711',
					duplicate: false,
					normalised: { country: 'Germany → DE', industry: 'Computer Software → COMPUTER_SOFTWARE' },
					message: 'Lead created at Pliant.',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('says nothing was normalised when the values were Pliant’s already; the normal output keeps `sent`', async () => {
		nock(API).post('/leads').twice().reply(201, CREATED);
		const [tool] = await execute(asTool(createLead(leadParameters())));
		expect(tool.json).not.toHaveProperty('normalised');
		expect(tool.json).not.toHaveProperty('sent');
		const [normal] = await execute(createLead(leadParameters()));
		expect(normal.json).toMatchObject({ leadId: CREATED.leadId, sent: expect.any(Object) });
	});

	it('answers a repeated partner organization ID with the existing lead', async () => {
		nock(API)
			.post('/leads')
			.reply(409, { code: 'LEAD_ALREADY_EXISTS', leadId: CREATED.leadId, message: 'exists' });
		const [item] = await execute(asTool(createLead(leadParameters())));
		expect(item.json).toMatchObject({ leadId: CREATED.leadId, duplicate: true });
		expect(item.json.message).toMatch(/already existed at Pliant: this is that lead, no new lead was created/);
	});

	it('fails an unknown country with the value, the closest countries and what to pass; nothing is sent', async () => {
		const run = asTool(createLead(leadParameters({ country: 'Narnia' })));
		const error = await failure(execute(run));
		expect(run.requests).not.toHaveBeenCalled();
		expect(error.message).toMatch(/^Country "Narnia" is not a country Pliant accepts; did you mean .+ \([A-Z]{2}\)/);
		expect(error.message).not.toMatch(/item/);
		expect(error.description).toMatch(/^Pass an ISO 3166-1 alpha-2 code or the English name of a country Pliant accepts: AL, AD, /);
		for (const country of COUNTRIES) expect(error.description).toContain(country.code);
	});

	it('fails an unknown industry with the closest values, without the editor hints', async () => {
		const error = await failure(execute(asTool(createLead(leadParameters({ industry: 'Softwre' })))));
		expect(error.message).toMatch(/^Industry "Softwre" is not an industry Pliant accepts; did you mean .*COMPUTER_SOFTWARE/);
		expect(error.description).toMatch(/^Pass one of the closest values above/);
		expect(error.description).not.toMatch(/HubSpot|Map /);
	});

	it('keeps Continue On Fail: the error becomes the item, in the tool wording', async () => {
		const run = asTool(createLead(leadParameters({ country: 'Narnia' }), { continueOnFail: true }));
		const [item] = await execute(run);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json.error).toMatch(/^Country "Narnia"/);
		expect(item.json.description).toMatch(/^Pass an ISO 3166-1 alpha-2 code/);
	});

	it('normal runs keep the item reference and the editor hint', async () => {
		const error = await failure(execute(createLead(leadParameters({ country: 'Narnia' }))));
		expect(error.message).toMatch(/\[item 0\]$/);
		expect(error.description).toMatch(/Country list/);
	});
});

describe('Onboarding Status as a tool', () => {
	it('Get outputs IDs, status and stage, whether Simplify is on or off', async () => {
		for (const simplify of [true, false]) {
			nock(API).get(`/organizations/${ORG_ID}`).reply(200, ORGANIZATION);
			const [item] = await execute(
				asTool(onboardingStatus({ operation: 'get', organizationId: ORG_ID, simplify })),
			);
			expect(item.json).toEqual({
				organizationId: ORG_ID,
				partnerOrganizationId: ORGANIZATION.partnersOrganizationId,
				status: 'ONBOARDING_RISK_AND_COMPLIANCE',
				stage: 'Risk and compliance — step 2 of 4',
				// a prospect's own words: apart, and marked as data
				freeTextFromPliant: { note: FREE_TEXT_NOTE, name: ORGANIZATION.name, tradeName: ORGANIZATION.tradeName },
			});
		}
	});

	it('Get Many with no match says so instead of an empty list', async () => {
		nock(API).get('/organizations').query(true).reply(200, { organizations: [], hasNextPage: false });
		const output = await execute(
			asTool(
				onboardingStatus({ operation: 'getMany', limit: 1, filters: { partnerOrganizationId: 'crm-1' } }),
			),
		);
		expect(output).toHaveLength(1);
		expect(output[0].json).toMatchObject({ found: 0, message: expect.stringMatching(/No organization/) });
	});

	it('an ID that is not a UUID fails without the item reference', async () => {
		const error = await failure(
			execute(asTool(onboardingStatus({ operation: 'get', organizationId: 'crm-4711' }))),
		);
		expect(error.message).toBe('Organization ID "crm-4711" is not a valid Pliant organization ID');
	});
});

describe('the "Pliant tools for your AI assistant" example', () => {
	const workflow = example as unknown as { nodes: Array<{ name: string; type: string; parameters: IDataObject }>; connections: IDataObject };
	const byName = new Map(workflow.nodes.map((node) => [node.name, node]));
	const fromAi = (expression: unknown) => {
		const match = /^=\{\{ \$fromAI\('(\w+)', '([^']+)', 'string'\) \}\}$/.exec(String(expression));
		if (!match) throw new Error(`not a $fromAI expression: ${String(expression)}`);
		return { key: match[1], description: match[2] };
	};

	it('wires every Pliant tool to the MCP Server Trigger with Bearer authentication', () => {
		const trigger = byName.get('MCP Server Trigger')!;
		expect(trigger.type).toBe('@n8n/n8n-nodes-langchain.mcpTrigger');
		expect(trigger.parameters).toMatchObject({ authentication: 'bearerAuth', path: 'pliant' });
		const tools = workflow.nodes.filter((node) => node.type.startsWith('n8n-nodes-pliant.'));
		expect(tools.map((node) => node.type).sort()).toEqual([
			'n8n-nodes-pliant.pliantCreateLeadTool',
			'n8n-nodes-pliant.pliantOnboardingStatusTool',
			'n8n-nodes-pliant.pliantOnboardingStatusTool',
			'n8n-nodes-pliant.pliantOnboardingStatusTool',
		]);
		for (const tool of tools) {
			expect(workflow.connections[tool.name]).toEqual({
				ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]],
			});
			expect(tool.parameters).toMatchObject({ descriptionType: 'manual', toolDescription: expect.any(String) });
		}
	});

	it('tells the assistant exactly which countries and industries Pliant accepts', () => {
		const create = byName.get('Pliant Create Lead')!.parameters;
		const country = fromAi(create.country);
		expect(country.description).toMatch(/ISO 3166-1 alpha-2 code such as DE, or the English country name/);
		for (const { code } of COUNTRIES) expect(country.description).toContain(` ${code}`);
		const industry = fromAi(create.industry);
		for (const value of INDUSTRIES) expect(industry.description).toMatch(new RegExp(`[ :]${value}[,.]`));
		expect(fromAi(create.partnerOrganizationId).description).toMatch(/returns the existing lead/);
	});
});
