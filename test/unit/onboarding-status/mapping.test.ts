import type { OnboardingDetails } from '../../../nodes/shared/contract';
import {
	detailsNotSharedItem,
	normaliseOnboardingDetails,
	pendingOnCustomer,
} from '../../../nodes/shared/onboarding/details';
import { simplifyOrganization } from '../../../nodes/PliantOnboardingStatus/simplify';
import { CONTRACT_RISK, ORG_ID, ORGANIZATION, REP_ID } from '../../support/fixtures';

describe('simplifyOrganization', () => {
	it('keeps the fields ops act on, adds the stage, and renames partnersOrganizationId', () => {
		expect(simplifyOrganization(ORGANIZATION)).toEqual({
			organizationId: ORG_ID,
			name: 'Acme Software GmbH',
			status: 'ONBOARDING_RISK_AND_COMPLIANCE',
			stage: 'Risk and compliance',
			stagePosition: 2,
			stageCount: 4,
			stageSummary: 'Risk and compliance — step 2 of 4',
			partnerOrganizationId: 'crm-4711',
			tradeName: 'Acme',
			country: 'DE',
		});
	});

	it('passes an unknown status through unchanged', () => {
		const simplified = simplifyOrganization({ ...ORGANIZATION, status: 'SUSPENDED_FOR_REVIEW' });
		expect(simplified).toMatchObject({
			status: 'SUSPENDED_FOR_REVIEW',
			stage: 'Suspended for review',
			stagePosition: null,
			stageSummary: 'Suspended for review',
		});
	});

	it('fills missing fields with null instead of dropping them', () => {
		expect(simplifyOrganization({ organizationId: ORG_ID })).toEqual({
			organizationId: ORG_ID,
			name: null,
			status: null,
			stage: null,
			stagePosition: null,
			stageCount: 4,
			stageSummary: null,
			partnerOrganizationId: null,
			tradeName: null,
			country: null,
		});
	});
});

describe('normaliseOnboardingDetails', () => {
	it('normalises the contract example', () => {
		expect(normaliseOnboardingDetails(CONTRACT_RISK, ORG_ID)).toEqual({
			organizationId: ORG_ID,
			detailsShared: true,
			representatives: CONTRACT_RISK.representatives,
			documents: CONTRACT_RISK.documents,
			bankConnectionStatus: 'CONNECTED',
			directDebitStatus: 'PENDING',
			pendingOnCustomer: [
				'Representative Ada Lovelace: information requested',
				'Representative Ada Lovelace: identity verification pending',
				'Document Company registry extract: requested',
				'Direct debit mandate: pending',
			],
		});
	});

	it('passes unknown status values through unchanged and drops unknown extra fields', () => {
		const normalised = normaliseOnboardingDetails(
			{
				organizationId: ORG_ID,
				representatives: [
					{
						representativeId: REP_ID,
						name: 'Ada',
						submissionStatus: 'ESCALATED',
						legitimationStatus: 'VIDEO_CALL_BOOKED',
						internalNote: 'x',
					} as never,
				],
				documents: [{ category: 'PROOF_OF_ADDRESS', customerStatus: 'UNDER_REVIEW' }],
				bankConnection: { status: 'RECONNECT_NEEDED' },
				directDebit: { status: 'REVOKED' },
			},
			ORG_ID,
		);
		expect(normalised).toMatchObject({
			representatives: [
				{
					representativeId: REP_ID,
					name: 'Ada',
					submissionStatus: 'ESCALATED',
					legitimationStatus: 'VIDEO_CALL_BOOKED',
				},
			],
			documents: [{ category: 'PROOF_OF_ADDRESS', customerStatus: 'UNDER_REVIEW' }],
			bankConnectionStatus: 'RECONNECT_NEEDED',
			directDebitStatus: 'REVOKED',
			// only the bank connection is known to wait on the customer (anything but CONNECTED)
			pendingOnCustomer: ['Bank connection: not connected (RECONNECT_NEEDED)'],
		});
		expect((normalised.representatives as object[])[0]).not.toHaveProperty('internalNote');
	});

	it('copes with missing parts', () => {
		expect(
			normaliseOnboardingDetails({ organizationId: ORG_ID, bankConnection: null }, ORG_ID),
		).toEqual({
			organizationId: ORG_ID,
			detailsShared: true,
			representatives: [],
			documents: [],
			bankConnectionStatus: null,
			directDebitStatus: null,
			pendingOnCustomer: [],
		});
	});

	it('falls back to the requested organization ID when the body lacks one', () => {
		const body = { representatives: [] } as unknown as OnboardingDetails;
		expect(normaliseOnboardingDetails(body, ORG_ID).organizationId).toBe(ORG_ID);
	});
});

describe('pendingOnCustomer', () => {
	it('is empty once the customer has done everything', () => {
		expect(
			pendingOnCustomer({
				organizationId: ORG_ID,
				representatives: [
					{
						representativeId: REP_ID,
						name: 'Ada',
						submissionStatus: 'SUBMITTED',
						legitimationStatus: 'VERIFIED',
					},
				],
				documents: [{ category: 'COMPANY_REGISTRY_EXTRACT', customerStatus: 'UPLOADED' }],
				bankConnection: { status: 'CONNECTED' },
				directDebit: { status: 'ACTIVE' },
			}),
		).toEqual([]);
	});

	it('does not count INTERNAL_ONLY: Pliant has not asked the customer yet', () => {
		expect(
			pendingOnCustomer({
				organizationId: ORG_ID,
				representatives: [
					{ representativeId: REP_ID, name: 'Ada', submissionStatus: 'INTERNAL_ONLY' },
				],
			}),
		).toEqual([]);
	});

	it('lists a bank connection that is not connected', () => {
		expect(
			pendingOnCustomer({ organizationId: ORG_ID, bankConnection: { status: 'NOT_CONNECTED' } }),
		).toEqual(['Bank connection: not connected (NOT_CONNECTED)']);
	});

	it('names a representative without a name by its ID, and a document without a category', () => {
		expect(
			pendingOnCustomer({
				organizationId: ORG_ID,
				representatives: [{ representativeId: REP_ID, submissionStatus: 'INFO_REQUESTED' }],
				documents: [{ customerStatus: 'REQUESTED' }],
			}),
		).toEqual([
			`Representative ${REP_ID}: information requested`,
			'Document (no category): requested',
		]);
	});

	it('lists several representatives and documents in order', () => {
		expect(
			pendingOnCustomer({
				organizationId: ORG_ID,
				representatives: [
					{ representativeId: 'r1', name: 'Ada', submissionStatus: 'INFO_REQUESTED' },
					{ representativeId: 'r2', name: 'Grace', submissionStatus: 'INFO_REQUESTED' },
				],
				documents: [
					{ category: 'COMPANY_REGISTRY_EXTRACT', customerStatus: 'REQUESTED' },
					{ category: 'SHAREHOLDER_LIST', customerStatus: 'REQUESTED' },
				],
			}),
		).toEqual([
			'Representative Ada: information requested',
			'Representative Grace: information requested',
			'Document Company registry extract: requested',
			'Document Shareholder list: requested',
		]);
	});
});

describe('detailsNotSharedItem', () => {
	it('says the details are not shared', () => {
		expect(detailsNotSharedItem(ORG_ID)).toEqual({ organizationId: ORG_ID, detailsShared: false });
	});
});
