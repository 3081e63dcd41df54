import { Harness, validLead, type LooseJson } from './helpers';

describe('emulator: organizations', () => {
	let harness: Harness;

	beforeEach(async () => {
		harness = await Harness.start();
	});
	afterEach(() => harness.stop());

	it('GET /organizations/{id} returns the Organization entity', async () => {
		const lead = validLead();
		const id = await harness.createOrganization(lead);
		const result = await harness.api('GET', `/organizations/${id}`);
		expect(result.status).toBe(200);
		expect(result.body).toMatchObject({
			organizationId: id,
			name: lead.company.name,
			status: 'ONBOARDING_STARTED',
			partnersOrganizationId: lead.partnerOrganizationId,
			tradeName: lead.company.tradeName,
			legalForm: lead.company.legalForm,
			country: lead.company.country,
			accountType: 'CREDIT',
			creditLimit: { value: 0, currency: 'EUR' },
			availableLimit: { value: 0, currency: 'EUR' },
		});
	});

	it('GET /organizations/{id} answers 404 NOT_FOUND for an unknown id', async () => {
		const result = await harness.api('GET', '/organizations/00000000-0000-4000-8000-000000000000');
		expect(result.status).toBe(404);
		expect(result.body).toEqual({ code: 'NOT_FOUND', message: expect.any(String) });
	});

	describe('GET /organizations (list)', () => {
		let ids: string[];

		beforeEach(async () => {
			ids = [];
			for (const name of ['Charlie', 'Alpha', 'Bravo']) {
				const lead = validLead();
				ids.push(await harness.createOrganization({ ...lead, company: { ...lead.company, name } }));
			}
			await harness.control('POST', `/organizations/${ids[1]}/advance`);
		});

		it('returns {organizations, hasNextPage} with defaults', async () => {
			const result = await harness.api('GET', '/organizations');
			expect(result.status).toBe(200);
			expect(result.body.hasNextPage).toBe(false);
			expect(
				result.body.organizations.map((o: { organizationId: string }) => o.organizationId),
			).toEqual(ids);
		});

		it('pages from 0 with limit', async () => {
			const first = await harness.api('GET', '/organizations?page=0&limit=2');
			expect(first.body.organizations).toHaveLength(2);
			expect(first.body.hasNextPage).toBe(true);
			const second = await harness.api('GET', '/organizations?page=1&limit=2');
			expect(second.body.organizations).toHaveLength(1);
			expect(second.body.hasNextPage).toBe(false);
			const beyond = await harness.api('GET', '/organizations?page=5&limit=2');
			expect(beyond.body).toEqual({ organizations: [], hasNextPage: false });
		});

		it('filters by status and sorts', async () => {
			const risk = await harness.api('GET', '/organizations?status=ONBOARDING_RISK_AND_COMPLIANCE');
			expect(
				risk.body.organizations.map((o: { organizationId: string }) => o.organizationId),
			).toEqual([ids[1]]);
			const asc = await harness.api('GET', '/organizations?sortBy=name&sortDirection=ASC');
			expect(asc.body.organizations.map((o: { name: string }) => o.name)).toEqual([
				'Alpha',
				'Bravo',
				'Charlie',
			]);
			const desc = await harness.api('GET', '/organizations?sortBy=name&sortDirection=DESC');
			expect(desc.body.organizations.map((o: { name: string }) => o.name)).toEqual([
				'Charlie',
				'Bravo',
				'Alpha',
			]);
		});

		it('accepts limit 1000 and rejects limit beyond 1000, 0, negative pages and unknown parameters with 400', async () => {
			expect((await harness.api('GET', '/organizations?limit=1000')).status).toBe(200);
			for (const query of [
				'limit=1001',
				'limit=0',
				'page=-1',
				'page=x',
				'status=PENDING',
				'sortDirection=up',
				'sortBy=secret',
				'foo=1',
			]) {
				const result = await harness.api('GET', `/organizations?${query}`);
				expect(result.status).toBe(400);
				expect(result.body.code).toBe('ILLEGAL_ARGUMENTS_PROVIDED');
				expect(result.body.details).toHaveLength(1);
			}
		});
	});

	describe('GET /organizations/{id}/risk', () => {
		it('follows the onboarding steps', async () => {
			const id = await harness.createOrganization();
			const risk = async () => (await harness.api('GET', `/organizations/${id}/risk`)).body;
			const initial = await risk();
			expect(initial).toEqual({
				organizationId: id,
				representatives: [
					{
						representativeId: expect.any(String),
						name: 'Ada Lovelace',
						submissionStatus: 'INTERNAL_ONLY',
						legitimationStatus: 'PENDING',
					},
				],
				documents: [{ category: 'COMPANY_REGISTRY_EXTRACT', customerStatus: 'REQUESTED' }],
				bankConnection: { status: 'NOT_CONNECTED' },
				directDebit: { status: 'PENDING' },
			});
			const expectations: Array<(body: LooseJson) => void> = [
				(b) => expect(b.representatives[0].submissionStatus).toBe('INTERNAL_ONLY'), // step 2: state only
				(b) => expect(b.representatives[0].submissionStatus).toBe('INFO_REQUESTED'),
				(b) => expect(b.representatives[0].submissionStatus).toBe('SUBMITTED'),
				(b) => expect(b.representatives[0].legitimationStatus).toBe('VERIFIED'),
				(b) => expect(b.documents[0].customerStatus).toBe('UPLOADED'),
				(b) => expect(b.bankConnection.status).toBe('NOT_CONNECTED'), // step 7: state only
				(b) => expect(b.bankConnection.status).toBe('CONNECTED'),
				(b) => expect(b.directDebit.status).toBe('ACTIVE'),
			];
			for (const check of expectations) {
				await harness.control('POST', `/organizations/${id}/advance`);
				check(await risk());
			}
		});

		it('answers 403 ONBOARDING_DETAILS_NOT_SHARED when the organization does not share details', async () => {
			const id = await harness.createOrganization();
			const switched = await harness.control('POST', `/organizations/${id}/details-shared`, {
				shared: false,
			});
			expect(switched.body).toEqual({ organizationId: id, detailsShared: false });
			const result = await harness.api('GET', `/organizations/${id}/risk`);
			expect(result.status).toBe(403);
			expect(result.body).toEqual({
				code: 'ONBOARDING_DETAILS_NOT_SHARED',
				message: expect.any(String),
			});
			await harness.control('POST', `/organizations/${id}/details-shared`, { shared: true });
			expect((await harness.api('GET', `/organizations/${id}/risk`)).status).toBe(200);
		});

		it('404 for an unknown organization', async () => {
			expect((await harness.api('GET', '/organizations/nope/risk')).status).toBe(404);
		});
	});

	describe('POST /organizations/{id}/activate', () => {
		it('409 ILLEGAL_STATUS_TRANSITION before AUTHORIZATION_PENDING', async () => {
			const id = await harness.createOrganization();
			const result = await harness.api('POST', `/organizations/${id}/activate`);
			expect(result.status).toBe(409);
			expect(result.body).toEqual({
				code: 'ILLEGAL_STATUS_TRANSITION',
				message: expect.any(String),
			});
		});

		it('grants the authorization once, with or without syncFromDate', async () => {
			const id = await harness.createOrganization();
			await harness.control('POST', `/organizations/${id}/complete`);
			const result = await harness.api('POST', `/organizations/${id}/activate`, {
				syncFromDate: '2026-01-01',
			});
			expect(result.status).toBe(200);
			expect(result.body).toEqual({
				organizationId: id,
				status: 'ACTIVE',
				authorizationStatus: 'GRANTED',
				syncFromDate: '2026-01-01',
			});
			const again = await harness.api('POST', `/organizations/${id}/activate`);
			expect(again.status).toBe(409);
			expect(again.body.code).toBe('ILLEGAL_STATUS_TRANSITION');

			const other = await harness.createOrganization();
			await harness.control('POST', `/organizations/${other}/complete`);
			const bare = await harness.api('POST', `/organizations/${other}/activate`);
			expect(bare.status).toBe(200);
			expect(bare.body.syncFromDate).toBeNull();
		});

		it('validates the body strictly', async () => {
			const id = await harness.createOrganization();
			await harness.control('POST', `/organizations/${id}/complete`);
			for (const body of [
				{ syncFromDate: '01.01.2026' },
				{ syncFromDate: '2026-02-30' },
				{ from: '2026-01-01' },
			]) {
				const result = await harness.api('POST', `/organizations/${id}/activate`, body);
				expect(result.status).toBe(400);
				expect(result.body.code).toBe('ILLEGAL_ARGUMENTS_PROVIDED');
			}
		});

		it('404 for an unknown organization', async () => {
			const result = await harness.api('POST', '/organizations/nope/activate');
			expect(result.status).toBe(404);
			expect(result.body.code).toBe('NOT_FOUND');
		});
	});

	it('sets credit limits when the organization becomes ACTIVE', async () => {
		const id = await harness.createOrganization();
		await harness.control('POST', `/organizations/${id}/complete`);
		const result = await harness.api('GET', `/organizations/${id}`);
		expect(result.body.status).toBe('ACTIVE');
		expect(result.body.creditLimit).toEqual({ value: 5000000, currency: 'EUR' });
	});

	it('unknown API routes answer 404, wrong methods 405', async () => {
		const unknown = await harness.api('GET', '/cards');
		expect(unknown.status).toBe(404);
		expect(unknown.body.code).toBe('NOT_FOUND');
		const method = await harness.api('PUT', '/leads', {});
		expect(method.status).toBe(405);
	});
});
