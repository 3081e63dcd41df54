import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import {
	CALLBACK_LOG_QUERY as QUERY,
	PATHS,
	type CallbackBody,
	type CallbackLogDetail,
	type CallbackLogEntry,
	type CallbackLogPage,
	type CallbackLogStatus,
	type Organization,
} from '../shared/contract';
import { buildError } from '../shared/errors/failure';
import { pliantApiRequest } from '../shared/http/transport';
import { buildEventItem } from '../shared/onboarding/event-item';
import { normaliseEventType } from '../shared/onboarding/events';
import { isUuid } from '../shared/uuid';
import { entriesToEmit, scanStart, type CatchUpState, type ScanOutcome } from './catch-up';

/** What the items of the "Missed callbacks" source carry in `source`. */
export const CALLBACK_LOG_SOURCE = 'callback-log';

const FAILED: CallbackLogStatus = 'FAILED';

/** Entries per page read: the log's largest page, so a quiet window costs one request per poll. */
export const LOG_PAGE_SIZE = QUERY.maxLimit;

/** Pages one poll reads at most; the rest waits for the next poll. */
export const MAX_PAGES_PER_POLL = 10;

export interface ScanSettings {
	callbackUrl: string;
	windowMs: number;
	/** Callbacks one poll emits at most (each costs one request for its body). */
	maxPerPoll: number;
}

/** One page of FAILED entries; oldest first from `from` (production) or newest first (test event). */
export async function readFailedPage(
	this: IPollFunctions,
	page: number,
	options: { from?: string; limit: number },
): Promise<CallbackLogEntry[] & { hasNextPage?: boolean }> {
	const qs: IDataObject = { [QUERY.status]: FAILED, [QUERY.page]: page, [QUERY.limit]: options.limit };
	if (options.from) Object.assign(qs, { [QUERY.fromDate]: options.from, [QUERY.sortDirection]: 'ASC' });
	const response = (await pliantApiRequest.call(this, { method: 'GET', path: PATHS.callbacks, qs })) as
		| Partial<CallbackLogPage>
		| undefined;
	const entries = (Array.isArray(response?.callbacks) ? response.callbacks : []).filter(
		(entry) => entry && typeof entry === 'object' && typeof entry.callbackId === 'string',
	);
	return Object.assign(entries, { hasNextPage: response?.hasNextPage === true && entries.length > 0 });
}

/**
 * The partner's own ID for an event, from trusted sources only: the body (Pliant's log returns
 * it exactly as sent), else Pliant's organization. Looked up once per organization and poll.
 */
export type PartnerIdOf = (body: CallbackBody) => Promise<string | null>;

export function partnerIdResolver(this: IPollFunctions): PartnerIdOf {
	const known = new Map<string, Promise<string | null>>();
	const lookUp = async (organizationId: string): Promise<string | null> => {
		try {
			const organization = (await pliantApiRequest.call(this, {
				method: 'GET',
				path: PATHS.organization(organizationId),
			})) as Organization | undefined;
			return typeof organization?.partnersOrganizationId === 'string' ? organization.partnersOrganizationId : null;
		} catch (error) {
			this.logger.warn(
				`Pliant Onboarding Status Trigger: no partner organization ID for ${organizationId} (${(error as Error).message}); the item carries null`,
			);
			return null;
		}
	};
	return async (body) => {
		if (typeof body.partnerOrganizationId === 'string') return body.partnerOrganizationId;
		const organizationId = body.organizationId;
		if (!isUuid(organizationId)) return null;
		if (!known.has(organizationId)) known.set(organizationId, lookUp(organizationId));
		return await (known.get(organizationId) as Promise<string | null>);
	};
}

/** The Pliant Trigger's item for a callback Pliant logged, with `webhookId: null` and its source. */
export function missedCallbackItem(
	entry: CallbackLogEntry,
	body: CallbackBody,
	partnerOrganizationId: string | null,
	receivedAt: Date,
): IDataObject {
	const item = buildEventItem({
		body,
		eventType: normaliseEventType(body.eventType ?? entry.eventType),
		facts: {
			partnerOrganizationId,
			paymentProgramId: typeof body.paymentProgramId === 'string' ? body.paymentProgramId : null,
			callbackId: entry.callbackId,
			createdAt: typeof body.createdAt === 'string' ? body.createdAt : entry.createdAt,
		},
		receivedAt,
	});
	return { ...item, webhookId: null, source: CALLBACK_LOG_SOURCE };
}

/** The body Pliant sent for one logged callback (GET /callbacks/{id}). */
export async function loggedBody(this: IPollFunctions, entry: CallbackLogEntry): Promise<CallbackBody> {
	const detail = (await pliantApiRequest.call(this, {
		method: 'GET',
		path: PATHS.callback(entry.callbackId),
	})) as Partial<CallbackLogDetail> | undefined;
	const payload = detail?.payload;
	if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
		throw buildError(this.getNode(), {
			message: `Pliant's callback log returned no payload for callback ${entry.callbackId}`,
			description: 'The log entry is kept: the next poll reads it again.',
		});
	}
	return { ...payload, eventType: String(payload.eventType ?? entry.eventType) };
}

export interface Scan extends ScanOutcome {
	items: IDataObject[];
}

/**
 * One poll's read of the log: FAILED entries of this node's callback URL from the scan start,
 * oldest first, each not emitted before turned into its item; at most `maxPerPoll` callbacks
 * and MAX_PAGES_PER_POLL pages, the rest at the next poll.
 */
export async function scanLog(this: IPollFunctions, state: CatchUpState, settings: ScanSettings, now: Date): Promise<Scan> {
	const from = scanStart(state, now, settings.windowMs);
	const partnerIdOf = partnerIdResolver.call(this);
	const scan: Scan = { emitted: [], items: [], complete: false };
	const taken = new Set<string>();
	for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
		const entries = await readFailedPage.call(this, page, { from, limit: LOG_PAGE_SIZE });
		for (const entry of entriesToEmit(entries, state, taken)) {
			if (scan.emitted.length >= settings.maxPerPoll) return { ...scan, stoppedAt: entry.createdAt };
			taken.add(entry.callbackId);
			// IDs from an answer enter a URL path only as UUIDs (X-Callback-Id is a UUIDv4).
			if (!isUuid(entry.callbackId)) continue;
			const body = await loggedBody.call(this, entry);
			scan.items.push(missedCallbackItem(entry, body, await partnerIdOf(body), now));
			scan.emitted.push(entry);
		}
		if (!entries.hasNextPage) return { ...scan, complete: true };
		scan.stoppedAt = entries[entries.length - 1].createdAt;
	}
	return scan;
}
