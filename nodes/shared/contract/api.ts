/** Pliant's API: environments, login, rate limit, paths and error bodies. */

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
	callbacks: '/callbacks', // [doc] the callback log
	callback: (callbackId: string) => `/callbacks/${encodeURIComponent(callbackId)}`, // [doc]
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
