/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev server, never published */
/**
 * Everything the emulator remembers, in one object: leads, organizations, subscriptions,
 * tokens, counters, the request ledger, the delivery log and the pending faults. Modules
 * read and change it directly; `snapshot()` is what the control API shows and `persisted()`
 * what goes to the `--state` file.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';

import type {
	LeadRequest,
	OnboardingDetails,
	Organization,
	Subscription,
} from '../nodes/shared/contract';
import type { StoredKey } from './signer';

/* ------------------------------------------------------------------ runtime config */

export interface DeliveryConfig {
	/** Retries after the first attempt (so `retries: 2` means up to 3 attempts). */
	retries: number;
	/** First retry waits `backoffMs`, then doubles each time. */
	backoffMs: number;
	/** Per-attempt timeout; a timeout counts as a failed attempt. */
	timeoutMs: number;
	/** Send every callback twice (same X-Callback-Id): at-least-once delivery. */
	duplicate: boolean;
	/** Deliver each batch (one onboarding step, `complete`, one `fire`) in reverse order per receiver. */
	outOfOrder: boolean;
	/** Put one `v1a,` signature per known key into webhook-signature (newest first). */
	signWithAllKeys: boolean;
}

export interface RuntimeConfig {
	clientId: string;
	clientSecret: string;
	audience: string;
	tokenTtlSeconds: number;
	tokenQuota: { perHour: number };
	rateLimit: { requests: number; windowMs: number };
	/** 0 = leads wait for a manual `onboard`. */
	onboardingDelayMs: number;
	stepIntervalMs: number;
	delivery: DeliveryConfig;
	/** `/risk` answers 403 for organizations created while this is false. */
	detailsSharedByDefault: boolean;
}

export const DEFAULT_DELIVERY: DeliveryConfig = {
	retries: 5,
	backoffMs: 1000,
	timeoutMs: 10_000,
	duplicate: false,
	outOfOrder: false,
	signWithAllKeys: false,
};

/** The config as the control API shows it: the client secret stays out of logs and dumps. */
export function publicConfig(config: RuntimeConfig): RuntimeConfig {
	return { ...config, clientSecret: '***' };
}

/* ------------------------------------------------------------------ records */

export type LeadStatus = 'RECEIVED' | 'ONBOARDING' | 'REJECTED';

export interface LeadRecord {
	leadId: string;
	partnerOrganizationId: string;
	status: LeadStatus;
	createdAt: string;
	/** The validated request body, exactly as received. */
	request: LeadRequest;
	organizationId?: string;
	rejectedAt?: string;
}

export type AuthorizationStatus = 'NONE' | 'PENDING' | 'GRANTED';

export interface OrganizationRecord {
	/** The contract's Organization entity, returned as-is by the API. */
	organization: Organization;
	leadId?: string;
	/** Last onboarding step done, 1..11 (see onboarding.ts). */
	step: number;
	detailsShared: boolean;
	authorizationStatus: AuthorizationStatus;
	syncFromDate?: string | null;
	/** Body of GET /organizations/{id}/risk, kept in step with the callbacks. */
	details: OnboardingDetails & {
		representatives: NonNullable<OnboardingDetails['representatives']>;
		documents: NonNullable<OnboardingDetails['documents']>;
	};
}

export interface TokenRecord {
	token: string;
	clientId: string;
	issuedAt: number;
	expiresAt: number;
	revoked: boolean;
}

export interface LedgerEntry {
	seq: number;
	at: string;
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	/** Request headers; Authorization and cookies masked. */
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON (or form fields) as received; `client_secret` masked. */
	body: unknown;
	route: string;
	status: number | null;
	/** Set when a fault was injected: `status 503`, `reset`, `reset-after-processing`, `delay 50ms`. */
	fault?: string;
	clientId?: string;
}

export interface DeliveryAttempt {
	at: string;
	status: number | null;
	error?: string;
	duplicate?: boolean;
	/** The signed message ID of this attempt, when it is not the callback ID (a burst). */
	webhookId?: string;
}

export interface DeliveryRecord {
	deliveryId: string;
	callbackId: string;
	eventType: string;
	organizationId?: string;
	subscriptionId: string | null;
	url: string;
	createdAt: string;
	/** The exact bytes that were signed and sent. */
	body: string;
	state: 'pending' | 'delivered' | 'failed' | 'cancelled';
	attempts: number;
	/** One entry per attempt: the HTTP status, or the network error code. */
	statuses: Array<number | string>;
	attemptLog: DeliveryAttempt[];
	/** Headers of the last attempt. */
	headers: Record<string, string>;
}

export interface FaultRule {
	route: string;
	statuses?: number[];
	resetConnection?: number;
	processBeforeReset?: boolean;
	delayMs?: number;
	times?: number;
	retryAfterSeconds?: number;
	body?: unknown;
	/** Only requests whose raw body contains this text (e.g. one lead of a batch). */
	bodyIncludes?: string;
	/** Answer with the request body echoed back (a misbehaving proxy), padded to cross a 200-character cut. */
	echoRequest?: boolean;
}

/** One planned misbehaviour for one request. */
export interface FaultAction {
	route: string;
	kind: 'status' | 'reset' | 'delay';
	status?: number;
	processBeforeReset?: boolean;
	delayMs?: number;
	retryAfterSeconds?: number;
	body?: unknown;
	bodyIncludes?: string;
	echoRequest?: boolean;
}

/** A planned delivery failure: the next callback matching it never reaches its receiver. */
export interface DeliveryFailure {
	eventType?: string;
	organizationId?: string;
}

export interface Counters {
	requests: number;
	tokenRequests: number;
	tokensIssued: number;
	tokenQuotaExceeded: number;
	unauthorized: number;
	rateLimited: number;
	faultsInjected: number;
	callbacksCreated: number;
	callbackAttempts: number;
	callbacksDelivered: number;
	callbacksFailed: number;
	requestsByRoute: Record<string, number>;
}

function freshCounters(): Counters {
	return {
		requests: 0,
		tokenRequests: 0,
		tokensIssued: 0,
		tokenQuotaExceeded: 0,
		unauthorized: 0,
		rateLimited: 0,
		faultsInjected: 0,
		callbacksCreated: 0,
		callbackAttempts: 0,
		callbacksDelivered: 0,
		callbacksFailed: 0,
		requestsByRoute: {},
	};
}

/** What survives a restart when `--state` is given. */
interface PersistedState {
	version: 1;
	paymentProgramId: string;
	leads: LeadRecord[];
	organizations: OrganizationRecord[];
	subscriptions: Subscription[];
	tokens: TokenRecord[];
	tokenIssues: number[];
	keys: StoredKey[];
}

const LEDGER_LIMIT = 10_000;
const DELIVERY_LOG_LIMIT = 10_000;

export class EmulatorState {
	leads = new Map<string, LeadRecord>();
	organizations = new Map<string, OrganizationRecord>();
	subscriptions = new Map<string, Subscription>();
	tokens = new Map<string, TokenRecord>();
	/** Issue times (ms) of tokens, for the hourly quota. */
	tokenIssues: number[] = [];
	/** Per client: times (ms) of accepted API requests, for the sliding-window rate limit. */
	rateWindows = new Map<string, number[]>();
	counters: Counters = freshCounters();
	ledger: LedgerEntry[] = [];
	deliveries: DeliveryRecord[] = [];
	faults: FaultAction[] = [];
	/** Planned delivery failures, one per callback, consumed in order. */
	deliveryFailures: DeliveryFailure[] = [];
	/** API requests still to answer before every token is revoked (control API), if planned. */
	revokeTokensAfter?: number;
	/** Sent as X-Payment-Program-Id; Pliant has one signing key per payment program. */
	paymentProgramId: string = randomUUID();
	private ledgerSeq = 0;

	constructor(public config: RuntimeConfig) {}

	/* ---------------------------------------------------------------- lookups */

	/** By leadId, or by the partner's own id (handy on the command line). */
	findLead(idOrPartnerId: string): LeadRecord | undefined {
		const direct = this.leads.get(idOrPartnerId);
		if (direct) return direct;
		for (const lead of this.leads.values()) {
			if (lead.partnerOrganizationId === idOrPartnerId) return lead;
		}
		return undefined;
	}

	/** By organizationId, or by partnersOrganizationId. */
	findOrganization(idOrPartnerId: string): OrganizationRecord | undefined {
		const direct = this.organizations.get(idOrPartnerId);
		if (direct) return direct;
		for (const record of this.organizations.values()) {
			if (record.organization.partnersOrganizationId === idOrPartnerId) return record;
		}
		return undefined;
	}

	/* ---------------------------------------------------------------- ledger */

	addLedgerEntry(entry: Omit<LedgerEntry, 'seq'>): LedgerEntry {
		const full: LedgerEntry = { seq: ++this.ledgerSeq, ...entry };
		this.ledger.push(full);
		if (this.ledger.length > LEDGER_LIMIT) this.ledger.splice(0, this.ledger.length - LEDGER_LIMIT);
		return full;
	}

	addDelivery(record: DeliveryRecord): void {
		this.deliveries.push(record);
		if (this.deliveries.length > DELIVERY_LOG_LIMIT) {
			// Drop the oldest finished records only; pending ones are still being worked on.
			const index = this.deliveries.findIndex((item) => item.state !== 'pending');
			if (index >= 0) this.deliveries.splice(index, 1);
		}
	}

	countRoute(route: string): void {
		this.counters.requests++;
		this.counters.requestsByRoute[route] = (this.counters.requestsByRoute[route] ?? 0) + 1;
	}

	/* ---------------------------------------------------------------- reset */

	/** Forget the business data and logs; tokens survive unless asked (n8n caches them). */
	reset(options: { tokens?: boolean; config?: RuntimeConfig }): void {
		this.leads.clear();
		this.organizations.clear();
		this.subscriptions.clear();
		this.rateWindows.clear();
		this.tokenIssues = [];
		this.counters = freshCounters();
		this.ledger = [];
		this.deliveries = [];
		this.faults = [];
		this.deliveryFailures = [];
		this.revokeTokensAfter = undefined;
		this.ledgerSeq = 0;
		if (options.tokens) this.tokens.clear();
		if (options.config) this.config = options.config;
	}

	/* ---------------------------------------------------------------- views */

	snapshot(): Record<string, unknown> {
		const pending = this.deliveries.filter((item) => item.state === 'pending').length;
		return {
			leads: [...this.leads.values()],
			organizations: [...this.organizations.values()],
			subscriptions: [...this.subscriptions.values()],
			counters: { ...this.counters, requestsByRoute: { ...this.counters.requestsByRoute } },
			tokens: {
				active: [...this.tokens.values()].filter((t) => !t.revoked && t.expiresAt > Date.now())
					.length,
				total: this.tokens.size,
			},
			deliveries: { total: this.deliveries.length, pending },
			pendingFaults: this.faults.length,
			paymentProgramId: this.paymentProgramId,
			config: publicConfig(this.config),
		};
	}

	persisted(keys: StoredKey[]): PersistedState {
		return {
			version: 1,
			paymentProgramId: this.paymentProgramId,
			leads: [...this.leads.values()],
			organizations: [...this.organizations.values()],
			subscriptions: [...this.subscriptions.values()],
			tokens: [...this.tokens.values()],
			tokenIssues: this.tokenIssues,
			keys,
		};
	}

	/** Loads a `--state` file; returns the stored signing keys (empty when there is none). */
	load(data: PersistedState): StoredKey[] {
		this.paymentProgramId = data.paymentProgramId ?? this.paymentProgramId;
		for (const lead of data.leads ?? []) this.leads.set(lead.leadId, lead);
		for (const record of data.organizations ?? []) {
			this.organizations.set(record.organization.organizationId, record);
		}
		for (const subscription of data.subscriptions ?? []) {
			this.subscriptions.set(subscription.id, subscription);
		}
		for (const token of data.tokens ?? []) this.tokens.set(token.token, token);
		this.tokenIssues = data.tokenIssues ?? [];
		return data.keys ?? [];
	}
}

/* ------------------------------------------------------------------ state file */

export function readStateFile(file: string): PersistedState | undefined {
	if (!existsSync(file)) return undefined;
	const text = readFileSync(file, 'utf8');
	if (text.trim() === '') return undefined;
	const data = JSON.parse(text) as PersistedState;
	if (data.version !== 1)
		throw new Error(`${file}: unsupported state file version ${String(data.version)}`);
	return data;
}

/**
 * Write-then-rename, so a crash never leaves half a file behind. Owner-only (0600): the file
 * holds the private signing keys and the issued tokens.
 */
export function writeStateFile(file: string, data: PersistedState): void {
	mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
	const temporary = `${file}.${process.pid}.tmp`;
	writeFileSync(temporary, JSON.stringify(data, null, 2), { mode: 0o600 });
	// `mode` applies only when the file is created; a leftover temporary file keeps its own
	chmodSync(temporary, 0o600);
	renameSync(temporary, file);
}
