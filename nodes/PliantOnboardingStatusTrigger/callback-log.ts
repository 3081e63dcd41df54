import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import {
	CALLBACK_LOG_QUERY as QUERY,
	PATHS,
	type CallbackBody,
	type CallbackLogDetail,
	type CallbackLogEntry,
	type CallbackLogPage,
	type CallbackLogStatus,
} from '../shared/contract';
import { buildError } from '../shared/errors/failure';
import { endpointsFor } from '../shared/http/endpoints';
import { pliantApiRequest } from '../shared/http/transport';
import { accountKey, CREDENTIAL_TYPE } from '../shared/identity';
import { callbackItemFrom } from '../shared/onboarding/callback-item';
import { learnFromSignedBody, resolvePartnerOrganizationId } from '../shared/onboarding/partner-organization';
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
): Promise<{ entries: CallbackLogEntry[]; hasNextPage: boolean }> {
	const qs: IDataObject = { [QUERY.status]: FAILED, [QUERY.page]: page, [QUERY.limit]: options.limit };
	if (options.from) Object.assign(qs, { [QUERY.fromDate]: options.from, [QUERY.sortDirection]: 'ASC' });
	const response = (await pliantApiRequest.call(this, { method: 'GET', path: PATHS.callbacks, qs })) as
		| Partial<CallbackLogPage>
		| undefined;
	const entries = (Array.isArray(response?.callbacks) ? response.callbacks : []).filter(
		(entry) => entry && typeof entry === 'object' && typeof entry.callbackId === 'string',
	);
	return { entries, hasNextPage: response?.hasNextPage === true && entries.length > 0 };
}

/**
 * The partner's own ID for an event, resolved as the Pliant Trigger resolves it
 * (shared/onboarding/partner-organization.ts): the body (the log returns it exactly as sent),
 * else what this account taught the process or the node, else Pliant's organization.
 */
export type PartnerIdOf = (body: CallbackBody) => Promise<string | null>;

/** A poll has time: it waits for Pliant's answer longer than a callback's acknowledgement may. */
const PARTNER_ID_WAIT_MS = 30_000;

export async function partnerIdResolver(this: IPollFunctions): Promise<PartnerIdOf> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const account = accountKey({ baseUrl: endpointsFor(credentials).baseUrl, clientId: credentials.clientId });
	const staticData = this.getWorkflowStaticData('node');
	return async (body) => {
		if (typeof body.partnerOrganizationId === 'string' && body.partnerOrganizationId !== '') {
			learnFromSignedBody(account, body, staticData);
			return body.partnerOrganizationId;
		}
		const answer = await resolvePartnerOrganizationId.call(this, {
			account,
			organizationId: body.organizationId,
			staticData,
			waitMs: PARTNER_ID_WAIT_MS,
		});
		if (answer.why) {
			this.logger.warn(
				`Pliant Onboarding Status Trigger: partnerOrganizationId is null for organization ${String(body.organizationId ?? '(none)')}: ${answer.why}`,
			);
		}
		return answer.partnerOrganizationId;
	};
}

/** The Pliant Trigger's item for a callback Pliant logged, with `webhookId: null` and its source. */
export function missedCallbackItem(
	entry: CallbackLogEntry,
	body: CallbackBody,
	partnerOrganizationId: string | null,
	receivedAt: Date,
): IDataObject {
	return callbackItemFrom({
		body,
		eventType: normaliseEventType(body.eventType ?? entry.eventType),
		// The log's callbackId is the X-Callback-Id Pliant sent: the webhook item's callbackId.
		callbackId: entry.callbackId,
		webhookId: null,
		createdAt: typeof body.createdAt === 'string' ? body.createdAt : entry.createdAt,
		partnerOrganizationId,
		receivedAt,
		source: CALLBACK_LOG_SOURCE,
	});
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
	const partnerIdOf = await partnerIdResolver.call(this);
	const scan: Scan = { emitted: [], items: [], complete: false };
	const taken = new Set<string>();
	for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
		const { entries, hasNextPage } = await readFailedPage.call(this, page, { from, limit: LOG_PAGE_SIZE });
		for (const entry of entriesToEmit(entries, state, taken)) {
			if (scan.emitted.length >= settings.maxPerPoll) return { ...scan, stoppedAt: entry.createdAt };
			taken.add(entry.callbackId);
			// IDs from an answer enter a URL path only as UUIDs (X-Callback-Id is a UUIDv4).
			if (!isUuid(entry.callbackId)) continue;
			const body = await loggedBody.call(this, entry);
			scan.items.push(missedCallbackItem(entry, body, await partnerIdOf(body), now));
			scan.emitted.push(entry);
		}
		if (!hasNextPage) return { ...scan, complete: true };
		scan.stoppedAt = entries[entries.length - 1].createdAt;
	}
	return scan;
}
