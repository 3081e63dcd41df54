import { randomBytes } from 'crypto';
import type { IHookFunctions } from 'n8n-workflow';

import type { EventType } from '../shared/contract';
import { clock } from '../shared/clock';
import { isLoopbackHost } from '../shared/http/endpoints';
import { processMemory } from '../shared/memory';

/**
 * The sample event's test sessions and their delivery. A delivery belongs to its session: it
 * ends when n8n removes the test webhook (cancelSample), when the sample was taken, when a new
 * session of the same node replaces it, or when its time is up, and it waits on nothing once
 * ended (its wait is cut short and its request in flight aborted).
 */

/** The header carrying the nonce ("token" in its name keeps it out of "Include Headers"). */
export const SAMPLE_HEADER = 'x-pliant-n8n-sample-token';
export const SAMPLE_TTL_MS = 2 * 60_000;
/** Waits before each delivery attempt: n8n registers the test webhook around create(). */
export const DELIVERY_WAITS_MS = [500, 1_000, 2_000, 4_000];
/** Test sessions waiting at once in this process; beyond it the oldest gives way. */
export const MAX_PENDING_SAMPLES = 100;

export interface PendingSample {
	/** The test URL it is delivered to: n8n's delete() for that URL ends the session. */
	readonly testUrl: string;
	readonly nonce: Buffer;
	readonly eventType: EventType;
	readonly expiresAt: number;
	/** Aborted when the session is cancelled: ends the delivery's wait and its request. */
	readonly stop: AbortController;
}

/**
 * Per trigger node: the one sample its current test session may receive. A session the
 * memory drops (bound, time, forgetAll) has its delivery stopped.
 */
export const pendingSamples = processMemory.create<string, PendingSample>('sample events', {
	max: MAX_PENDING_SAMPLES,
	ttlMs: SAMPLE_TTL_MS,
	onForget: (sample: PendingSample) => sample.stop.abort(),
});

/** Forgets the session; `cancel` also stops its delivery (not wanted when its own POST is being answered). */
export function endSample(key: string, cancel: boolean): PendingSample | undefined {
	const sample = pendingSamples.get(key);
	if (!sample) return undefined;
	pendingSamples.delete(key);
	if (cancel) sample.stop.abort();
	return sample;
}

/** A new session for this node: replaces its previous one (the memory keeps the bound). */
export function startSample(key: string, testUrl: string, eventType: EventType): PendingSample {
	endSample(key, true);
	const now = clock.now();
	const sample: PendingSample = {
		testUrl,
		nonce: randomBytes(32),
		eventType,
		expiresAt: now + SAMPLE_TTL_MS,
		stop: new AbortController(),
	};
	pendingSamples.set(key, sample);
	return sample;
}

/** Still this node's session, not cancelled, not taken, not expired. */
function stillWanted(key: string, sample: PendingSample): boolean {
	return pendingSamples.get(key) === sample && !sample.stop.signal.aborted && clock.now() < sample.expiresAt;
}

function parsed(url: string | undefined): URL | undefined {
	try {
		return new URL(url ?? '');
	} catch {
		return undefined;
	}
}

/**
 * Where the sample is posted: the test URL, then the same path at n8n's own address (its
 * instance base URL, the configured host and port) when that is on this machine: in queue mode
 * the test URL may name the webhook processor, which does not serve test URLs. No other host
 * or port is ever tried.
 */
export function deliveryTargets(testUrl: string, instanceBaseUrl: string | undefined): string[] {
	const target = new URL(testUrl);
	const own = parsed(instanceBaseUrl);
	const local = own && isLoopbackHost(own.hostname) ? [`${own.origin}${target.pathname}${target.search}`] : [];
	return [...new Set([testUrl, ...local])];
}

async function postSample(this: IHookFunctions, url: string, sample: PendingSample): Promise<boolean> {
	try {
		await this.helpers.httpRequest({
			method: 'POST',
			url,
			headers: { [SAMPLE_HEADER]: sample.nonce.toString('hex') },
			body: { sample: true },
			json: true,
			timeout: 5_000,
			// A redirect would take the nonce to a URL nobody checked.
			disableFollowRedirect: true,
			abortSignal: sample.stop.signal,
		});
		return true;
	} catch (error) {
		this.logger.debug(`Pliant Trigger: sample event not delivered to ${url} yet: ${(error as Error).message}`);
		return false;
	}
}

/** Tries each target after each wait until one answers 2xx or the session has ended. */
export async function deliver(this: IHookFunctions, key: string, sample: PendingSample, targets: string[]): Promise<void> {
	for (const wait of DELIVERY_WAITS_MS) {
		await clock.sleep(wait, sample.stop.signal);
		for (const url of targets) {
			if (!stillWanted(key, sample)) return;
			if (await postSample.call(this, url, sample)) return;
		}
	}
	if (!stillWanted(key, sample)) return;
	this.logger.warn(
		'Pliant Trigger: could not deliver the sample event to the test URL; waiting for a real Pliant event instead',
	);
}
