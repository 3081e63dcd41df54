import type { ILoadOptionsFunctions } from 'n8n-workflow';
import nock from 'nock';

import { searchOrganizations } from '../../../nodes/PliantOnboardingStatus/list-search';
import { PliantOnboardingStatus } from '../../../nodes/PliantOnboardingStatus/PliantOnboardingStatus.node';
import { API, execute, fakeContextFor } from '../../support/fake-execute-context';
import { ORG_ID, ORGANIZATION } from '../../support/fixtures';
import { useNock } from '../../support/nock';

const fakeContext = fakeContextFor(PliantOnboardingStatus);

function org(index: number, extra: Record<string, unknown> = {}) {
	return {
		organizationId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
		name: `Org ${index}`,
		status: 'ONBOARDING_STARTED',
		partnersOrganizationId: `crm-${index}`,
		...extra,
	};
}

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const fromList = (value: string) => ({ __rl: true, mode: 'list', value, cachedResultName: 'Acme' });
const byPartner = (value: string) => ({ __rl: true, mode: 'partnerOrganizationId', value });

/** The list search runs in a load-options context: the fake execute context has what it uses. */
const loadOptions = () => fakeContext({}).context as unknown as ILoadOptionsFunctions;

useNock();

describe('Organization resource locator (version 2)', () => {
	it.each([
		['From List', fromList(ORG_ID)],
		['By ID', byId(` ${ORG_ID} `)],
	])('%s: gets the organization by its ID', async (_mode, locator) => {
		nock(API).get(`/organizations/${ORG_ID}`).reply(200, ORGANIZATION);
		const output = await execute(fakeContext({ operation: 'get', organizationId: locator }));
		expect(output[0].json.organizationId).toBe(ORG_ID);
	});

	it('version 1 still takes a plain string ID', async () => {
		nock(API).get(`/organizations/${ORG_ID}`).reply(200, ORGANIZATION);
		const output = await execute(fakeContext({ operation: 'get', organizationId: ORG_ID }));
		expect(output[0].json.organizationId).toBe(ORG_ID);
	});

	it('By ID rejects a CRM ID before any request, naming the item', async () => {
		const run = fakeContext({ operation: 'get', organizationId: byId('crm-4711') });
		await expect(execute(run)).rejects.toThrow(
			'Organization ID "crm-4711" is not a valid Pliant organization ID [item 0]',
		);
		expect(run.requests).not.toHaveBeenCalled();
	});

	it('By Partner Organization ID resolves the CRM ID with the partner filter, then reads the organization', async () => {
		nock(API)
			.get('/organizations')
			.query({ partnersOrganizationId: 'crm-4711', page: '0', limit: '1000' })
			.reply(200, { organizations: [ORGANIZATION], hasNextPage: false })
			.get(`/organizations/${ORG_ID}/risk`)
			.reply(200, { organizationId: ORG_ID, representatives: [], documents: [] });
		const output = await execute(
			fakeContext({ operation: 'getOnboardingDetails', organizationId: byPartner(' crm-4711 ') }),
		);
		expect(output[0].json.organizationId).toBe(ORG_ID);
	});

	it('By Partner Organization ID ignores other organizations should Pliant ignore the filter', async () => {
		nock(API)
			.get('/organizations')
			.query(true)
			.reply(200, { organizations: [org(1), ORGANIZATION, org(2)], hasNextPage: false })
			.get(`/organizations/${ORG_ID}`)
			.reply(200, ORGANIZATION);
		const output = await execute(fakeContext({ operation: 'get', organizationId: byPartner('crm-4711') }));
		expect(output[0].json.organizationId).toBe(ORG_ID);
	});

	it('no match: a clear error naming the partner ID and the item', async () => {
		nock(API).get('/organizations').query(true).reply(200, { organizations: [], hasNextPage: false });
		await expect(
			execute(fakeContext({ operation: 'get', organizationId: byPartner('crm-404') })),
		).rejects.toThrow('No Pliant organization has partner organization ID "crm-404" [item 0]');
	});

	it('several matches: a clear error naming the partner ID', async () => {
		nock(API)
			.get('/organizations')
			.query(true)
			.reply(200, {
				organizations: [org(1, { partnersOrganizationId: 'crm-x' }), org(2, { partnersOrganizationId: 'crm-x' })],
				hasNextPage: false,
			});
		await expect(
			execute(fakeContext({ operation: 'get', organizationId: byPartner('crm-x') })),
		).rejects.toThrow('2 Pliant organizations have partner organization ID "crm-x" [item 0]');
	});

	it('an empty partner ID fails before any request', async () => {
		const run = fakeContext({ operation: 'get', organizationId: byPartner('  ') });
		await expect(execute(run)).rejects.toThrow(
			'Organization (By Partner Organization ID) is empty [item 0]',
		);
		expect(run.requests).not.toHaveBeenCalled();
	});
});

describe('Activate Authorization checks the whole batch before it sends', () => {
	const valid = (index: number) => ({ organizationId: byId(org(index).organizationId) });

	it('items 0-1 valid and item 2 invalid: no activation, the error names item 2', async () => {
		const run = fakeContext(
			{ operation: 'activateAuthorization' },
			{ perItem: [valid(1), valid(2), { organizationId: byId('not-a-uuid') }] },
		);
		await expect(execute(run)).rejects.toThrow('is not a valid Pliant organization ID [item 2]');
		expect(run.requests).not.toHaveBeenCalled();
	});

	it('a partner ID without a match stops the batch before any activation', async () => {
		nock(API).get('/organizations').query(true).reply(200, { organizations: [], hasNextPage: false });
		const run = fakeContext(
			{ operation: 'activateAuthorization' },
			{ perItem: [valid(1), { organizationId: byPartner('crm-none') }] },
		);
		await expect(execute(run)).rejects.toThrow('partner organization ID "crm-none" [item 1]');
		const posts = run.requests.mock.calls.filter(([, request]) => request.method === 'POST');
		expect(posts).toHaveLength(0);
	});

	it('under Continue On Fail the valid items are activated and the invalid one is an error item', async () => {
		nock(API)
			.post(`/organizations/${org(1).organizationId}/activate`)
			.reply(204)
			.post(`/organizations/${org(2).organizationId}/activate`)
			.reply(204);
		const output = await execute(
			fakeContext(
				{ operation: 'activateAuthorization' },
				{ perItem: [valid(1), valid(2), { organizationId: byId('') }], continueOnFail: true },
			),
		);
		expect(output.map((item) => [item.json.authorizationActivated ?? item.json.error, item.pairedItem])).toEqual([
			[true, { item: 0 }],
			[true, { item: 1 }],
			['Organization ID is empty [item 2]', { item: 2 }],
		]);
	});
});

describe('From List search', () => {
	it('lists one page of organizations with a token for the next', async () => {
		nock(API)
			.get('/organizations')
			.query({ page: '0', limit: '100' })
			.reply(200, { organizations: [org(1), org(2)], hasNextPage: true });
		const result = await searchOrganizations.call(loadOptions());
		expect(result).toEqual({
			results: [
				{ name: 'Org 1 (crm-1)', value: org(1).organizationId, description: 'Onboarding started — step 1 of 4' },
				{ name: 'Org 2 (crm-2)', value: org(2).organizationId, description: 'Onboarding started — step 1 of 4' },
			],
			paginationToken: '1',
		});
	});

	it('filters by name in any case, reading on past pages without a match', async () => {
		nock(API)
			.get('/organizations')
			.query({ page: '3', limit: '100' })
			.reply(200, { organizations: [org(1), org(2)], hasNextPage: true })
			.get('/organizations')
			.query({ page: '4', limit: '100' })
			.reply(200, { organizations: [org(3), org(4, { name: 'ACME Software GmbH' })], hasNextPage: false });
		const result = await searchOrganizations.call(loadOptions(), 'acme', '3');
		expect(result.results.map((item) => item.name)).toEqual(['ACME Software GmbH (crm-4)']);
		expect(result.paginationToken).toBeUndefined();
	});

	it('finds an organization by its partner ID too', async () => {
		nock(API)
			.get('/organizations')
			.query(true)
			.reply(200, { organizations: [org(1), org(12)], hasNextPage: false });
		const result = await searchOrganizations.call(loadOptions(), 'CRM-12');
		expect(result.results.map((item) => item.value)).toEqual([org(12).organizationId]);
	});
});
