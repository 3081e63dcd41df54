import { randomBytes, timingSafeEqual } from 'crypto';
import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CALLBACK_HEADERS } from '../shared/contract';
import { clock } from '../shared/clock';
import { buildCallbackItem, headerValue, type HeaderBag } from '../shared/onboarding/callback-item';
import { firstSelectedEvent, sampleBody } from './sample-bodies';
import { SAMPLE_HEADER, deliver, deliveryTargets, endSample, pendingSamples, startSample } from './sample-delivery';
import { ACCEPTED } from './webhook';

/**
 * A sample event for "Listen for test event", so that a user can map the nodes after the
 * trigger without waiting days for Pliant. When n8n registers the TEST URL (manual mode), the
 * node posts one sample to its own test URL, carrying a random nonce that only this n8n
 * process holds. The webhook emits the sample only in manual mode, only for that nonce
 * (compared in constant time), once, within a few minutes. A production webhook never looks
 * at it: everything that reaches it goes through the signature check. The delivery runs in the
 * background and ends with its test session (sample-delivery.ts).
 */

export { SAMPLE_HEADER } from './sample-delivery';

type NodeContext = IHookFunctions | IWebhookFunctions;

function sessionKey(this: NodeContext): string {
	const node = this.getNode();
	return `${this.getWorkflow().id ?? ''}|${node.webhookId ?? node.id ?? node.name}`;
}

function sampleWanted(this: NodeContext): boolean {
	const options = this.getNodeParameter('options', {}) as IDataObject;
	return this.getMode() === 'manual' && options.sampleOnTest !== false;
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

		const key = sessionKey.call(this);
		const targets = deliveryTargets(testUrl, this.getInstanceBaseUrl?.());
		const sample = startSample(key, testUrl, eventType);
		void deliver.call(this, key, sample, targets).catch((error: Error) => {
			this.logger.warn(`Pliant Trigger: sample event failed: ${error.message}`);
		});
	} catch (error) {
		// A sample is a convenience: it never stands in the way of listening for real events.
		this.logger.warn(`Pliant Trigger: no sample event: ${(error as Error).message}`);
	}
}

/**
 * Called first in delete(). n8n removes the test URL (the test stopped, timed out or ran) in
 * its "internal" mode, as it removes the production URL, so the URL tells them apart: only the
 * removal of the session's own test URL ends it, and a sample not delivered yet is never sent.
 */
export function cancelSample(this: IHookFunctions): void {
	try {
		const key = sessionKey.call(this);
		if (pendingSamples.get(key)?.testUrl !== this.getNodeWebhookUrl('default')) return;
		endSample(key, true);
	} catch (error) {
		this.logger.warn(`Pliant Trigger: could not cancel the sample event: ${(error as Error).message}`);
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
	// Taken: its delivery ends after this very request, which it must not abort.
	endSample(key, false);

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
