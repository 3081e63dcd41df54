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
