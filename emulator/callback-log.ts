// Part of the local emulator: a dev server, never published (no community-node lint rule fires here).
/**
 * Pliant's callback log (`GET /api/callbacks`, `GET /api/callbacks/{callbackId}`), read from
 * the emulator's own delivery records: one entry per callback sent to one URL, with the
 * status it ended in. A receiver that refuses or cannot be reached ends `FAILED` once the
 * delivery's retries are used up (`POST /_emulator/config {delivery: {retries, backoffMs}}`
 * shortens them).
 */
import {
	CALLBACK_LOG_QUERY,
	ERROR_CODES,
	type CallbackBody,
	type CallbackLogDetail,
	type CallbackLogEntry,
	type CallbackLogStatus,
} from '../nodes/shared/contract';
import { compareTimestamps, timestampNs } from '../nodes/shared/timestamps';
import type { EmulatorContext } from './context';
import { canonicalEventType } from './delivery';
import { EmulatorError, json, type EmulatorRequest, type Reply } from './http';
import { callbackLogQuery, parseWith } from './schemas';
import type { DeliveryRecord } from './state';

/** The log's status of one delivery record. */
export function logStatus(record: DeliveryRecord): CallbackLogStatus {
	switch (record.state) {
		case 'delivered':
			return 'SENT';
		case 'failed':
			return 'FAILED';
		case 'cancelled':
			return 'SKIPPED';
		default:
			return record.attempts > 0 ? 'IN_PROGRESS' : 'UNSENT';
	}
}

export function logEntry(record: DeliveryRecord): CallbackLogEntry {
	return {
		callbackId: record.callbackId,
		eventType: record.eventType,
		organizationId: record.organizationId,
		status: logStatus(record),
		createdAt: record.createdAt,
		callbackUrl: record.url,
		attempts: record.attempts,
		lastAttemptAt: record.attemptLog[record.attemptLog.length - 1]?.at ?? null,
	};
}

function badDate(field: string): EmulatorError {
	return new EmulatorError(400, ERROR_CODES.illegalArguments, `${field} must be an ISO 8601 date or date-time (UTC)`, {
		details: [{ field, message: 'must be an ISO 8601 date or date-time' }],
	});
}

/** `GET /api/callbacks`: the contract's filters, newest first unless `sortDirection=ASC`, paged. */
export function listCallbacks(req: EmulatorRequest, context: EmulatorContext): Reply {
	const query: Record<string, string> = {};
	for (const [key, value] of req.query) if (!(key in query)) query[key] = value;
	const parsed = parseWith(callbackLogQuery, query);
	if (!parsed.ok) return parsed.reply;
	const { eventType, organizationId, status, fromDate, toDate, sortDirection } = parsed.value;
	const from = fromDate === undefined ? undefined : timestampNs(fromDate);
	const to = toDate === undefined ? undefined : timestampNs(toDate);
	if (fromDate !== undefined && from === undefined) throw badDate(CALLBACK_LOG_QUERY.fromDate);
	if (toDate !== undefined && to === undefined) throw badDate(CALLBACK_LOG_QUERY.toDate);

	let entries = context.state.deliveries.map(logEntry).filter((entry) => {
		const created = timestampNs(entry.createdAt) ?? 0n;
		return (
			(!eventType || canonicalEventType(entry.eventType) === canonicalEventType(eventType)) &&
			(!organizationId || entry.organizationId === organizationId) &&
			(!status || entry.status === status) &&
			(from === undefined || created >= from) &&
			(to === undefined || created <= to)
		);
	});
	entries.sort((a, b) => compareTimestamps(a.createdAt, b.createdAt));
	if (sortDirection !== 'ASC') entries = entries.reverse();
	const page = parsed.value.page ?? 0;
	const limit = parsed.value.limit ?? CALLBACK_LOG_QUERY.defaultLimit;
	const start = page * limit;
	return json(200, { callbacks: entries.slice(start, start + limit), hasNextPage: start + limit < entries.length });
}

/** `GET /api/callbacks/{callbackId}`: the entry plus the body exactly as sent. */
export function getCallback(req: EmulatorRequest, context: EmulatorContext): Reply {
	const record = context.state.deliveries.find((item) => item.callbackId === req.params.callbackId);
	if (!record) throw new EmulatorError(404, ERROR_CODES.notFound, `Callback ${req.params.callbackId} not found`);
	const detail: CallbackLogDetail = { ...logEntry(record), payload: JSON.parse(record.body) as CallbackBody };
	return json(200, detail);
}
