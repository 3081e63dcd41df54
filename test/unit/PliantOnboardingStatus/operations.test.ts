import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import nock from 'nock';

import { PliantOnboardingStatus } from '../../../nodes/PliantOnboardingStatus/PliantOnboardingStatus.node';
import { API, execute, fakeContextFor, TOKEN } from '../../support/fake-execute-context';
import { CONTRACT_RISK, ORG_ID, ORGANIZATION } from '../../support/fixtures';
import { useNock } from '../../support/nock';

const fakeContext = fakeContextFor(PliantOnboardingStatus);

/** The organization one step further, in mandates and terms. */
const MANDATES_STAGE = { ...ORGANIZATION, status: 'ONBOARDING_MANDATES_AND_TERMS' };

/** The contract's example, with the bank not connected yet. */
const RISK = { ...CONTRACT_RISK, bankConnection: { status: 'NOT_CONNECTED' } };

const NOT_SHARED = {
	code: 'ONBOARDING_DETAILS_NOT_SHARED',
	message: 'The organization does not share onboarding details',
};

function org(index: number, extra: Record<string, unknown> = {}) {
	const id = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
	return {
		organizationId: id,
		name: `Org ${index}`,
		status: 'ACTIVE',
		partnersOrganizationId: `crm-${index}`,
		...extra,
	};
}

useNock();

describe('Get', () => {
	it('simplifies by default: stage in words and as a step, partnerOrganizationId', async () => {
		nock(API)
			.get(`/organizations/${ORG_ID}`)
			.matchHeader('authorization', `Bearer ${TOKEN}`)
			.reply(200, MANDATES_STAGE);
		const output = await execute(
			fakeContext({ operation: 'get', organizationId: ORG_ID, simplify: true }),
		);
		expect(output).toEqual([
			{
				json: {
					organizationId: ORG_ID,
					name: 'Acme Software GmbH',
					status: 'ONBOARDING_MANDATES_AND_TERMS',
					stage: 'Mandates and terms',
					stagePosition: 3,
					stageCount: 4,
					stageSummary: 'Mandates and terms — step 3 of 4',
					partnerOrganizationId: 'crm-4711',
					tradeName: 'Acme',
					country: 'DE',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('returns the raw organization with Simplify off', async () => {
		nock(API).get(`/organizations/${ORG_ID}`).reply(200, MANDATES_STAGE);
		const output = await execute(
			fakeContext({ operation: 'get', organizationId: ORG_ID, simplify: false }),
		);
		expect(output[0].json).toEqual(MANDATES_STAGE);
	});

	it('trims a mapped ID', async () => {
		nock(API).get(`/organizations/${ORG_ID}`).reply(200, MANDATES_STAGE);
		const output = await execute(
			fakeContext({ operation: 'get', organizationId: `  ${ORG_ID}\n`, simplify: true }),
		);
		expect(output[0].json.organizationId).toBe(ORG_ID);
	});

	it('passes an unknown status through unchanged', async () => {
		nock(API)
			.get(`/organizations/${ORG_ID}`)
			.reply(200, { ...MANDATES_STAGE, status: 'ONBOARDING_PAUSED' });
		const output = await execute(
			fakeContext({ operation: 'get', organizationId: ORG_ID, simplify: true }),
		);
		expect(output[0].json).toMatchObject({
			status: 'ONBOARDING_PAUSED',
			stage: 'Onboarding paused',
			stagePosition: null,
		});
	});

	it('says "Organization not found" on a 404, with the ID in the description and the status kept', async () => {
		nock(API)
			.get(`/organizations/${ORG_ID}`)
			.reply(404, { code: 'NOT_FOUND', message: 'No such organization' });
		const error = (await execute(fakeContext({ operation: 'get', organizationId: ORG_ID })).catch(
			(e: unknown) => e,
		)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Organization not found');
		expect(error.description).toContain(ORG_ID);
		expect(error.httpCode).toBe('404');
		expect(error.context.itemIndex).toBe(0);
		expect(error.context.pliant).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
	});

	it('under Continue On Fail, a 404 becomes an error item paired to its input', async () => {
		nock(API).get(`/organizations/${ORG_ID}`).reply(404, { code: 'NOT_FOUND' });
		const output = await execute(
			fakeContext({ operation: 'get', organizationId: ORG_ID }, { continueOnFail: true }),
		);
		expect(output).toEqual([
			{
				json: {
					error: 'Organization not found',
					description: expect.stringContaining(ORG_ID),
					httpCode: '404',
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('keeps other errors as the transport mapped them', async () => {
		nock(API).get(`/organizations/${ORG_ID}`).reply(403, { code: 'FORBIDDEN', message: 'nope' });
		await expect(
			execute(fakeContext({ operation: 'get', organizationId: ORG_ID })),
		).rejects.toThrow('Pliant refused access to this resource');
	});

	it('keeps input order and pairing across several items', async () => {
		const ids = [1, 2, 3, 4, 5, 6].map((index) => org(index).organizationId);
		for (const [index, id] of ids.entries()) {
			nock(API)
				.get(`/organizations/${id}`)
				.delay(30 - index * 5)
				.reply(200, org(index + 1));
		}
		const output = await execute(
			fakeContext(
				{ operation: 'get', simplify: true },
				{ perItem: ids.map((organizationId) => ({ organizationId })) },
			),
		);
		expect(output.map((item) => [item.json.organizationId, item.pairedItem])).toEqual(
			ids.map((id, index) => [id, { item: index }]),
		);
	});
});

describe('Get Onboarding Details', () => {
	/** Runs the operation for ORG_ID while Pliant answers /risk with `status` and `body`. */
	async function getDetails(status: number, body: object, parameters: IDataObject = {}) {
		nock(API).get(`/organizations/${ORG_ID}/risk`).reply(status, body);
		return await execute(
			fakeContext({ operation: 'getOnboardingDetails', organizationId: ORG_ID, ...parameters }),
		);
	}

	it('normalises the details and lists what is pending on the customer', async () => {
		const output = await getDetails(200, RISK, { simplify: true });
		expect(output).toEqual([
			{
				json: {
					organizationId: ORG_ID,
					detailsShared: true,
					representatives: RISK.representatives,
					documents: RISK.documents,
					bankConnectionStatus: 'NOT_CONNECTED',
					directDebitStatus: 'PENDING',
					pendingOnCustomer: [
						'Representative Ada Lovelace: information requested',
						'Representative Ada Lovelace: identity verification pending',
						'Document Company registry extract: requested',
						'Bank connection: not connected (NOT_CONNECTED)',
						'Direct debit mandate: pending',
					],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('returns the raw body with Simplify off', async () => {
		const output = await getDetails(200, RISK, { simplify: false });
		expect(output[0].json).toEqual(RISK);
	});

	it('fails clearly when details are not shared (default), pointing at the option', async () => {
		const error = (await getDetails(403, NOT_SHARED).catch((e: unknown) => e)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('The customer has not agreed to share onboarding details');
		expect(error.description).toContain(ORG_ID);
		expect(error.description).toContain('If Details Not Shared');
		expect(error.context.pliant).toMatchObject({
			status: 403,
			body: { code: 'ONBOARDING_DETAILS_NOT_SHARED' },
		});
	});

	it('outputs {organizationId, detailsShared: false} with the option set to "output"', async () => {
		const output = await getDetails(403, NOT_SHARED, { options: { detailsNotShared: 'output' } });
		expect(output).toEqual([
			{ json: { organizationId: ORG_ID, detailsShared: false }, pairedItem: { item: 0 } },
		]);
	});

	it.each([
		[
			'fails the same way with the option set to "error" explicitly',
			403,
			NOT_SHARED,
			'error',
			'The customer has not agreed to share onboarding details',
		],
		[
			'does not hide other 403s behind the "output" option',
			403,
			{ code: 'FORBIDDEN' },
			'output',
			'Pliant refused access to this resource',
		],
		[
			'says "Organization not found" on a 404',
			404,
			{ code: 'NOT_FOUND' },
			'output',
			'Organization not found',
		],
	])('%s', async (_title, status, body, detailsNotShared, message) => {
		await expect(getDetails(status, body, { options: { detailsNotShared } })).rejects.toThrow(
			message,
		);
	});
});

describe('Get Many', () => {
	it('asks Pliant for exactly the limit when it can, page 0', async () => {
		nock(API)
			.get('/organizations')
			.query({ page: '0', limit: '3' })
			.reply(200, { organizations: [org(1), org(2), org(3)], hasNextPage: true });
		const output = await execute(
			fakeContext({
				operation: 'getMany',
				returnAll: false,
				limit: 3,
				filters: {},
				simplify: true,
			}),
		);
		expect(output.map((item) => item.json.organizationId)).toEqual(
			[1, 2, 3].map((i) => org(i).organizationId),
		);
		expect(output.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(output[0].json).toMatchObject({ stage: 'Active', partnerOrganizationId: 'crm-1' });
	});

	it('reads every page with Return All, 1,000 at a time, until hasNextPage is false', async () => {
		nock(API)
			.get('/organizations')
			.query({ status: 'ACTIVE', page: '0', limit: '1000' })
			.reply(200, { organizations: [org(1), org(2)], hasNextPage: true })
			.get('/organizations')
			.query({ status: 'ACTIVE', page: '1', limit: '1000' })
			.reply(200, { organizations: [org(3)], hasNextPage: true })
			.get('/organizations')
			.query({ status: 'ACTIVE', page: '2', limit: '1000' })
			.reply(200, { organizations: [org(4)], hasNextPage: false });
		const output = await execute(
			fakeContext({
				operation: 'getMany',
				returnAll: true,
				filters: { status: 'ACTIVE' },
				simplify: false,
			}),
		);
		expect(output.map((item) => item.json)).toEqual([org(1), org(2), org(3), org(4)]);
	});

	it('stops on an empty page even if the server says there is more', async () => {
		nock(API)
			.get('/organizations')
			.query({ page: '0', limit: '1000' })
			.reply(200, { organizations: [org(1)], hasNextPage: true })
			.get('/organizations')
			.query({ page: '1', limit: '1000' })
			.reply(200, { organizations: [], hasNextPage: true });
		const output = await execute(
			fakeContext({ operation: 'getMany', returnAll: true, simplify: true }),
		);
		expect(output).toHaveLength(1);
	});

	it('goes on to the next page when a page is short of the limit', async () => {
		nock(API)
			.get('/organizations')
			.query({ page: '0', limit: '3' })
			.reply(200, { organizations: [org(1), org(2)], hasNextPage: true })
			.get('/organizations')
			.query({ page: '1', limit: '3' })
			.reply(200, { organizations: [org(3), org(4), org(5)], hasNextPage: true });
		const output = await execute(fakeContext({ operation: 'getMany', limit: 3, simplify: true }));
		expect(output.map((item) => item.json.name)).toEqual(['Org 1', 'Org 2', 'Org 3']);
	});

	it('sends the partner filter and still filters client-side, across pages (should Pliant ignore it)', async () => {
		nock(API)
			.get('/organizations')
			.query({ partnersOrganizationId: 'crm-2', page: '0', limit: '1000' })
			.reply(200, { organizations: [org(1), org(2)], hasNextPage: true })
			.get('/organizations')
			.query({ partnersOrganizationId: 'crm-2', page: '1', limit: '1000' })
			.reply(200, {
				organizations: [org(3), org(4, { partnersOrganizationId: 'crm-2' })],
				hasNextPage: false,
			});
		const output = await execute(
			fakeContext({
				operation: 'getMany',
				limit: 50,
				filters: { partnerOrganizationId: ' crm-2 ' },
				simplify: true,
			}),
		);
		expect(output.map((item) => [item.json.name, item.json.partnerOrganizationId])).toEqual([
			['Org 2', 'crm-2'],
			['Org 4', 'crm-2'],
		]);
	});

	it('stops reading pages once the limit of matches is reached', async () => {
		nock(API)
			.get('/organizations')
			.query({ status: 'ONBOARDING_STARTED', partnersOrganizationId: 'crm-x', page: '0', limit: '1000' })
			.reply(200, {
				organizations: [org(1), org(2, { partnersOrganizationId: 'crm-x' })],
				hasNextPage: true,
			});
		const output = await execute(
			fakeContext({
				operation: 'getMany',
				limit: 1,
				filters: { status: 'ONBOARDING_STARTED', partnerOrganizationId: 'crm-x' },
				simplify: true,
			}),
		);
		expect(output).toHaveLength(1);
	});

	it.each([0, -1, 2.5, 'many', ''])(
		'rejects a mapped Limit of %p before any request',
		async (limit) => {
			const run = fakeContext({ operation: 'getMany', returnAll: false, limit });
			await expect(execute(run)).rejects.toThrow(
				/^Limit ".*" is not a whole number of at least 1 \[item 0\]$/,
			);
			expect(run.requests).not.toHaveBeenCalled();
		},
	);

	it('accepts a mapped Limit given as text', async () => {
		nock(API)
			.get('/organizations')
			.query({ page: '0', limit: '2' })
			.reply(200, { organizations: [org(1), org(2)], hasNextPage: true });
		expect(await execute(fakeContext({ operation: 'getMany', limit: '2' }))).toHaveLength(2);
	});

	it('outputs nothing for an empty list', async () => {
		nock(API)
			.get('/organizations')
			.query(true)
			.reply(200, { organizations: [], hasNextPage: false });
		expect(await execute(fakeContext({ operation: 'getMany', limit: 5 }))).toEqual([]);
	});

	it('runs once per input item, each result paired to its item', async () => {
		nock(API)
			.get('/organizations')
			.query({ status: 'ACTIVE', page: '0', limit: '1' })
			.reply(200, { organizations: [org(1)], hasNextPage: true })
			.get('/organizations')
			.query({ status: 'CANCELLED', page: '0', limit: '1' })
			.reply(200, { organizations: [org(2, { status: 'CANCELLED' })], hasNextPage: false });
		const output = await execute(
			fakeContext(
				{ operation: 'getMany', limit: 1, simplify: true },
				{ perItem: [{ filters: { status: 'ACTIVE' } }, { filters: { status: 'CANCELLED' } }] },
			),
		);
		expect(output.map((item) => [item.json.status, item.pairedItem])).toEqual([
			['ACTIVE', { item: 0 }],
			['CANCELLED', { item: 1 }],
		]);
	});
});

describe('Activate Authorization', () => {
	it('sends the sync-from date as YYYY-MM-DD', async () => {
		nock(API)
			.post(`/organizations/${ORG_ID}/activate`, { syncFromDate: '2026-01-01' })
			.reply(200, {});
		const output = await execute(
			fakeContext({
				operation: 'activateAuthorization',
				organizationId: ORG_ID,
				additionalFields: { syncFromDate: '2026-01-01T00:00:00' },
			}),
		);
		expect(output).toEqual([
			{
				json: { organizationId: ORG_ID, authorizationActivated: true, syncFromDate: '2026-01-01' },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends no body without a date', async () => {
		let body: unknown = 'unset';
		nock(API)
			.post(`/organizations/${ORG_ID}/activate`, (received: unknown) => {
				body = received;
				return true;
			})
			.reply(204);
		const output = await execute(
			fakeContext({
				operation: 'activateAuthorization',
				organizationId: ORG_ID,
				additionalFields: {},
			}),
		);
		expect(body).toBe('');
		expect(output[0].json).toEqual({
			organizationId: ORG_ID,
			authorizationActivated: true,
			syncFromDate: null,
		});
	});

	it("keeps Pliant's answer, and what this call did wins", async () => {
		nock(API)
			.post(`/organizations/${ORG_ID}/activate`)
			.reply(202, { organizationId: 'other', authorizationStatus: 'GRANTED' });
		const output = await execute(
			fakeContext({ operation: 'activateAuthorization', organizationId: ORG_ID }),
		);
		expect(output[0].json).toEqual({
			organizationId: ORG_ID,
			authorizationStatus: 'GRANTED',
			authorizationActivated: true,
			syncFromDate: null,
		});
	});

	it('says "Organization not found" on a 404 and does not retry the POST', async () => {
		nock(API).post(`/organizations/${ORG_ID}/activate`).once().reply(404, {});
		await expect(
			execute(fakeContext({ operation: 'activateAuthorization', organizationId: ORG_ID })),
		).rejects.toThrow('Organization not found');
	});

	it("keeps Pliant's conflict message when the authorization is not pending", async () => {
		nock(API).post(`/organizations/${ORG_ID}/activate`).reply(409, {
			code: 'ILLEGAL_STATUS_TRANSITION',
			message: 'The authorization was already granted',
		});
		const error = (await execute(
			fakeContext({ operation: 'activateAuthorization', organizationId: ORG_ID }),
		).catch((e: unknown) => e)) as NodeApiError;
		expect(error.message).toBe('Pliant reported a conflict');
		expect(error.description).toContain('The authorization was already granted');
	});
});
