/**
 * The Pliant Onboarding Status node in n8n-core's real engine against the in-process
 * emulator: every operation, an organization walked through onboarding with the control
 * API, details not shared (both option values), paging across pages, filters, and Activate
 * leading to an AUTHORIZATION_GRANTED callback.
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { OrganizationRecord } from '../../../emulator/state';
import type { ORGANIZATION_STATUSES } from '../../../nodes/shared/contract';
import {
	emulatorCredentials,
	PliantCredentialsHelper,
	runNode,
	type RunNodeResult,
} from '../../support/engine';
import { Harness, startReceiver, validLead, type Receiver } from '../../unit/emulator/helpers';

type Status = (typeof ORGANIZATION_STATUSES)[number];

let harness: Harness;
let credentialsHelper: PliantCredentialsHelper;

async function run(
	parameters: INodeParameters,
	items: IDataObject[] = [{}],
	continueOnFail = false,
) {
	return await runNode({
		nodeType: 'pliantOnboardingStatus',
		parameters,
		items,
		credentialsHelper,
		continueOnFail,
	});
}

function json(result: RunNodeResult): IDataObject[] {
	if (result.error) throw result.error;
	return result.items.map((item: INodeExecutionData) => item.json);
}

async function control(path: string, body?: unknown) {
	const result = await harness.control('POST', path, body);
	if (result.status !== 200) throw new Error(`${path}: ${result.status} ${result.text}`);
	return result.body;
}

/** Advances an organization until it reaches onboarding step `step` (2..11). */
async function advanceTo(organizationId: string, step: number) {
	let current = harness.emu.state.organizations.get(organizationId)?.step ?? 0;
	while (current < step)
		current = (await control(`/organizations/${organizationId}/advance`)).step as number;
}

async function ledger(path: string) {
	const result = await harness.control('GET', `/ledger?path=${encodeURIComponent(path)}`);
	return result.body.entries as Array<{
		method: string;
		path: string;
		query: Record<string, string>;
		body: unknown;
		status: number;
	}>;
}

beforeAll(async () => {
	harness = await Harness.start();
	credentialsHelper = new PliantCredentialsHelper(emulatorCredentials(harness.emu));
});

afterAll(async () => {
	await harness.stop();
});

describe('an organization walked through onboarding', () => {
	let organizationId: string;
	let partnerOrganizationId: string;

	beforeAll(async () => {
		const lead = validLead();
		partnerOrganizationId = lead.partnerOrganizationId;
		organizationId = await harness.createOrganization(lead);
	});

	it('Get: right after onboarding starts, step 1 of 4', async () => {
		const [item] = json(await run({ operation: 'get', organizationId, simplify: true }));
		expect(item).toEqual({
			organizationId,
			name: 'Acme Software GmbH',
			status: 'ONBOARDING_STARTED',
			stage: 'Onboarding started',
			stagePosition: 1,
			stageCount: 4,
			stageSummary: 'Onboarding started — step 1 of 4',
			partnerOrganizationId,
			tradeName: 'Acme',
			country: 'DE',
		});
	});

	it('Get and Get Onboarding Details after the emulator advanced it to risk and compliance', async () => {
		await advanceTo(organizationId, 3); // status change, then INFO_REQUESTED
		const [organization] = json(await run({ operation: 'get', organizationId, simplify: true }));
		expect(organization).toMatchObject({
			status: 'ONBOARDING_RISK_AND_COMPLIANCE',
			stage: 'Risk and compliance',
			stagePosition: 2,
			stageSummary: 'Risk and compliance — step 2 of 4',
		});

		const [details] = json(
			await run({ operation: 'getOnboardingDetails', organizationId, simplify: true }),
		);
		expect(details).toEqual({
			organizationId,
			detailsShared: true,
			representatives: [
				{
					representativeId: expect.any(String),
					name: 'Ada Lovelace',
					submissionStatus: 'INFO_REQUESTED',
					legitimationStatus: 'PENDING',
				},
			],
			documents: [{ category: 'COMPANY_REGISTRY_EXTRACT', customerStatus: 'REQUESTED' }],
			bankConnectionStatus: 'NOT_CONNECTED',
			directDebitStatus: 'PENDING',
			pendingOnCustomer: [
				'Representative Ada Lovelace: information requested',
				'Representative Ada Lovelace: identity verification pending',
				'Document Company registry extract: requested',
				'Bank connection: not connected (NOT_CONNECTED)',
				'Direct debit mandate: pending',
			],
		});
	});

	it('Get Onboarding Details follows the customer: submitted, verified, uploaded', async () => {
		await advanceTo(organizationId, 7); // ... document uploaded, then mandates and terms
		const [details] = json(
			await run({ operation: 'getOnboardingDetails', organizationId, simplify: true }),
		);
		expect(details).toMatchObject({
			representatives: [
				expect.objectContaining({ submissionStatus: 'SUBMITTED', legitimationStatus: 'VERIFIED' }),
			],
			documents: [{ category: 'COMPANY_REGISTRY_EXTRACT', customerStatus: 'UPLOADED' }],
			pendingOnCustomer: [
				'Bank connection: not connected (NOT_CONNECTED)',
				'Direct debit mandate: pending',
			],
		});
		const [organization] = json(await run({ operation: 'get', organizationId, simplify: true }));
		expect(organization).toMatchObject({ stage: 'Mandates and terms', stagePosition: 3 });
	});

	it('Get Onboarding Details with Simplify off returns the raw /risk body', async () => {
		const [raw] = json(
			await run({ operation: 'getOnboardingDetails', organizationId, simplify: false }),
		);
		expect(raw).toEqual(harness.emu.state.organizations.get(organizationId)?.details);
	});

	it('Activate Authorization before Pliant asks for it fails with the conflict, nothing granted', async () => {
		const result = await run({ operation: 'activateAuthorization', organizationId });
		expect(result.error?.message).toBe('Pliant reported a conflict');
		expect((result.error as { description?: string }).description).toContain(
			'AUTHORIZATION_PENDING',
		);
		expect(harness.emu.state.organizations.get(organizationId)?.authorizationStatus).toBe('NONE');
	});

	describe('after complete', () => {
		let receiver: Receiver;

		beforeAll(async () => {
			receiver = await startReceiver();
			const subscribed = await harness.api('POST', '/subscriptions/bulk-upsert', {
				subscriptions: [{ eventType: 'AUTHORIZATION_GRANTED', callbackUrl: receiver.url }],
			});
			expect(subscribed.status).toBe(200);
			await control(`/organizations/${organizationId}/complete`);
		});

		afterAll(async () => {
			await receiver.close();
		});

		it('Get says Active, step 4 of 4, and nothing is pending on the customer', async () => {
			const [organization] = json(await run({ operation: 'get', organizationId, simplify: true }));
			expect(organization).toMatchObject({
				status: 'ACTIVE',
				stage: 'Active',
				stageSummary: 'Active — step 4 of 4',
			});
			const [details] = json(
				await run({ operation: 'getOnboardingDetails', organizationId, simplify: true }),
			);
			expect(details).toMatchObject({
				bankConnectionStatus: 'CONNECTED',
				directDebitStatus: 'ACTIVE',
				pendingOnCustomer: [],
			});
		});

		it('Activate Authorization sends the date as YYYY-MM-DD and the emulator delivers AUTHORIZATION_GRANTED', async () => {
			const result = await run(
				{
					operation: 'activateAuthorization',
					organizationId: '={{ $json.organizationId }}',
					additionalFields: { syncFromDate: '2026-01-01T00:00:00' },
				},
				[{ organizationId }],
			);
			expect(json(result)).toEqual([
				{
					organizationId,
					status: 'ACTIVE',
					authorizationStatus: 'GRANTED',
					authorizationActivated: true,
					syncFromDate: '2026-01-01',
				},
			]);
			expect(result.items[0].pairedItem).toEqual({ item: 0 });

			// the last call: the earlier test's call was refused with a 409
			const call = (await ledger(`/api/organizations/${organizationId}/activate`)).pop();
			expect(call).toMatchObject({
				method: 'POST',
				status: 200,
				body: { syncFromDate: '2026-01-01' },
			});

			const [callback] = await receiver.waitFor(1);
			expect(callback.body).toEqual({ eventType: 'AUTHORIZATION_GRANTED', organizationId });
			expect(callback.headers['x-organization-id']).toBe(organizationId);
			expect(callback.headers['x-partner-organization-id']).toBe(partnerOrganizationId);
		});
	});
});

describe('details not shared', () => {
	let organizationId: string;

	beforeAll(async () => {
		organizationId = await harness.createOrganization();
		await control(`/organizations/${organizationId}/details-shared`, { shared: false });
	});

	it('fails with a clear message by default', async () => {
		const result = await run({ operation: 'getOnboardingDetails', organizationId, simplify: true });
		expect(result.error?.message).toBe('The customer has not agreed to share onboarding details');
		expect((result.error as { description?: string }).description).toContain(organizationId);
		expect(result.items).toEqual([]);
	});

	it('fails the same way with the option set to Fail, and becomes an error item under Continue On Fail', async () => {
		const result = await run(
			{ operation: 'getOnboardingDetails', organizationId, options: { detailsNotShared: 'error' } },
			[{}],
			true,
		);
		expect(result.items).toEqual([
			{
				json: expect.objectContaining({
					error: 'The customer has not agreed to share onboarding details',
					httpCode: '403',
				}),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('outputs {organizationId, detailsShared: false} with the option set to output', async () => {
		const result = await run({
			operation: 'getOnboardingDetails',
			organizationId,
			options: { detailsNotShared: 'output' },
		});
		expect(result.items).toEqual([
			{ json: { organizationId, detailsShared: false }, pairedItem: { item: 0 } },
		]);
	});

	it('Get still works: the organization entity is not onboarding detail', async () => {
		const [organization] = json(await run({ operation: 'get', organizationId, simplify: true }));
		expect(organization).toMatchObject({ organizationId, stage: 'Onboarding started' });
	});
});

describe('errors and item handling', () => {
	it('says "Organization not found" for an unknown ID', async () => {
		const unknown = randomUUID();
		const result = await run({ operation: 'get', organizationId: unknown });
		expect(result.error?.message).toBe('Organization not found');
		expect((result.error as { description?: string }).description).toContain(unknown);
	});

	it('passes an unknown status through unchanged', async () => {
		const organizationId = await harness.createOrganization();
		(
			harness.emu.state.organizations.get(organizationId) as OrganizationRecord
		).organization.status = 'ONBOARDING_ON_HOLD';
		const [organization] = json(await run({ operation: 'get', organizationId, simplify: true }));
		expect(organization).toMatchObject({
			status: 'ONBOARDING_ON_HOLD',
			stage: 'Onboarding on hold',
			stagePosition: null,
		});
		const [raw] = json(await run({ operation: 'get', organizationId, simplify: false }));
		expect(raw.status).toBe('ONBOARDING_ON_HOLD');
	});

	it('maps the ID per item; invalid and unknown IDs become error items in place, nothing sent for the invalid one', async () => {
		const organizationId = await harness.createOrganization();
		const unknown = randomUUID();
		const before = (await ledger('/api/organizations/')).length;
		const result = await run(
			{ operation: 'get', organizationId: '={{ $json.id }}', simplify: true },
			[{ id: organizationId }, { id: 'crm-4711' }, { id: unknown }, {}],
			true,
		);
		expect(
			result.items.map((item) => [item.pairedItem, item.json.organizationId ?? item.json.error]),
		).toEqual([
			[{ item: 0 }, organizationId],
			[{ item: 1 }, 'Organization ID "crm-4711" is not a valid Pliant organization ID [item 1]'],
			[{ item: 2 }, 'Organization not found'],
			[{ item: 3 }, 'Organization ID is empty [item 3]'],
		]);
		const calls = (await ledger('/api/organizations/')).slice(before).map((entry) => entry.path);
		expect(calls.sort()).toEqual(
			[`/api/organizations/${organizationId}`, `/api/organizations/${unknown}`].sort(),
		);
	});
});

describe('Get Many', () => {
	const tag = `bulk-${Date.now()}`;
	const statuses: Status[] = [
		'ACTIVE',
		'ONBOARDING_STARTED',
		'ONBOARDING_RISK_AND_COMPLIANCE',
		'CANCELLED',
	];
	let template: OrganizationRecord;
	let total: number;

	/**
	 * More organizations than one page holds (1,000). Onboarding 1,200 leads through the API
	 * would take 2,400 calls and Pliant's rate limit; copies of a really onboarded organization
	 * go straight into the emulator's state instead.
	 */
	beforeAll(async () => {
		const organizationId = await harness.createOrganization();
		template = harness.emu.state.organizations.get(organizationId) as OrganizationRecord;
		for (let index = 0; index < 1200; index++) {
			const id = randomUUID();
			const copy: OrganizationRecord = JSON.parse(JSON.stringify(template));
			copy.organization.organizationId = id;
			copy.details.organizationId = id;
			copy.organization.partnersOrganizationId = `${tag}-${index}`;
			copy.organization.name = `Bulk ${index}`;
			copy.organization.status = statuses[index % statuses.length];
			harness.emu.state.organizations.set(id, copy);
		}
		total = harness.emu.state.organizations.size;
	});

	function countByStatus(status: Status): number {
		return [...harness.emu.state.organizations.values()].filter(
			(record) => record.organization.status === status,
		).length;
	}

	it('Return All reads every page (page from 0, 1,000 per page) into one item per organization', async () => {
		const before = (await ledger('/api/organizations')).length;
		const result = await run({ operation: 'getMany', returnAll: true, simplify: true });
		const items = json(result);
		expect(items).toHaveLength(total);
		expect(new Set(items.map((item) => item.organizationId)).size).toBe(total);
		expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(
			true,
		);
		const pages = (await ledger('/api/organizations'))
			.slice(before)
			.filter((entry) => entry.path === '/api/organizations');
		expect(pages.map((entry) => entry.query)).toEqual([
			{ page: '0', limit: '1000' },
			{ page: '1', limit: '1000' },
		]);
	});

	it('Limit returns exactly that many in one request', async () => {
		const before = (await ledger('/api/organizations')).length;
		const items = json(
			await run({ operation: 'getMany', returnAll: false, limit: 7, simplify: true }),
		);
		expect(items).toHaveLength(7);
		const pages = (await ledger('/api/organizations'))
			.slice(before)
			.filter((entry) => entry.path === '/api/organizations');
		expect(pages.map((entry) => entry.query)).toEqual([{ page: '0', limit: '7' }]);
	});

	it('filters by status on the server, across pages', async () => {
		const items = json(
			await run({
				operation: 'getMany',
				returnAll: true,
				filters: { status: 'CANCELLED' },
				simplify: true,
			}),
		);
		expect(items).toHaveLength(countByStatus('CANCELLED'));
		expect(items.every((item) => item.status === 'CANCELLED' && item.stage === 'Cancelled')).toBe(
			true,
		);
	});

	it('filters by partner organization ID, found on the second page, output as partnerOrganizationId', async () => {
		const wanted = `${tag}-1150`;
		const result = await run({
			operation: 'getMany',
			returnAll: false,
			limit: 50,
			filters: { partnerOrganizationId: wanted },
			simplify: true,
		});
		expect(json(result)).toEqual([
			expect.objectContaining({ name: 'Bulk 1150', partnerOrganizationId: wanted }),
		]);
	});

	it('Simplify off returns the raw entities, partnersOrganizationId spelling and all', async () => {
		const items = json(await run({ operation: 'getMany', limit: 2, simplify: false }));
		expect(items[0]).toHaveProperty('partnersOrganizationId');
		expect(items[0]).toHaveProperty('accountType');
	});

	it('runs once per input item, each result paired to its item', async () => {
		const result = await run(
			{
				operation: 'getMany',
				limit: 2,
				filters: { status: '={{ $json.status }}' },
				simplify: true,
			},
			[{ status: 'ACTIVE' }, { status: 'ONBOARDING_RISK_AND_COMPLIANCE' }],
		);
		expect(result.items.map((item) => [item.json.status, item.pairedItem])).toEqual([
			['ACTIVE', { item: 0 }],
			['ACTIVE', { item: 0 }],
			['ONBOARDING_RISK_AND_COMPLIANCE', { item: 1 }],
			['ONBOARDING_RISK_AND_COMPLIANCE', { item: 1 }],
		]);
	});
});

describe('token use', () => {
	it('used one token for every run of this file', () => {
		expect(credentialsHelper.tokenRequests).toBe(1);
	});
});
