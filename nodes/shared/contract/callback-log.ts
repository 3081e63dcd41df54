import type { CallbackBody } from './callbacks';

/* ------------------------------------------------------------------ callback log [doc endpoints and filters, assumed bodies] */

/** Where a callback is in Pliant's delivery [doc values]. `FAILED` is final: Pliant gave up retrying. */
export const CALLBACK_LOG_STATUSES = [
	'UNSENT',
	'IN_PROGRESS',
	'SENT',
	'FAILED',
	'SKIPPED',
	'TO_BE_SEND_IMMEDIATELY',
] as const;

export type CallbackLogStatus = (typeof CALLBACK_LOG_STATUSES)[number];

/** `GET /callbacks` query names: filters [doc], names [assumed]. Dates are UTC and inclusive. */
export const CALLBACK_LOG_QUERY = {
	eventType: 'eventType',
	organizationId: 'organizationId',
	status: 'status',
	fromDate: 'fromDate',
	toDate: 'toDate',
	page: 'page', // starts at 0
	limit: 'limit',
	sortDirection: 'sortDirection', // newest first unless ASC [assumed]
	maxLimit: 1000,
	defaultLimit: 100,
} as const;

/** One entry of Pliant's callback log [assumed field names]; `callbackId` is the X-Callback-Id sent. */
export interface CallbackLogEntry {
	callbackId: string;
	eventType: string;
	organizationId?: string;
	status: string;
	createdAt: string;
	callbackUrl: string;
	attempts?: number;
	lastAttemptAt?: string | null;
}

export interface CallbackLogPage {
	callbacks: CallbackLogEntry[];
	hasNextPage: boolean;
} // [assumed] envelope

/** `GET /callbacks/{callbackId}`: the entry plus the callback body exactly as sent [`payload` assumed]. */
export interface CallbackLogDetail extends CallbackLogEntry {
	payload: CallbackBody;
}
