import { randomBytes, timingSafeEqual } from 'crypto';
import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CALLBACK_HEADERS, type EventType } from '../shared/contract';
import { clock } from '../shared/clock';
import { buildCallbackItem, headerValue, type HeaderBag } from '../shared/onboarding/callback-item';
import { firstSelectedEvent, sampleBody } from './sample-bodies';
import { ACCEPTED } from './webhook';

/**
 * A sample event for "Listen for test event", so that a user can map the nodes after the
 * trigger without waiting days for Pliant. When n8n registers the TEST URL (manual mode), the
 * node posts one sample to its own test URL, carrying a random nonce that only this n8n
 * process holds. The webhook emits the sample only in manual mode, only for that nonce
 * (compared in constant time), once, within a few minutes. A production webhook never looks
 * at it: everything that reaches it goes through the signature check.
 */

/** The header carrying the nonce ("token" in its name keeps it out of "Include Headers"). */
export const SAMPLE_HEADER = 'x-pliant-n8n-sample-token';
export const SAMPLE_TTL_MS = 2 * 60_000;
/** Waits before each delivery attempt: n8n registers the test webhook around create(). */
export const DELIVERY_WAITS_MS = [500, 1_000, 2_000, 4_000];
const N8N_DEFAULT_PORT = '5678';

interface PendingSample {
	nonce: Buffer;
	eventType: EventType;
	expiresAt: number;
}

/** Per trigger node: the one sample its current test session may receive. */
export const pendingSamples = new Map<string, PendingSample>();

type NodeContext = IHookFunctions | IWebhookFunctions;

function sessionKey(this: NodeContext): string {
	const node = this.getNode();
	return `${this.getWorkflow().id ?? ''}|${node.webhookId ?? node.id ?? node.name}`;
}

function sampleWanted(this: NodeContext): boolean {
	const options = this.getNodeParameter('options', {}) as IDataObject;
	return this.getMode() === 'manual' && options.sampleOnTest !== false;
}

/** Where the sample is posted: the test URL, then n8n itself on loopback (no public route back). */
export function deliveryTargets(testUrl: string, instanceBaseUrl: string | undefined): string[] {
	const target = new URL(testUrl);
	const ports = [target.port || undefined];
	try {
		ports.push(new URL(instanceBaseUrl ?? '').port || undefined);
	} catch {
		// No usable base URL: n8n's default port below.
	}
	ports.push(N8N_DEFAULT_PORT);
	const loopback = ports
		.filter((port): port is string => Boolean(port))
		.map((port) => `http://127.0.0.1:${port}${target.pathname}${target.search}`);
	return [...new Set([testUrl, ...loopback])];
}

async function postSample(this: IHookFunctions, url: string, nonce: string): Promise<boolean> {
	try {
		await this.helpers.httpRequest({
			method: 'POST',
			url,
			headers: { [SAMPLE_HEADER]: nonce },
			body: { sample: true },
			json: true,
			timeout: 5_000,
		});
		return true;
	} catch (error) {
		this.logger.debug(`Pliant Trigger: sample event not delivered to ${url} yet: ${(error as Error).message}`);
		return false;
	}
}

/** Tries each target after each wait until one answers 2xx or the sample was taken. */
async function deliver(this: IHookFunctions, key: string, testUrl: string, nonce: string): Promise<void> {
	const targets = deliveryTargets(testUrl, this.getInstanceBaseUrl?.());
	for (const wait of DELIVERY_WAITS_MS) {
		await clock.sleep(wait);
		for (const url of targets) {
			if (pendingSamples.get(key)?.nonce.toString('hex') !== nonce) return;
			if (await postSample.call(this, url, nonce)) return;
		}
	}
	this.logger.warn(
		'Pliant Trigger: could not deliver the sample event to the test URL; waiting for a real Pliant event instead',
	);
}

/**
 * Called when n8n has created (or found) the TEST URL's subscriptions. Does nothing outside
 * manual mode. Delivers asynchronously: n8n may only route the test URL after this returns.
 */
export function offerSample(this: IHookFunctions): void {
	try {
		if (!sampleWanted.call(this)) return;
		const eventType = firstSelectedEvent(this.getNodeParameter('events', []));
		const testUrl = this.getNodeWebhookUrl('default');
		if (!eventType || !testUrl) return;

		const now = clock.now();
		for (const [key, sample] of pendingSamples) if (sample.expiresAt <= now) pendingSamples.delete(key);
		const key = sessionKey.call(this);
		const nonce = randomBytes(32);
		pendingSamples.set(key, { nonce, eventType, expiresAt: now + SAMPLE_TTL_MS });
		void deliver.call(this, key, testUrl, nonce.toString('hex')).catch((error: Error) => {
			this.logger.warn(`Pliant Trigger: sample event failed: ${error.message}`);
		});
	} catch (error) {
		// A sample is a convenience: it never stands in the way of listening for real events.
		this.logger.warn(`Pliant Trigger: no sample event: ${(error as Error).message}`);
	}
}

function nonceMatches(expected: Buffer, presented: string | undefined): boolean {
	const given = Buffer.from(presented ?? '', 'hex');
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The sample item when this request is this test session's sample, else undefined (the request
 * then goes through the normal, signed path). Single use: the nonce is gone once it matched.
 */
export function answerSample(this: IWebhookFunctions): IWebhookResponseData | undefined {
	if (this.getMode() !== 'manual') return undefined;
	const headers = this.getHeaderData() as HeaderBag;
	const presented = headerValue(headers, SAMPLE_HEADER);
	if (!presented) return undefined;
	const key = sessionKey.call(this);
	const pending = pendingSamples.get(key);
	if (!pending || pending.expiresAt <= clock.now() || !nonceMatches(pending.nonce, presented)) return undefined;
	pendingSamples.delete(key);

	const receivedAt = new Date(clock.now());
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const item = buildCallbackItem({
		body: sampleBody(pending.eventType),
		eventType: pending.eventType,
		headers: {
			[CALLBACK_HEADERS.webhookId]: `sample-${randomBytes(8).toString('hex')}`,
			[CALLBACK_HEADERS.callbackCreatedAt]: receivedAt.toISOString(),
		},
		receivedAt,
		includeHeaders: options.includeHeaders === true,
	});
	return { webhookResponse: ACCEPTED, workflowData: [[{ json: { ...item, sample: true } }]] };
}

/**
 * A callback's item never carries the sample mark, whatever its body says: `sample: true` means
 * this node made the item up, and only answerSample() may say so.
 */
export function withoutSampleMark(result: IWebhookResponseData): IWebhookResponseData {
	if (!result.workflowData) return result;
	const workflowData = result.workflowData.map((items) =>
		items.map((item) => ({
			...item,
			json: Object.fromEntries(Object.entries(item.json).filter(([field]) => field !== 'sample')),
		})),
	);
	return { ...result, workflowData };
}
