/**
 * The examples of the contract (shared/docs/pliant-contract.md), written once for every suite (unit,
 * integration, e2e). A test that needs a variant spreads one of these and names what differs.
 * They are frozen: code under test that mutates its input fails loudly instead of changing
 * the next test's data.
 */
import type { IDataObject } from 'n8n-workflow';

import type { LeadRequest, OnboardingDetails, Organization } from '../../nodes/shared/contract';

function deepFreeze<T>(value: T): T {
	if (value !== null && typeof value === 'object') {
		for (const inner of Object.values(value)) deepFreeze(inner);
		Object.freeze(value);
	}
	return value;
}

/** The organization of the contract's callback example. */
export const ORG_ID = 'b1f8e35c-c500-4bbf-aa20-3dc14b83ff19';
/** The representative of the contract's callback example. */
export const REP_ID = '2acaec98-b337-4006-ba09-a93874d9b338';

/* ------------------------------------------------------------------ Create a lead */

/** The body of the contract's "Create a lead" example, as it goes on the wire, keys in its order. */
export const CONTRACT_LEAD = deepFreeze({
	partnerOrganizationId: 'crm-4711',
	company: {
		name: 'Acme Software GmbH',
		tradeName: 'Acme',
		legalForm: 'GmbH',
		country: 'DE',
		industry: 'COMPUTER_SOFTWARE',
		website: 'https://acme.example',
		vatId: 'DE123456789',
		nationalRegisterId: 'HRB 12345',
		nationalRegisterCourt: 'Amtsgericht Berlin',
		numberOfEmployees: 120,
		expectedMonthlySpend: { value: 2500000, currency: 'EUR' },
		address: { street: 'Main Street 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
	},
	contactPersons: [
		{
			firstName: 'Ada',
			lastName: 'Lovelace',
			email: 'ada@acme.example',
			phoneNumber: '+4930123456',
			role: 'CFO',
			isPrimary: true,
		},
	],
	demoConductedByPartner: false,
	notes: 'Met at a partner webinar',
} satisfies LeadRequest);

/** The smallest valid lead: the example's required fields only. */
export const CONTRACT_LEAD_REQUIRED = deepFreeze({
	partnerOrganizationId: CONTRACT_LEAD.partnerOrganizationId,
	company: {
		name: CONTRACT_LEAD.company.name,
		country: CONTRACT_LEAD.company.country,
		industry: CONTRACT_LEAD.company.industry,
	},
} satisfies LeadRequest);

/**
 * Everything of CONTRACT_LEAD beyond the required fields and contact persons, as Pliant Create
 * Lead's Additional Fields hold it: the spend in euros, the address in its fixed collection.
 */
export const CONTRACT_LEAD_ADDITIONAL_FIELDS: IDataObject = deepFreeze({
	tradeName: CONTRACT_LEAD.company.tradeName,
	legalForm: CONTRACT_LEAD.company.legalForm,
	website: CONTRACT_LEAD.company.website,
	vatId: CONTRACT_LEAD.company.vatId,
	nationalRegisterId: CONTRACT_LEAD.company.nationalRegisterId,
	nationalRegisterCourt: CONTRACT_LEAD.company.nationalRegisterCourt,
	numberOfEmployees: CONTRACT_LEAD.company.numberOfEmployees,
	expectedMonthlySpend: CONTRACT_LEAD.company.expectedMonthlySpend.value / 100,
	address: { addressFields: CONTRACT_LEAD.company.address },
	demoConductedByPartner: CONTRACT_LEAD.demoConductedByPartner,
	notes: CONTRACT_LEAD.notes,
});

/**
 * Pliant Create Lead's parameters for CONTRACT_LEAD's required fields and contact person (what
 * the README example fills in), with `overrides` on top.
 */
export function leadParameters(overrides: IDataObject = {}): IDataObject {
	return {
		operation: 'create',
		companyName: CONTRACT_LEAD.company.name,
		country: CONTRACT_LEAD.company.country,
		industry: CONTRACT_LEAD.company.industry,
		partnerOrganizationId: CONTRACT_LEAD.partnerOrganizationId,
		contactPersons: { contactPerson: CONTRACT_LEAD.contactPersons },
		additionalFields: {},
		options: {},
		...overrides,
	};
}

/** Pliant's answer to creating CONTRACT_LEAD (201). */
export const CONTRACT_LEAD_CREATED = deepFreeze({
	leadId: '0b0c1d2e-0000-4000-8000-000000000001',
	partnerOrganizationId: CONTRACT_LEAD.partnerOrganizationId,
	status: 'RECEIVED',
	createdAt: '2026-03-01T10:00:00.123456789Z',
});

/* ------------------------------------------------------------------ organizations */

/** The organization CONTRACT_LEAD became, in risk and compliance (step 2 of 4). */
export const ORGANIZATION = deepFreeze({
	organizationId: ORG_ID,
	name: CONTRACT_LEAD.company.name,
	status: 'ONBOARDING_RISK_AND_COMPLIANCE',
	partnersOrganizationId: CONTRACT_LEAD.partnerOrganizationId,
	tradeName: CONTRACT_LEAD.company.tradeName,
	legalForm: CONTRACT_LEAD.company.legalForm,
	country: CONTRACT_LEAD.company.country,
	accountType: 'CREDIT',
	creditLimit: { value: 0, currency: 'EUR' },
} satisfies Organization);

/** The contract's example body of GET /organizations/{id}/risk. */
export const CONTRACT_RISK = deepFreeze({
	organizationId: ORG_ID,
	representatives: [
		{
			representativeId: REP_ID,
			name: 'Ada Lovelace',
			submissionStatus: 'INFO_REQUESTED',
			legitimationStatus: 'PENDING',
		},
	],
	documents: [{ category: 'COMPANY_REGISTRY_EXTRACT', customerStatus: 'REQUESTED' }],
	bankConnection: { status: 'CONNECTED' },
	directDebit: { status: 'PENDING' },
} satisfies OnboardingDetails);
