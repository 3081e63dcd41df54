import type { Money } from './leads';

/* ------------------------------------------------------------------ organizations */

/** The onboarding path, in the order Pliant walks an organization through it [doc names]. */
export const ONBOARDING_PATH = [
	'ONBOARDING_STARTED',
	'ONBOARDING_RISK_AND_COMPLIANCE',
	'ONBOARDING_MANDATES_AND_TERMS',
	'ACTIVE',
] as const;

export const ORGANIZATION_STATUSES = [...ONBOARDING_PATH, 'DEACTIVATED', 'CANCELLED'] as const; // [doc]

export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number];

/** Every onboarding status starts with this; any other status means onboarding is over [doc names]. */
export const ONBOARDING_STATUS_PREFIX = 'ONBOARDING_';

/** The status of an organization Pliant has just created for a lead (ORGANIZATION_ADDED) [assumed]. */
export const INITIAL_ORGANIZATION_STATUS: OrganizationStatus = 'ONBOARDING_STARTED';

export interface Organization {
	organizationId: string;
	name?: string;
	status?: string;
	partnersOrganizationId?: string | null; // [doc] spelling: "partners", not "partner"
	tradeName?: string;
	legalForm?: string;
	country?: string;
	accountType?: string;
	creditLimit?: Money;
	availableLimit?: Money;
	[key: string]: unknown;
}

export interface OrganizationList {
	organizations: Organization[];
	hasNextPage: boolean;
} // [assumed] envelope

export const ORGANIZATION_LIST_QUERY = {
	status: 'status',
	page: 'page', // starts at 0
	limit: 'limit',
	sortBy: 'sortBy',
	sortDirection: 'sortDirection',
	maxLimit: 1000,
	defaultLimit: 100,
} as const;

export interface OnboardingDetails {
	organizationId: string;
	representatives?: Array<{
		representativeId: string;
		name?: string;
		submissionStatus?: string;
		legitimationStatus?: string;
	}>;
	documents?: Array<{ category?: string; customerStatus?: string }>;
	bankConnection?: { status?: string } | null;
	directDebit?: { status?: string } | null;
	[key: string]: unknown;
} // [assumed] body of GET /organizations/{id}/risk

/**
 * Onboarding-detail status values the package reads to tell what waits on the customer.
 * Only the representative submission values are [doc]; the others follow the contract's
 * example [assumed]. Values not listed here pass through unchanged.
 */
export const ONBOARDING_DETAIL_STATUSES = {
	representativeSubmission: { internalOnly: 'INTERNAL_ONLY', infoRequested: 'INFO_REQUESTED' }, // [doc]
	representativeLegitimation: { pending: 'PENDING' }, // [assumed]
	documentCustomer: { requested: 'REQUESTED' }, // [assumed]
	bankConnection: { connected: 'CONNECTED' }, // [assumed]
	directDebit: { pending: 'PENDING' }, // [assumed]
} as const;

export interface ActivateRequest {
	syncFromDate?: string; // YYYY-MM-DD
}
