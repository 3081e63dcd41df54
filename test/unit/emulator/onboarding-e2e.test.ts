import { CALLBACK_HEADERS } from '../../../nodes/shared/contract';
import {
	Harness,
	startReceiver,
	subscribeAll,
	validLead,
	verifyCallback,
	type ReceivedCallback,
	type Receiver,
} from './helpers';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NANO_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

/** The contract's onboarding sequence, as [eventType, body fields besides eventType/organizationId]. */
function expectedSequence(partnerOrganizationId: string, name: string, representativeId: string) {
	return [
		['ORGANIZATION_ADDED', { partnerOrganizationId, organizationName: name }],
		[
			'ORGANIZATION_STATE_CHANGED',
			{
				statusChange: {
					beforeChange: 'ONBOARDING_STARTED',
					afterChange: 'ONBOARDING_RISK_AND_COMPLIANCE',
				},
			},
		],
		[
			'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED',
			{
				representativeId,
				statusChange: { beforeChange: 'INTERNAL_ONLY', afterChange: 'INFO_REQUESTED' },
			},
		],
		[
			'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED',
			{
				representativeId,
				statusChange: { beforeChange: 'INFO_REQUESTED', afterChange: 'SUBMITTED' },
			},
		],
		[
			'REPRESENTATIVE_LEGITIMATION_STATUS_CHANGED',
			{ representativeId, statusChange: { beforeChange: 'PENDING', afterChange: 'VERIFIED' } },
		],
		[
			'DOCUMENT_CUSTOMER_STATUS_CHANGED',
			{
				category: 'COMPANY_REGISTRY_EXTRACT',
				statusChange: { beforeChange: 'REQUESTED', afterChange: 'UPLOADED' },
			},
		],
		[
			'ORGANIZATION_STATE_CHANGED',
			{
				statusChange: {
					beforeChange: 'ONBOARDING_RISK_AND_COMPLIANCE',
					afterChange: 'ONBOARDING_MANDATES_AND_TERMS',
				},
			},
		],
		[
			'BANK_CONNECTION_STATUS_CHANGED',
			{ statusChange: { beforeChange: 'NOT_CONNECTED', afterChange: 'CONNECTED' } },
		],
		[
			'DIRECT_DEBIT_STATUS_CHANGED',
			{ statusChange: { beforeChange: 'PENDING', afterChange: 'ACTIVE' } },
		],
		[
			'ORGANIZATION_STATE_CHANGED',
			{ statusChange: { beforeChange: 'ONBOARDING_MANDATES_AND_TERMS', afterChange: 'ACTIVE' } },
		],
		['AUTHORIZATION_PENDING', {}],
		['AUTHORIZATION_GRANTED', {}],
	] as const;
}

describe('emulator end to end: a lead through the contract, the full signed callback sequence at a local receiver', () => {
	let harness: Harness;
	let receiver: Receiver;

	afterEach(async () => {
		await harness.stop();
		await receiver.close();
	});

	async function checkSequence(
		callbacks: ReceivedCallback[],
		lead: ReturnType<typeof validLead>,
		organizationId: string,
	) {
		const jwks = (await harness.api('GET', '/partner-management/signing/jwks.json')).body;
		const risk = (await harness.api('GET', `/organizations/${organizationId}/risk`)).body;
		const representativeId = risk.representatives[0].representativeId;
		const expected = expectedSequence(
			lead.partnerOrganizationId,
			lead.company.name,
			representativeId,
		);
		expect(callbacks).toHaveLength(expected.length);

		// Order by the contract's ordering key; delivery here is in order anyway.
		const ordered = [...callbacks].sort((a, b) =>
			String(a.headers[CALLBACK_HEADERS.callbackCreatedAt]).localeCompare(
				String(b.headers[CALLBACK_HEADERS.callbackCreatedAt]),
			),
		);
		expect(ordered).toEqual(callbacks);

		const nowSeconds = Math.floor(Date.now() / 1000);
		const callbackIds = new Set<string>();
		for (const [index, callback] of callbacks.entries()) {
			const [eventType, fields] = expected[index];
			// flat body, eventType at the top level, exactly these fields
			expect(JSON.parse(callback.raw.toString('utf8'))).toEqual({
				eventType,
				organizationId,
				...fields,
			});
			const headers = callback.headers;
			expect(headers[CALLBACK_HEADERS.organizationId]).toBe(organizationId);
			expect(headers[CALLBACK_HEADERS.partnerOrganizationId]).toBe(lead.partnerOrganizationId);
			expect(headers[CALLBACK_HEADERS.paymentProgramId]).toMatch(UUID_V4);
			expect(headers[CALLBACK_HEADERS.callbackId]).toMatch(UUID_V4);
			expect(headers[CALLBACK_HEADERS.callbackCreatedAt]).toMatch(NANO_ISO);
			expect(headers[CALLBACK_HEADERS.webhookId]).toBe(headers[CALLBACK_HEADERS.callbackId]);
			expect(
				Math.abs(Number(headers[CALLBACK_HEADERS.webhookTimestamp]) - nowSeconds),
			).toBeLessThan(300);
			expect(headers[CALLBACK_HEADERS.webhookSignature]).toMatch(/^v1a,/);
			expect(verifyCallback(jwks, headers, callback.raw)).toBe(true);
			callbackIds.add(String(headers[CALLBACK_HEADERS.callbackId]));
		}
		expect(callbackIds.size).toBe(callbacks.length);
		const createdAt = callbacks.map((callback) =>
			String(callback.headers[CALLBACK_HEADERS.callbackCreatedAt]),
		);
		expect(new Set(createdAt).size).toBe(createdAt.length);
	}

	it('manual walk: onboard, advance step by step, activate', async () => {
		harness = await Harness.start({ delivery: { retries: 2, backoffMs: 1 } });
		receiver = await startReceiver();
		await subscribeAll(harness, receiver.url);

		const lead = validLead();
		const created = await harness.api('POST', '/leads', lead);
		expect(created.status).toBe(201);
		// the ledger holds the exact contract body
		const ledger = await harness.control('GET', '/ledger?path=/api/leads');
		expect(ledger.body.entries[0].body).toEqual(lead);

		const onboarded = await harness.control('POST', `/leads/${created.body.leadId}/onboard`);
		expect(onboarded.status).toBe(200);
		const organizationId = onboarded.body.organizationId;
		expect(onboarded.body).toMatchObject({ step: 1, status: 'ONBOARDING_STARTED', callbacks: 1 });

		for (let step = 2; step <= 11; step++) {
			const advanced = await harness.control('POST', `/organizations/${organizationId}/advance`);
			expect(advanced.status).toBe(200);
			expect(advanced.body.step).toBe(step);
			expect(advanced.body.events).toHaveLength(1);
		}
		const tooFar = await harness.control('POST', `/organizations/${organizationId}/advance`);
		expect(tooFar.status).toBe(409);

		const activated = await harness.api('POST', `/organizations/${organizationId}/activate`, {
			syncFromDate: '2026-01-01',
		});
		expect(activated.status).toBe(200);

		const callbacks = await receiver.waitFor(12);
		await harness.waitForDeliveries();
		await checkSequence(callbacks, lead, organizationId);
		const organization = (await harness.api('GET', `/organizations/${organizationId}`)).body;
		expect(organization.status).toBe('ACTIVE');
	});

	it('automatic mode: onboardingDelayMs and stepIntervalMs walk a new lead to AUTHORIZATION_PENDING', async () => {
		harness = await Harness.start({
			onboardingDelayMs: 5,
			stepIntervalMs: 2,
			delivery: { retries: 2, backoffMs: 1 },
		});
		receiver = await startReceiver();
		await subscribeAll(harness, receiver.url);
		const lead = validLead();
		expect((await harness.api('POST', '/leads', lead)).status).toBe(201);

		const first11 = await receiver.waitFor(11);
		const organizationId = String(first11[0].headers[CALLBACK_HEADERS.organizationId]);
		expect(first11[10].body.eventType).toBe('AUTHORIZATION_PENDING');
		expect((await harness.api('POST', `/organizations/${organizationId}/activate`)).status).toBe(
			200,
		);
		const callbacks = await receiver.waitFor(12);
		await harness.waitForDeliveries();
		await checkSequence(callbacks, lead, organizationId);
		const state = (await harness.control('GET', '/state')).body;
		expect(state.leads[0]).toMatchObject({ status: 'ONBOARDING', organizationId });
		expect(state.organizations[0]).toMatchObject({ step: 11, authorizationStatus: 'GRANTED' });
	});

	it('without shared details only ORGANIZATION_ADDED and AUTHORIZATION_* are sent', async () => {
		harness = await Harness.start({ detailsSharedByDefault: false, delivery: { retries: 0 } });
		receiver = await startReceiver();
		await subscribeAll(harness, receiver.url);
		const organizationId = await harness.createOrganization();
		const completed = await harness.control('POST', `/organizations/${organizationId}/complete`);
		expect(completed.body.events.map((event: { eventType: string }) => event.eventType)).toEqual([
			'AUTHORIZATION_PENDING',
		]);
		expect(completed.body.suppressed).toHaveLength(9);
		await harness.api('POST', `/organizations/${organizationId}/activate`);
		await harness.waitForDeliveries();
		expect(receiver.received.map((callback) => callback.body.eventType)).toEqual([
			'ORGANIZATION_ADDED',
			'AUTHORIZATION_PENDING',
			'AUTHORIZATION_GRANTED',
		]);
		expect((await harness.api('GET', `/organizations/${organizationId}/risk`)).status).toBe(403);
	});

	it('a rejected lead never becomes an organization', async () => {
		harness = await Harness.start();
		receiver = await startReceiver();
		const lead = await harness.createLead();
		const rejected = await harness.control('POST', `/leads/${lead.leadId}/reject`);
		expect(rejected.body).toEqual({
			leadId: lead.leadId,
			partnerOrganizationId: lead.partnerOrganizationId,
			status: 'REJECTED',
		});
		const onboard = await harness.control('POST', `/leads/${lead.leadId}/onboard`);
		expect(onboard.status).toBe(409);
		expect(onboard.body.code).toBe('ILLEGAL_STATUS_TRANSITION');
		expect((await harness.api('GET', '/organizations')).body.organizations).toEqual([]);
	});
});
