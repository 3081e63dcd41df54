import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { PATHS, type CallbackBody, type Organization } from '../contract';
import { clock } from '../clock';
import { pliantApiRequest, type PliantContext } from '../http/transport';
import { boundedMap, processMemory, type BoundedMap } from '../memory';
import { isUuid } from '../uuid';

/**
 * The partner's own organization ID (the CRM key) of a Pliant organization, from trusted
 * sources only, in this order: the signed body; what a signed body (ORGANIZATION_ADDED) or an
 * earlier answer taught this process for the same Pliant account; this node's copy in workflow
 * static data (kept across restarts); Pliant's API, `GET /organizations/{id}` →
 * `partnersOrganizationId`, through the credential and its rate limiter. Never an unsigned header.
 * Everything is keyed by the account (API base + client ID, `accountKey`), so one account's
 * answer never reaches another account's items.
 */

/** How long a callback waits for Pliant's answer; the lookup goes on and serves the next callback. */
export const PARTNER_ID_WAIT_MS = 2_000;
/** Organizations remembered per account in this process. */
export const PARTNER_IDS_PER_ACCOUNT = 10_000;
/** Organizations a node keeps in its static data (across restarts). */
export const STORED_PARTNER_IDS = 1_000;
/** Accounts remembered at once; the least recently used is forgotten first. */
const MAX_ACCOUNTS = 100;
/** Lookups and failures remembered at once, over all accounts. */
const MAX_PENDING = 10_000;
/** After a failed lookup the organization is not asked for again this long (the rate limit is shared). */
export const PARTNER_ID_FAILURE_MEMORY_MS = 30_000;
/** The lookup's own limits: it outlives the callback's wait, never the next minute. */
const LOOKUP_TIMEOUT_MS = 10_000;
const LOOKUP_RATE_LIMIT_WAIT_MS = 10_000;

/** Where the node keeps its copy in static data. */
const STATIC_DATA_KEY = 'partnerOrganizationIds';

export interface PartnerIdAnswer {
	partnerOrganizationId: string | null;
	/** Why the value is null, for the log; undefined when there is a value. */
	why?: string;
}

interface StoredPartnerIds {
	/** A hash of the account: the copy is used for that account only. */
	account: string;
	ids: Record<string, string | null>;
}

const asPartnerId = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** What this process knows, per account; one lookup per organization at a time. */
export class PartnerOrganizationIds {
	constructor(
		private readonly entries: BoundedMap<string, BoundedMap<string, string | null>>,
		private readonly inFlight: BoundedMap<string, Promise<string | null>>,
		/** Why the last lookup failed, for as long as it keeps the organization from being asked again. */
		private readonly failures: BoundedMap<string, string>,
	) {}

	/** The value known for an organization (null: Pliant holds none), or undefined when unknown. */
	known(account: string, organizationId: string): string | null | undefined {
		return this.entries.get(account)?.get(organizationId);
	}

	learn(account: string, organizationId: string, partnerOrganizationId: string | null): void {
		const ids = this.entries.get(account) ?? boundedMap<string, string | null>('partner organization IDs of one account', { max: PARTNER_IDS_PER_ACCOUNT });
		ids.set(organizationId, partnerOrganizationId);
		// Written again on every lesson: the account learned from least recently is forgotten first.
		this.entries.set(account, ids);
		this.failures.delete(`${account}|${organizationId}`);
	}

	/** Why the last lookup of the organization failed, while that is recent enough to count. */
	recentFailure(account: string, organizationId: string): string | undefined {
		return this.failures.get(`${account}|${organizationId}`);
	}

	/**
	 * Pliant's answer for an organization: a lookup already under way is shared (single flight).
	 * The answer is remembered when it comes, also after the caller stopped waiting.
	 */
	async lookup(account: string, organizationId: string, fetch: () => Promise<string | null>): Promise<string | null> {
		const key = `${account}|${organizationId}`;
		let pending = this.inFlight.get(key);
		if (!pending) {
			pending = fetch()
				.then(
					(value) => {
						this.learn(account, organizationId, value);
						return value;
					},
					async (error: unknown) => {
						this.failures.set(key, (error as Error)?.message ?? String(error));
						return await Promise.reject(error);
					},
				)
				.finally(() => this.inFlight.delete(key));
			this.inFlight.set(key, pending);
		}
		return await pending;
	}
}

/** The one memory of this n8n process. */
export const partnerOrganizationIds = new PartnerOrganizationIds(
	processMemory.create('partner organization IDs', { max: MAX_ACCOUNTS }),
	processMemory.create('partner organization ID lookups', { max: MAX_PENDING }),
	processMemory.create('partner organization ID failures', { max: MAX_PENDING, ttlMs: PARTNER_ID_FAILURE_MEMORY_MS }),
);

const accountHash = (account: string) => createHash('sha256').update(account).digest('hex').slice(0, 16);

function stored(staticData: IDataObject | undefined, account: string): StoredPartnerIds | undefined {
	const copy = staticData?.[STATIC_DATA_KEY] as StoredPartnerIds | undefined;
	return copy && copy.account === accountHash(account) && copy.ids && typeof copy.ids === 'object' ? copy : undefined;
}

/** Adds one organization to the node's copy (a new object: n8n saves static data that changed). */
function store(staticData: IDataObject | undefined, account: string, organizationId: string, value: string | null): void {
	if (!staticData) return;
	const ids = { ...(stored(staticData, account)?.ids ?? {}) };
	if (ids[organizationId] === value) return;
	delete ids[organizationId];
	ids[organizationId] = value;
	const keys = Object.keys(ids);
	for (const old of keys.slice(0, Math.max(0, keys.length - STORED_PARTNER_IDS))) delete ids[old];
	staticData[STATIC_DATA_KEY] = { account: accountHash(account), ids } as unknown as IDataObject;
}

/** A signed body that names both IDs (ORGANIZATION_ADDED) teaches them to the process and the node. */
export function learnFromSignedBody(account: string, body: CallbackBody, staticData?: IDataObject): void {
	const partnerOrganizationId = asPartnerId(body.partnerOrganizationId);
	if (typeof body.organizationId !== 'string' || partnerOrganizationId === null) return;
	if (partnerOrganizationIds.known(account, body.organizationId) !== partnerOrganizationId) {
		partnerOrganizationIds.learn(account, body.organizationId, partnerOrganizationId);
	}
	store(staticData, account, body.organizationId, partnerOrganizationId);
}

async function fetchPartnerId(this: PliantContext, organizationId: string): Promise<string | null> {
	const organization = (await pliantApiRequest.call(this, {
		method: 'GET',
		path: PATHS.organization(organizationId),
		timeoutMs: LOOKUP_TIMEOUT_MS,
		rateLimitWaitMs: LOOKUP_RATE_LIMIT_WAIT_MS,
		// never queued behind the rate limit: other calls of the account come first
		optional: true,
	})) as Organization | undefined;
	return asPartnerId(organization?.partnersOrganizationId);
}

/** The work's result, or undefined when it took longer than `ms` (the work goes on). */
async function within<T>(work: Promise<T>, ms: number): Promise<{ value: T } | undefined> {
	return await Promise.race([work.then((value) => ({ value })), clock.sleep(ms).then(() => undefined)]);
}

const answered = (value: string | null): PartnerIdAnswer =>
	value === null ? { partnerOrganizationId: null, why: 'Pliant holds no partner organization ID for it' } : { partnerOrganizationId: value };

export interface PartnerIdRequest {
	/** `credentialKey` of the credential the context uses. */
	account: string;
	organizationId: unknown;
	/** The node's static data, to read and keep answers across restarts; optional. */
	staticData?: IDataObject;
	waitMs?: number;
}

/** The partner organization ID of an organization whose body does not carry it. */
export async function resolvePartnerOrganizationId(this: PliantContext, request: PartnerIdRequest): Promise<PartnerIdAnswer> {
	const { account, organizationId, staticData } = request;
	if (!isUuid(organizationId)) return { partnerOrganizationId: null, why: 'the event names no organization ID Pliant could look up' };
	const known = partnerOrganizationIds.known(account, organizationId);
	if (known !== undefined) return answered(known);
	const copy = stored(staticData, account)?.ids;
	if (copy && Object.prototype.hasOwnProperty.call(copy, organizationId)) return answered(asPartnerId(copy[organizationId]));
	const failed = partnerOrganizationIds.recentFailure(account, organizationId);
	if (failed) return { partnerOrganizationId: null, why: `the last lookup failed less than ${PARTNER_ID_FAILURE_MEMORY_MS / 1000} s ago (${failed})` };

	const lookup = partnerOrganizationIds.lookup(account, organizationId, async () => await fetchPartnerId.call(this, organizationId));
	try {
		const answer = await within(lookup, request.waitMs ?? PARTNER_ID_WAIT_MS);
		if (!answer) {
			return { partnerOrganizationId: null, why: `Pliant did not answer within ${(request.waitMs ?? PARTNER_ID_WAIT_MS) / 1000} s; later callbacks get its answer` };
		}
		store(staticData, account, organizationId, answer.value);
		return answered(answer.value);
	} catch (error) {
		return { partnerOrganizationId: null, why: `Pliant could not be asked: ${(error as Error)?.message ?? String(error)}` };
	}
}
