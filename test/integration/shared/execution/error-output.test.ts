/**
 * "On Error: Continue (using error output)" in n8n-core's real engine (its own
 * handleNodeErrorOutput) against the in-process emulator: every failed item leaves on the
 * error output (invalid input, Pliant errors, ambiguous failures, dry-run rows with problems),
 * good items stay on the success output with their pairedItem, and Continue (regular output)
 * keeps every item on the one output as before.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { PATHS } from '../../../../nodes/shared/contract';
import { emulatorCredentials, PliantCredentialsHelper, runNode, type RunNodeResult } from '../../../support/engine';
import { forgetProcessMemory } from '../../../support/process-memory';
import { Harness, validLead } from '../../../unit/emulator/helpers';

let harness: Harness;
let credentialsHelper: PliantCredentialsHelper;

const LEAD: INodeParameters = {
	operation: 'create',
	companyName: '={{ $json.name }}',
	country: '={{ $json.country }}',
	industry: '={{ $json.industry }}',
	partnerOrganizationId: '={{ $json.id }}',
	additionalFields: {},
	options: {},
};

const row = (id: string, overrides: IDataObject = {}): IDataObject => ({
	id,
	name: `Company ${id}`,
	country: 'DE',
	industry: 'COMPUTER_SOFTWARE',
	...overrides,
});

function leadPosts(ids: string[]): number {
	return harness.emu.state.ledger.filter(
		(entry) => entry.method === 'POST' && entry.path === '/api/leads' && ids.includes(String((entry.body as IDataObject)?.partnerOrganizationId)),
	).length;
}

function paired(result: RunNodeResult, output: number): number[] {
	return (result.outputs[output] ?? []).map((item) => (item.pairedItem as { item: number }).item);
}

beforeAll(async () => {
	harness = await Harness.start();
});
afterAll(async () => {
	await harness.stop();
});
beforeEach(() => {
	forgetProcessMemory();
	credentialsHelper = new PliantCredentialsHelper(emulatorCredentials(harness.emu));
});

describe('Create Lead with the error output', () => {
	it('3 leads, the 2nd invalid: 2 on the success output, 1 on the error output, 2 leads created', async () => {
		const ids = ['eo-1', 'eo-2', 'eo-3'];
		const result = await runNode({
			nodeType: 'pliantCreateLead',
			parameters: LEAD,
			items: [row(ids[0]), row(ids[1], { industry: '' }), row(ids[2])],
			credentialsHelper,
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		expect(paired(result, 0)).toEqual([0, 2]);
		expect(paired(result, 1)).toEqual([1]);
		expect(result.outputs[1][0].json.error).toBe('Industry is empty [item 1]');
		expect(result.outputs[0].map((item) => item.json.duplicate)).toEqual([false, false]);
		expect(leadPosts(ids)).toBe(2);
		expect(harness.emu.state.findLead(ids[1])).toBeUndefined();
	});

	it('a Pliant error and an ambiguous failure leave on the error output too', async () => {
		const ids = ['eo-500', 'eo-ok', 'eo-reset'];
		harness.emu.state.faults.push(
			{ route: 'POST /api/leads', kind: 'status', status: 400, bodyIncludes: '"eo-500"' },
			{ route: 'POST /api/leads', kind: 'reset', processBeforeReset: true, bodyIncludes: '"eo-reset"' },
		);
		const result = await runNode({
			nodeType: 'pliantCreateLead',
			parameters: LEAD,
			items: ids.map((id) => row(id)),
			credentialsHelper,
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		expect(paired(result, 0)).toEqual([1]);
		expect(paired(result, 1)).toEqual([0, 2]);
		const [rejected, ambiguous] = result.outputs[1].map((item) => String(item.json.error));
		expect(rejected).toMatch(/Pliant rejected the request as invalid/);
		expect(ambiguous).toMatch(/may have created the lead/);
	});

	it('Continue (regular output) keeps the error item on the one output, as before', async () => {
		const result = await runNode({
			nodeType: 'pliantCreateLead',
			parameters: LEAD,
			items: [row('reg-1'), row('reg-2', { industry: '' })],
			credentialsHelper,
			continueOnFail: true,
		});
		expect(result.outputs).toHaveLength(1);
		expect(paired(result, 0)).toEqual([0, 1]);
		expect(result.items[1].json).toEqual({
			error: 'Industry is empty [item 1]',
			description: expect.any(String),
		});
	});

	it('Dry Run: valid rows on the success output with the body, every invalid row on the error output; nothing sent', async () => {
		const ledgerBefore = harness.emu.state.ledger.length;
		const result = await runNode({
			nodeType: 'pliantCreateLead',
			parameters: { ...LEAD, options: { dryRun: true } },
			items: [row('dry-1', { country: 'Germany' }), row('dry-2', { name: '', industry: 'Narnia' })],
			credentialsHelper,
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		expect(harness.emu.state.ledger.length).toBe(ledgerBefore);
		expect(result.outputs[0].map((item) => item.json)).toEqual([
			expect.objectContaining({
				dryRun: true,
				valid: true,
				body: { partnerOrganizationId: 'dry-1', company: { name: 'Company dry-1', country: 'DE', industry: 'COMPUTER_SOFTWARE' } },
				normalised: { country: 'Germany → DE' },
			}),
		]);
		const [invalid] = result.outputs[1];
		expect(invalid.pairedItem).toEqual({ item: 1 });
		expect(String(invalid.json.error)).toMatch(/^Lead not valid, 2 problems: Company Name is empty; Industry "Narnia" .* \[item 1\]$/);
	});
});

describe('Onboarding Status with the error output', () => {
	it('Get with 1 valid and 1 invalid ID: 1 item on each output', async () => {
		const organizationId = await harness.createOrganization(validLead());
		const result = await runNode({
			nodeType: 'pliantOnboardingStatus',
			parameters: { operation: 'get', organizationId: '={{ $json.org }}', simplify: true },
			items: [{ org: organizationId }, { org: 'not-a-uuid' }],
			credentialsHelper,
			onError: 'continueErrorOutput',
		});
		expect(paired(result, 0)).toEqual([0]);
		expect(result.outputs[0][0].json).toMatchObject({ organizationId });
		expect(paired(result, 1)).toEqual([1]);
		expect(String(result.outputs[1][0].json.error)).toMatch(/not a valid Pliant organization ID \[item 1\]/);
	});

	it('version 2 (Organization by ID in the resource locator): the invalid ID leaves on the error output', async () => {
		const organizationId = await harness.createOrganization(validLead());
		const result = await runNode({
			nodeType: 'pliantOnboardingStatus',
			typeVersion: 2,
			parameters: { operation: 'get', organizationId: { __rl: true, mode: 'id', value: '={{ $json.org }}' }, simplify: true },
			items: [{ org: organizationId }, { org: 'not-a-uuid' }],
			credentialsHelper,
			onError: 'continueErrorOutput',
		});
		expect(result.error).toBeUndefined();
		expect(paired(result, 0)).toEqual([0]);
		expect(paired(result, 1)).toEqual([1]);
		expect(String(result.outputs[1][0].json.error)).toMatch(/not a valid Pliant organization ID \[item 1\]/);
	});

	it('a 404 from Pliant leaves on the error output', async () => {
		const organizationId = await harness.createOrganization(validLead());
		const missing = '00000000-0000-4000-8000-00000000dead';
		const result = await runNode({
			nodeType: 'pliantOnboardingStatus',
			parameters: { operation: 'get', organizationId: '={{ $json.org }}', simplify: true },
			items: [{ org: missing }, { org: organizationId }],
			credentialsHelper,
			onError: 'continueErrorOutput',
		});
		expect(paired(result, 0)).toEqual([1]);
		expect(paired(result, 1)).toEqual([0]);
		expect(result.outputs[1][0].json.error).toBe('Organization not found');
		expect(harness.emu.state.ledger.some((entry) => entry.path === `/api${PATHS.organization(missing)}`)).toBe(true);
	});
});
