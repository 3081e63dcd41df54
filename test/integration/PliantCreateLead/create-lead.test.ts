/**
 * Pliant Create Lead inside n8n-core's real engine (test/support/engine.ts) against the local
 * emulator in-process: the credential's preAuthentication fetches a real token, the node's
 * POSTs go over HTTP, and the emulator's ledger shows what arrived.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startEmulator, type RunningEmulator } from '../../../emulator/server';
import { forgetProcessMemory } from '../../support/process-memory';
import { emulatorCredentials, PliantCredentialsHelper, runNode } from '../../support/engine';
import { CONTRACT_LEAD, CONTRACT_LEAD_ADDITIONAL_FIELDS } from '../../support/fixtures';

/** Everything mapped from the incoming item, as a CRM workflow does it. */
const MAPPED: INodeParameters = {
	operation: 'create',
	companyName: '={{ $json.name }}',
	country: '={{ $json.country }}',
	industry: '={{ $json.industry }}',
	partnerOrganizationId: '={{ $json.id }}',
	contactPersons: {
		contactPerson: [
			{
				firstName: '={{ $json.firstName }}',
				lastName: '={{ $json.lastName }}',
				email: '={{ $json.email }}',
				phoneNumber: '',
				role: 'CFO',
				isPrimary: true,
			},
		],
	},
	additionalFields: {},
	options: {},
};

function company(id: string, overrides: IDataObject = {}): IDataObject {
	return {
		id,
		name: `Company ${id}`,
		country: 'Germany',
		industry: 'Computer Software',
		firstName: 'Ada',
		lastName: 'Lovelace',
		email: `ada.${id}@acme.example`,
		...overrides,
	};
}

function leadPosts(emulator: RunningEmulator) {
	return emulator.state.ledger.filter((entry) => entry.method === 'POST' && entry.path === '/api/leads');
}

describe('Pliant Create Lead against the emulator (real engine)', () => {
	let emulator: RunningEmulator;
	let credentials: PliantCredentialsHelper;

	beforeAll(async () => {
		emulator = await startEmulator({ port: 0 });
	});
	afterAll(async () => {
		await emulator.stop();
	});
	beforeEach(() => {
		forgetProcessMemory();
		emulator.state.reset({ tokens: true });
		credentials = new PliantCredentialsHelper(emulatorCredentials(emulator));
	});

	it('creates a lead: the emulator receives exactly the contract body', async () => {
		const result = await runNode({
			nodeType: 'pliantCreateLead',
			credentialsHelper: credentials,
			parameters: {
				...MAPPED,
				// the contract example, with what a user may type and the node must normalise
				additionalFields: {
					...CONTRACT_LEAD_ADDITIONAL_FIELDS,
					website: 'acme.example',
					expectedMonthlySpend: 25000.5,
					address: { addressFields: { ...CONTRACT_LEAD.company.address, country: '' } },
				},
			},
			items: [company('crm-4711', { industry: 'computer_software', country: 'DEU' })],
		});
		expect(result.error).toBeUndefined();
		expect(result.tokenRequests).toBe(1);

		const [post] = leadPosts(emulator);
		expect(leadPosts(emulator)).toHaveLength(1);
		expect(post.status).toBe(201);
		expect(post.headers.authorization).toBe('Bearer ***');
		// the contract example again (website with its scheme, address country from the company),
		// but for the mapped item's name and contact, and the spend to the cent
		expect(post.body).toEqual({
			...CONTRACT_LEAD,
			company: {
				...CONTRACT_LEAD.company,
				name: 'Company crm-4711',
				expectedMonthlySpend: { value: 2500050, currency: 'EUR' },
			},
			contactPersons: [
				{ firstName: 'Ada', lastName: 'Lovelace', email: 'ada.crm-4711@acme.example', role: 'CFO', isPrimary: true },
			],
		});

		const lead = emulator.state.findLead('crm-4711');
		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items[0].json).toEqual({
			leadId: lead?.leadId,
			status: 'RECEIVED',
			createdAt: lead?.createdAt,
			partnerOrganizationId: 'crm-4711',
			duplicate: false,
			normalised: { country: 'DEU → DE', industry: 'computer_software → COMPUTER_SOFTWARE' },
			sent: expect.objectContaining({
				companyName: 'Company crm-4711',
				country: 'DE',
				industry: 'COMPUTER_SOFTWARE',
				contactPersons: 1,
			}) as IDataObject,
		});
	});

	it('duplicate with Return Existing Lead: outputs the existing lead with duplicate: true', async () => {
		const first = await runNode({
			nodeType: 'pliantCreateLead',
			credentialsHelper: credentials,
			parameters: MAPPED,
			items: [company('dup-1')],
		});
		const existingId = first.items[0].json.leadId;
		expect(existingId).toEqual(expect.any(String));

		const second = await runNode({
			nodeType: 'pliantCreateLead',
			credentialsHelper: credentials,
			parameters: MAPPED,
			items: [company('dup-1', { name: 'Renamed GmbH' })],
		});
		expect(second.error).toBeUndefined();
		expect(second.items).toEqual([
			{
				json: expect.objectContaining({ leadId: existingId, partnerOrganizationId: 'dup-1', duplicate: true }) as IDataObject,
				pairedItem: { item: 0 },
			},
		]);
		expect(leadPosts(emulator).map((entry) => entry.status)).toEqual([201, 409]);
		expect(emulator.state.leads.size).toBe(1);
		// The token from the first run is reused by the second.
		expect(credentials.tokenRequests).toBe(1);
		expect(emulator.state.counters.tokenRequests).toBe(1);
	});

	it('duplicate with Fail: the run stops with an error naming the existing lead', async () => {
		await runNode({ nodeType: 'pliantCreateLead', credentialsHelper: credentials, parameters: MAPPED, items: [company('dup-2')] });
		const existingId = emulator.state.findLead('dup-2')?.leadId;

		const result = await runNode({
			nodeType: 'pliantCreateLead',
			credentialsHelper: credentials,
			parameters: { ...MAPPED, options: { onDuplicate: 'fail' } },
			items: [company('dup-2')],
		});
		expect(result.error?.message).toBe(
			`A lead with Partner Organization ID "dup-2" already exists at Pliant (lead ${existingId}) [item 0]`,
		);
		expect(result.items).toEqual([]);
		expect(emulator.state.leads.size).toBe(1);
	});

	it('Continue On Fail: the bad item becomes an error item with pairedItem, the others are created', async () => {
		const result = await runNode({
			nodeType: 'pliantCreateLead',
			credentialsHelper: credentials,
			continueOnFail: true,
			parameters: MAPPED,
			items: [
				company('cof-1'),
				company('cof-2', { email: 'not-an-email' }),
				company('cof-3', { country: 'Atlantis' }),
				company('cof-4'),
			],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(result.items[0].json).toMatchObject({ partnerOrganizationId: 'cof-1', duplicate: false });
		expect(result.items[1].json.error).toBe('Invalid email "not-an-email" in contact person 1 [item 1]');
		expect(String(result.items[2].json.error)).toMatch(/^Country "Atlantis" is not a country Pliant accepts; .* \[item 2\]$/);
		expect(result.items[3].json).toMatchObject({ partnerOrganizationId: 'cof-4', duplicate: false });
		// Nothing was sent for the bad items.
		expect(leadPosts(emulator).map((entry) => (entry.body as IDataObject).partnerOrganizationId).sort()).toEqual([
			'cof-1',
			'cof-4',
		]);
	});

	it('without Continue On Fail, a bad item stops the run with a NodeOperationError naming it', async () => {
		const result = await runNode({
			nodeType: 'pliantCreateLead',
			credentialsHelper: credentials,
			parameters: MAPPED,
			items: [company('stop-1', { industry: 'Fintech' })],
		});
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.error?.message).toMatch(/^Industry "Fintech" is not an industry Pliant accepts; .* \[item 0\]$/);
		expect(leadPosts(emulator)).toHaveLength(0);
		expect(emulator.state.counters.tokenRequests).toBe(0);
	});
});

describe('1,000 items with the emulator rate limit on', () => {
	// Scaled down from 900 per 5 minutes so the test takes seconds: 250 per second, and the
	// credential told the same, as a user of the custom environment would.
	const RATE = { requests: 250, windowMs: 1000 };
	let emulator: RunningEmulator;

	beforeAll(async () => {
		emulator = await startEmulator({ port: 0, rateLimit: RATE });
	});
	afterAll(async () => {
		await emulator.stop();
	});

	it('sends every item once, fetches exactly 1 token, gets 0 responses 429, keeps input order', async () => {
		forgetProcessMemory();
		const credentials = new PliantCredentialsHelper(
			emulatorCredentials(emulator, {
				rateLimitRequests: RATE.requests,
				rateLimitWindowSeconds: RATE.windowMs / 1000,
			}),
		);
		const items = Array.from({ length: 1000 }, (_, index) => company(`bulk-${index}`));
		const started = Date.now();
		const result = await runNode({
			nodeType: 'pliantCreateLead',
			credentialsHelper: credentials,
			parameters: MAPPED,
			items,
		});
		const elapsed = Date.now() - started;

		expect(result.error).toBeUndefined();
		// n8n asks the credential once per item in flight without a token; one token is fetched
		expect(result.tokenRequests).toBeLessThanOrEqual(4);
		expect(emulator.state.counters.tokenRequests).toBe(1);
		expect(emulator.state.counters.rateLimited).toBe(0);
		const posts = leadPosts(emulator);
		expect(posts.filter((entry) => entry.status === 429)).toHaveLength(0);
		expect(posts).toHaveLength(1000);
		expect(posts.every((entry) => entry.status === 201)).toBe(true);
		expect(emulator.state.leads.size).toBe(1000);

		expect(result.items).toHaveLength(1000);
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.partnerOrganizationId).toBe(`bulk-${index}`);
			expect(item.json.leadId).toBe(emulator.state.findLead(`bulk-${index}`)?.leadId);
		});
		// The limiter paced the batch: 1,000 requests need at least 4 windows of 245.
		expect(elapsed).toBeGreaterThanOrEqual(3 * RATE.windowMs);
	}, 180_000);
});
