import { COUNTRIES } from '../../../nodes/shared/fields/countries';
import { INDUSTRIES } from '../../../nodes/shared/fields/industries';
import { Harness, validLead } from './helpers';

describe('emulator: POST /api/leads', () => {
	let harness: Harness;

	beforeAll(async () => {
		harness = await Harness.start();
	});
	afterAll(() => harness.stop());

	const post = (body: unknown, headers?: Record<string, string>) =>
		harness.api('POST', '/leads', body, headers);

	it('creates a lead: 201 {leadId, partnerOrganizationId, status RECEIVED, createdAt}', async () => {
		const lead = validLead();
		const result = await post(lead);
		expect(result.status).toBe(201);
		expect(result.body).toEqual({
			leadId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			partnerOrganizationId: lead.partnerOrganizationId,
			status: 'RECEIVED',
			createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
		});
	});

	it('keeps the exact body in the ledger and in the state', async () => {
		const lead = validLead();
		const created = await post(lead);
		const ledger = await harness.control('GET', '/ledger?path=/api/leads&method=POST');
		const entry = ledger.body.entries.find(
			(item: { body: { partnerOrganizationId: string } }) =>
				item.body?.partnerOrganizationId === lead.partnerOrganizationId,
		);
		expect(entry).toMatchObject({
			method: 'POST',
			path: '/api/leads',
			status: 201,
			body: lead,
			route: 'POST /api/leads',
		});
		const state = await harness.control('GET', '/state');
		const stored = state.body.leads.find(
			(item: { leadId: string }) => item.leadId === created.body.leadId,
		);
		expect(stored.request).toEqual(lead);
	});

	it('accepts only the required fields', async () => {
		const result = await post({
			partnerOrganizationId: `minimal-${Date.now()}`,
			company: { name: 'Minimal GmbH', country: 'AT', industry: 'BANKING' },
		});
		expect(result.status).toBe(201);
	});

	it('answers 409 LEAD_ALREADY_EXISTS with the existing leadId for a repeated partnerOrganizationId', async () => {
		const lead = validLead();
		const first = await post(lead);
		const second = await post({ ...lead, company: { ...lead.company, name: 'Other name' } });
		expect(second.status).toBe(409);
		expect(second.body).toEqual({
			code: 'LEAD_ALREADY_EXISTS',
			message: expect.any(String),
			leadId: first.body.leadId,
		});
	});

	describe('countries', () => {
		it('has the 68 seed countries', () => {
			expect(COUNTRIES).toHaveLength(68);
		});

		it.each(COUNTRIES.map((country) => [country.code, country.name]))(
			'accepts %s (%s) as company and address country',
			async (code) => {
				const lead = validLead();
				const result = await post({
					...lead,
					company: {
						...lead.company,
						country: code,
						address: { ...lead.company.address, country: code },
					},
				});
				expect(result.status).toBe(201);
			},
		);

		it.each([
			['CN', 'a country outside the seed list'],
			['de', 'lower case'],
			['DEU', 'alpha-3'],
			['Germany', 'a name'],
		])('rejects %s (%s)', async (code) => {
			const lead = validLead();
			const result = await post({ ...lead, company: { ...lead.company, country: code } });
			expect(result.status).toBe(400);
			expect(result.body.code).toBe('ILLEGAL_ARGUMENTS_PROVIDED');
			expect(result.body.details).toEqual([
				{ field: 'company.country', message: expect.stringContaining('ISO 3166-1 alpha-2') },
			]);
		});

		it('validates address.country too', async () => {
			const lead = validLead();
			const result = await post({
				...lead,
				company: { ...lead.company, address: { country: 'CN' } },
			});
			expect(result.status).toBe(400);
			expect(result.body.details).toEqual([
				{ field: 'company.address.country', message: expect.any(String) },
			]);
		});
	});

	it('accepts every seed industry and rejects others', async () => {
		for (const industry of INDUSTRIES) {
			const lead = validLead();
			const result = await post({ ...lead, company: { ...lead.company, industry } });
			expect(result.status).toBe(201);
		}
		const lead = validLead();
		const bad = await post({
			...lead,
			company: { ...lead.company, industry: 'Computer Software' },
		});
		expect(bad.status).toBe(400);
		expect(bad.body.details).toEqual([{ field: 'company.industry', message: expect.any(String) }]);
	}, 30_000); // 152 requests: slow on a saturated machine

	it('rejects a tradeName over 20 characters, accepts exactly 20', async () => {
		const lead = validLead();
		const ok = await post({ ...lead, company: { ...lead.company, tradeName: 'x'.repeat(20) } });
		expect(ok.status).toBe(201);
		const other = validLead();
		const bad = await post({ ...other, company: { ...other.company, tradeName: 'x'.repeat(21) } });
		expect(bad.status).toBe(400);
		expect(bad.body.details).toEqual([
			{ field: 'company.tradeName', message: expect.stringContaining('20') },
		]);
	});

	it('names every missing required field', async () => {
		const result = await post({ company: {} });
		expect(result.status).toBe(400);
		expect(result.body).toEqual({
			code: 'ILLEGAL_ARGUMENTS_PROVIDED',
			message: expect.any(String),
			details: expect.arrayContaining([
				{ field: 'partnerOrganizationId', message: 'is required' },
				{ field: 'company.name', message: 'is required' },
				{ field: 'company.country', message: 'is required' },
				{ field: 'company.industry', message: 'is required' },
			]),
		});
		expect(result.body.details).toHaveLength(4);
	});

	it('requires firstName, lastName and a valid email on each contact person', async () => {
		const lead = validLead();
		const result = await post({
			...lead,
			contactPersons: [
				{ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.example' },
				{ firstName: 'Bob', email: 'not-an-email' },
			],
		});
		expect(result.status).toBe(400);
		expect(result.body.details).toEqual([
			{ field: 'contactPersons[1].lastName', message: 'is required' },
			{ field: 'contactPersons[1].email', message: 'must be a valid email address' },
		]);
	});

	it('rejects unknown fields at every level', async () => {
		const lead = validLead();
		const result = await post({
			...lead,
			extra: 1,
			company: {
				...lead.company,
				tradename: 'typo',
				address: { ...lead.company.address, zip: '1' },
			},
			contactPersons: [{ ...lead.contactPersons![0], mobile: '1' }],
		});
		expect(result.status).toBe(400);
		expect(result.body.details).toEqual(
			expect.arrayContaining([
				{ field: 'extra', message: 'is not a known field' },
				{ field: 'company.tradename', message: 'is not a known field' },
				{ field: 'company.address.zip', message: 'is not a known field' },
				{ field: 'contactPersons[0].mobile', message: 'is not a known field' },
			]),
		);
		expect(result.body.details).toHaveLength(4);
	});

	it('checks types and money', async () => {
		const lead = validLead();
		const result = await post({
			...lead,
			demoConductedByPartner: 'no',
			company: {
				...lead.company,
				numberOfEmployees: 1.5,
				expectedMonthlySpend: { value: 10.5, currency: 'USD' },
			},
		});
		expect(result.status).toBe(400);
		expect(result.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
			'company.expectedMonthlySpend.currency',
			'company.expectedMonthlySpend.value',
			'company.numberOfEmployees',
			'demoConductedByPartner',
		]);
	});

	it('rejects malformed JSON, a non-JSON content type and an empty body', async () => {
		const malformed = await post('{"partnerOrganizationId":', {
			'content-type': 'application/json',
		});
		expect(malformed.status).toBe(400);
		expect(malformed.body.code).toBe('ILLEGAL_ARGUMENTS_PROVIDED');
		const form = await post('a=b', { 'content-type': 'application/x-www-form-urlencoded' });
		expect(form.status).toBe(400);
		expect(form.body.message).toMatch(/Content-Type/);
		const empty = await post(undefined);
		expect(empty.status).toBe(400);
		expect(empty.body.details).toEqual([{ field: '(body)', message: 'is required' }]);
	});
});
