/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- dev server, never published */
/**
 * Callback delivery the way Pliant describes it: a signed JSON POST per (event,
 * subscription), at least once, retried on any non-2xx or network error with exponential
 * backoff. Each receiver URL has its own queue, worked one callback at a time, so a
 * receiver sees the events in order unless `outOfOrder` is on (then each batch arrives
 * reversed) and a failing receiver does not hold up the others.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomUUID } from 'node:crypto';

import { CALLBACK_HEADERS, EVENT_TYPE_ALIASES, type CallbackBody } from '../nodes/shared/contract';
import { sleep } from './http';
import type { KeyRing } from './signer';
import type { DeliveryRecord, EmulatorState } from './state';

export interface OutgoingEvent {
	body: CallbackBody;
	/** Value of X-Partner-Organization-Id; omitted when null/undefined. */
	partnerOrganizationId?: string | null;
}

interface AttemptResult {
	status: number | null;
	error?: string;
}

/** `BANK_CONNECTION_STATUS_CHANGE` and `..._CHANGED` are the same subscription target. */
export function canonicalEventType(eventType: string): string {
	return EVENT_TYPE_ALIASES[eventType] ?? eventType;
}

export class DeliveryService {
	private queues = new Map<string, DeliveryRecord[]>();
	private workers = new Map<string, object>();
	private inFlight = new Set<ClientRequest>();
	private controller = new AbortController();
	private idleWaiters = new Set<() => void>();
	private pending = 0;
	private lastCreatedNs = 0n;
	private stopped = false;

	constructor(
		private readonly state: EmulatorState,
		private readonly keys: KeyRing,
		private readonly log: (line: string) => void,
	) {}

	/**
	 * Signs and queues one batch of events: to every subscription of each event's type, or
	 * only to `onlyUrl`. Returns the new delivery records (one per callback).
	 */
	dispatch(events: OutgoingEvent[], onlyUrl?: string): DeliveryRecord[] {
		const created: DeliveryRecord[] = [];
		for (const event of events) {
			const eventType = canonicalEventType(event.body.eventType);
			const targets = onlyUrl
				? [{ url: onlyUrl, subscriptionId: null as string | null }]
				: [...this.state.subscriptions.values()]
						.filter((subscription) => canonicalEventType(subscription.eventType) === eventType)
						.map((subscription) => ({
							url: subscription.callbackUrl,
							subscriptionId: subscription.id,
						}));
			for (const target of targets)
				created.push(this.createRecord(event, target.url, target.subscriptionId));
		}
		if (this.stopped) {
			for (const record of created) record.state = 'cancelled';
			return created;
		}
		const byUrl = new Map<string, DeliveryRecord[]>();
		for (const record of created) byUrl.set(record.url, [...(byUrl.get(record.url) ?? []), record]);
		for (const [url, records] of byUrl) {
			const ordered = this.state.config.delivery.outOfOrder ? [...records].reverse() : records;
			this.queues.set(url, [...(this.queues.get(url) ?? []), ...ordered]);
			this.pending += ordered.length;
			this.startWorker(url);
		}
		return created;
	}

	/**
	 * One callback (one X-Callback-Id) sent `copies` times at once, each copy signed afresh under
	 * a new webhook-id and timestamp: what a sender does that keeps the callback ID but not the
	 * message ID on a retry. Not queued; resolves once every copy is answered.
	 */
	async burst(event: OutgoingEvent, url: string, copies: number): Promise<{ record: DeliveryRecord; webhookIds: string[]; statuses: AttemptResult[] }> {
		const record = this.createRecord(event, url, null);
		const webhookIds = Array.from({ length: copies }, () => `msg_${randomUUID()}`);
		const statuses = await Promise.all(webhookIds.map(async (webhookId, index) => await this.attempt(record, index > 0, webhookId)));
		const delivered = statuses.some((result) => result.status !== null && result.status >= 200 && result.status < 300);
		record.state = delivered ? 'delivered' : 'failed';
		if (delivered) this.state.counters.callbacksDelivered++;
		else this.state.counters.callbacksFailed++;
		return { record, webhookIds, statuses };
	}

	get pendingCount(): number {
		return this.pending;
	}

	/** Resolves true once nothing is queued or in flight, false after `timeoutMs`. */
	waitForIdle(timeoutMs: number): Promise<boolean> {
		if (this.pending === 0) return Promise.resolve(true);
		return new Promise((resolve) => {
			const finish = (idle: boolean) => {
				clearTimeout(timer);
				this.idleWaiters.delete(onIdle);
				resolve(idle);
			};
			const onIdle = () => finish(true);
			const timer = setTimeout(() => finish(this.pending === 0), timeoutMs);
			this.idleWaiters.add(onIdle);
		});
	}

	/** Drops everything queued and aborts what is in flight (used by reset and stop). */
	cancelAll(): void {
		this.controller.abort();
		this.controller = new AbortController();
		for (const request of this.inFlight) request.destroy();
		this.inFlight.clear();
		for (const records of this.queues.values()) {
			for (const record of records) record.state = 'cancelled';
		}
		for (const record of this.state.deliveries) {
			if (record.state === 'pending') record.state = 'cancelled';
		}
		this.queues.clear();
		this.workers.clear();
		this.pending = 0;
		this.notifyIdle();
	}

	stop(): void {
		this.stopped = true;
		this.cancelAll();
	}

	/* ---------------------------------------------------------------- internals */

	/** UTC with nine fractional digits, strictly increasing: Pliant's ordering key. */
	private nextCreatedAt(): string {
		let ns = BigInt(Date.now()) * 1_000_000n;
		if (ns <= this.lastCreatedNs) ns = this.lastCreatedNs + 1n;
		this.lastCreatedNs = ns;
		const seconds = new Date(Number(ns / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
		return `${seconds}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
	}

	private createRecord(
		event: OutgoingEvent,
		url: string,
		subscriptionId: string | null,
	): DeliveryRecord {
		const callbackId = randomUUID();
		const body = JSON.stringify(event.body);
		const organizationId =
			typeof event.body.organizationId === 'string' ? event.body.organizationId : undefined;
		const headers: Record<string, string> = {
			'content-type': 'application/json',
			'user-agent': 'pliant-emulator',
			[CALLBACK_HEADERS.organizationId]: organizationId ?? '',
			[CALLBACK_HEADERS.paymentProgramId]: this.state.paymentProgramId,
			[CALLBACK_HEADERS.callbackId]: callbackId,
			[CALLBACK_HEADERS.callbackCreatedAt]: this.nextCreatedAt(),
		};
		if (event.partnerOrganizationId) {
			headers[CALLBACK_HEADERS.partnerOrganizationId] = event.partnerOrganizationId;
		}
		const record: DeliveryRecord = {
			deliveryId: randomUUID(),
			callbackId,
			eventType: event.body.eventType,
			organizationId,
			subscriptionId,
			url,
			createdAt: headers[CALLBACK_HEADERS.callbackCreatedAt],
			body,
			state: 'pending',
			attempts: 0,
			statuses: [],
			attemptLog: [],
			headers,
		};
		this.state.counters.callbacksCreated++;
		this.state.addDelivery(record);
		return record;
	}

	private startWorker(url: string): void {
		if (this.workers.has(url)) return;
		const token = {};
		this.workers.set(url, token);
		const signal = this.controller.signal;
		void (async () => {
			while (!signal.aborted) {
				const record = this.queues.get(url)?.shift();
				if (!record) break;
				await this.deliver(record, signal);
				if (signal.aborted) return;
				this.pending--;
				if (this.pending === 0) this.notifyIdle();
			}
			if (this.workers.get(url) === token) {
				this.workers.delete(url);
				if (this.queues.get(url)?.length === 0) this.queues.delete(url);
			}
		})();
	}

	private notifyIdle(): void {
		for (const waiter of [...this.idleWaiters]) waiter();
	}

	/** Takes the planned failure this callback matches, if any (POST /_emulator/deliveries/fail). */
	private takeFailure(record: DeliveryRecord): boolean {
		const index = this.state.deliveryFailures.findIndex(
			(rule) =>
				(!rule.eventType || canonicalEventType(rule.eventType) === canonicalEventType(record.eventType)) &&
				(!rule.organizationId || rule.organizationId === record.organizationId),
		);
		if (index < 0) return false;
		this.state.deliveryFailures.splice(index, 1);
		return true;
	}

	/** An attempt that never reaches the receiver, as when its host is unreachable. */
	private unreachable(record: DeliveryRecord): AttemptResult {
		const result = { status: null, error: 'EHOSTUNREACH' };
		this.state.counters.callbackAttempts++;
		record.attempts++;
		record.statuses.push(result.error);
		record.attemptLog.push({ at: new Date().toISOString(), ...result });
		return result;
	}

	private async deliver(record: DeliveryRecord, signal: AbortSignal): Promise<void> {
		const { retries, backoffMs, duplicate } = this.state.config.delivery;
		const unreachable = this.takeFailure(record);
		for (let attempt = 0; attempt <= retries; attempt++) {
			if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1), signal);
			if (signal.aborted) return;
			const result = unreachable ? this.unreachable(record) : await this.attempt(record, false);
			if (signal.aborted) return;
			if (result.status !== null && result.status >= 200 && result.status < 300) {
				record.state = 'delivered';
				this.state.counters.callbacksDelivered++;
				this.log(
					`callback ${record.eventType} → ${record.url}: ${result.status} (attempt ${attempt + 1})`,
				);
				// At-least-once: the same callback (same X-Callback-Id) once more.
				if (duplicate) await this.attempt(record, true);
				return;
			}
			this.log(
				`callback ${record.eventType} → ${record.url}: ${result.status ?? result.error} (attempt ${attempt + 1}/${retries + 1})`,
			);
		}
		record.state = 'failed';
		this.state.counters.callbacksFailed++;
	}

	/** One attempt, signed now; the webhook-id is the callback ID unless a burst gives another. */
	private attempt(record: DeliveryRecord, isDuplicate: boolean, webhookId = record.callbackId): Promise<AttemptResult> {
		const timestamp = Math.floor(Date.now() / 1000);
		const signed = this.keys.sign(
			record.body,
			webhookId,
			timestamp,
			this.state.config.delivery.signWithAllKeys,
		);
		const headers: Record<string, string> = {
			...record.headers,
			...signed,
			'content-length': String(Buffer.byteLength(record.body)),
			connection: 'close',
		};
		record.headers = headers;
		this.state.counters.callbackAttempts++;
		const at = new Date().toISOString();
		return new Promise<AttemptResult>((resolve) => {
			// Set once the request exists; finish() can run before that (bad URL).
			const pending: { request?: ClientRequest } = {};
			let settled = false;
			const finish = (result: AttemptResult) => {
				if (settled) return;
				settled = true;
				if (pending.request) this.inFlight.delete(pending.request);
				record.attempts++;
				record.statuses.push(result.status ?? result.error ?? 'ERROR');
				record.attemptLog.push({
					at,
					...result,
					...(isDuplicate ? { duplicate: true } : {}),
					...(webhookId === record.callbackId ? {} : { webhookId }),
				});
				resolve(result);
			};
			let url: URL;
			try {
				url = new URL(record.url);
			} catch {
				return finish({ status: null, error: 'INVALID_URL' });
			}
			const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
			// agent: false — no keep-alive sockets that could outlive stop().
			const sending = send(url, {
				method: 'POST',
				headers,
				agent: false,
				timeout: this.state.config.delivery.timeoutMs,
			});
			pending.request = sending;
			this.inFlight.add(sending);
			sending.on('response', (response) => {
				response.resume();
				response.on('end', () => finish({ status: response.statusCode ?? null }));
				// A receiver that answers and then drops the socket still gave its status.
				response.on('close', () => finish({ status: response.statusCode ?? null }));
				response.on('error', (error: NodeJS.ErrnoException) =>
					finish({ status: null, error: error.code ?? error.message }),
				);
			});
			sending.on('timeout', () => {
				sending.destroy(Object.assign(new Error('callback timed out'), { code: 'ETIMEDOUT' }));
			});
			sending.on('error', (error: NodeJS.ErrnoException) =>
				finish({ status: null, error: error.code ?? error.message }),
			);
			sending.end(record.body);
		});
	}
}
