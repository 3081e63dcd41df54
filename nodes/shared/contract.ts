/**
 * Every Pliant name this package relies on: hosts, paths, headers, field names, event types,
 * enums and error codes. Pliant does not publish all of them; the ones marked [assumed] follow
 * the project's contract (pliant-contract.md) and are confirmed or corrected HERE, in one place.
 */

/* ------------------------------------------------------------------ environments [doc] */

export type PliantEnvironment = 'production' | 'sandbox' | 'custom';

export interface PliantEndpoints {
	tokenUrl: string;
	audience: string;
	baseUrl: string;
}

export const ENVIRONMENTS: Record<Exclude<PliantEnvironment, 'custom'>, PliantEndpoints> = {
	production: {
		tokenUrl: 'https://infinnityprodinternal.eu.auth0.com/oauth/token',
		audience: 'api.getpliant.com/api/integration',
		baseUrl: 'https://partner-api.getpliant.com/api',
	},
	sandbox: {
		tokenUrl: 'https://infinnitystaginginternal.eu.auth0.com/oauth/token',
		audience: 'api.staging.v2.infinnitytest.com/api/integration',
		baseUrl: 'https://sandbox.partner-api.getpliant.com/api',
	},
};

/** The other sandbox audience spelling seen in public client code (no "v2"). */
export const SANDBOX_AUDIENCE_ALTERNATIVE = 'api.staging.infinnitytest.com/api/integration';

/** The local emulator serves the token endpoint and the API on one port. */
export const EMULATOR_DEFAULTS = {
	port: 4010,
	tokenPath: '/oauth/token',
	apiPrefix: '/api',
	audience: 'pliant-emulator',
} as const;

/* ------------------------------------------------------------------ auth [doc] */

export const TOKEN_REQUEST = {
	grantType: 'client_credentials',
	// body field names of the Auth0 client-credentials request
	fields: {
		clientId: 'client_id',
		clientSecret: 'client_secret',
		audience: 'audience',
		grantType: 'grant_type',
	},
} as const;

/** Starts every message of a failed token request, so the transport can tell login failures apart. */
export const LOGIN_FAILURE_MARKER = 'Pliant login failed:';

export interface TokenResponse {
	access_token: string;
	expires_in: number;
	token_type: string;
}

/** Pliant's API rate limit per client [doc]. */
export const RATE_LIMIT = { requests: 900, windowMs: 5 * 60 * 1000 } as const;

/* ------------------------------------------------------------------ paths */

export const PATHS = {
	leads: '/leads', // [assumed]
	organizations: '/organizations', // [doc]
	organization: (organizationId: string) => `/organizations/${encodeURIComponent(organizationId)}`, // [assumed]
	organizationRisk: (organizationId: string) =>
		`/organizations/${encodeURIComponent(organizationId)}/risk`, // [doc]
	organizationActivate: (organizationId: string) =>
		`/organizations/${encodeURIComponent(organizationId)}/activate`, // [doc]
	subscriptions: '/subscriptions', // [doc]
	subscriptionsBulkUpsert: '/subscriptions/bulk-upsert', // [doc]
	subscription: (id: string) => `/subscriptions/${encodeURIComponent(id)}`, // [doc]
	jwks: '/partner-management/signing/jwks.json', // [doc path], fetched with the bearer token [assumed]
} as const;

/* ------------------------------------------------------------------ errors [assumed body] */

export interface PliantErrorBody {
	code?: string;
	message?: string;
	details?: Array<{ field?: string; message?: string }>;
	// Auth0 and the rate limiter answer with these instead
	error?: string;
	error_description?: string;
	// 409 LEAD_ALREADY_EXISTS carries the existing lead
	leadId?: string;
}

export const ERROR_CODES = {
	illegalArguments: 'ILLEGAL_ARGUMENTS_PROVIDED',
	leadAlreadyExists: 'LEAD_ALREADY_EXISTS',
	onboardingDetailsNotShared: 'ONBOARDING_DETAILS_NOT_SHARED',
	subscriptionLimitReached: 'SUBSCRIPTION_LIMIT_REACHED',
	notActiveOrg: 'NOT_ACTIVE_ORG',
	illegalStatusTransition: 'ILLEGAL_STATUS_TRANSITION',
	notFound: 'NOT_FOUND',
	unauthorized: 'UNAUTHORIZED',
} as const;

/* ------------------------------------------------------------------ leads [assumed] */

export interface Money {
	value: number; // minor units (cents)
	currency: 'EUR';
}

export interface LeadAddress {
	street?: string;
	postalCode?: string;
	city?: string;
	country?: string; // ISO 3166-1 alpha-2
}

export interface LeadCompany {
	name: string;
	tradeName?: string;
	legalForm?: string;
	country: string; // ISO 3166-1 alpha-2, one of COUNTRIES
	industry: string; // one of INDUSTRIES
	website?: string;
	vatId?: string;
	nationalRegisterId?: string;
	nationalRegisterCourt?: string;
	numberOfEmployees?: number;
	expectedMonthlySpend?: Money;
	address?: LeadAddress;
}

export interface LeadContactPerson {
	firstName: string;
	lastName: string;
	email: string;
	phoneNumber?: string;
	role?: string;
	isPrimary?: boolean;
}

export interface LeadRequest {
	partnerOrganizationId: string;
	company: LeadCompany;
	contactPersons?: LeadContactPerson[];
	demoConductedByPartner?: boolean;
	notes?: string;
}

export interface LeadResponse {
	leadId: string;
	partnerOrganizationId: string;
	status: string; // 'RECEIVED' on creation
	createdAt: string;
}

export const LEAD_LIMITS = {
	tradeNameMaxLength: 20, // cards are embossed with it [doc]
} as const;

export const CURRENCY = 'EUR' as const;

/* ------------------------------------------------------------------ organizations */

export const ORGANIZATION_STATUSES = [
	'ONBOARDING_STARTED',
	'ONBOARDING_RISK_AND_COMPLIANCE',
	'ONBOARDING_MANDATES_AND_TERMS',
	'ACTIVE',
	'DEACTIVATED',
	'CANCELLED',
] as const; // [doc]

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
	// The partner's own ID of a referred organization; same spelling as the entity field [assumed]
	partnersOrganizationId: 'partnersOrganizationId',
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

/* ------------------------------------------------------------------ subscriptions [assumed bodies] */

export interface Subscription {
	id: string;
	eventType: string;
	callbackUrl: string;
}

export interface SubscriptionList {
	subscriptions: Subscription[];
}

export interface BulkUpsertRequest {
	subscriptions: Array<{ eventType: string; callbackUrl: string }>;
}

export const SUBSCRIPTION_LIMIT_PER_EVENT = 42; // [doc]

/* ------------------------------------------------------------------ callbacks */

export const EVENT_TYPES = [
	'AUTHORIZATION_GRANTED',
	'AUTHORIZATION_PENDING',
	'BANK_CONNECTION_STATUS_CHANGED',
	'DIRECT_DEBIT_STATUS_CHANGED',
	'DOCUMENT_CUSTOMER_STATUS_CHANGED',
	'ORGANIZATION_ADDED',
	'ORGANIZATION_STATE_CHANGED',
	'REPRESENTATIVE_LEGITIMATION_STATUS_CHANGED',
	'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** Other spellings Pliant has used for an event, mapped to the name the package emits. */
export const EVENT_TYPE_ALIASES: Record<string, EventType> = {
	BANK_CONNECTION_STATUS_CHANGE: 'BANK_CONNECTION_STATUS_CHANGED', // changelog spelling [doc]
};

export const CALLBACK_HEADERS = {
	organizationId: 'x-organization-id',
	partnerOrganizationId: 'x-partner-organization-id',
	paymentProgramId: 'x-payment-program-id',
	callbackId: 'x-callback-id',
	callbackCreatedAt: 'x-callback-created-at',
	webhookId: 'webhook-id',
	webhookTimestamp: 'webhook-timestamp',
	webhookSignature: 'webhook-signature',
} as const; // lower case, as Node delivers them

/** Standard Webhooks: `v1a` marks an Ed25519 signature (`v1` would be HMAC). */
export const SIGNATURE_SCHEME = {
	version: 'v1a',
	toleranceSeconds: 5 * 60,
} as const;

export interface StatusChange {
	beforeChange?: string | null;
	afterChange?: string | null;
}

/** Flat callback body: `eventType` at the top level, no envelope. */
export interface CallbackBody {
	eventType: string;
	organizationId?: string;
	partnerOrganizationId?: string; // ORGANIZATION_ADDED [assumed]
	organizationName?: string; // ORGANIZATION_ADDED [assumed]
	representativeId?: string;
	category?: string;
	statusChange?: StatusChange;
	[key: string]: unknown;
}

/** A JWKS entry for an Ed25519 key [assumed format]. */
export interface SigningJwk {
	kty: 'OKP';
	crv: 'Ed25519';
	x: string;
	kid?: string;
}

export interface Jwks {
	keys: SigningJwk[];
}
