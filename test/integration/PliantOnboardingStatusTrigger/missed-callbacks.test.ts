/**
 * The "Missed callbacks (Pliant's callback log)" source of the Pliant Onboarding Status Trigger
 * (version 2) in n8n-core's engine (PollContext, TriggersAndPollers, real HTTP through n8n's
 * helpers) against the in-process emulator, whose deliveries to an unreachable URL end FAILED
 * in its callback log: one execution per missed callback in creation order with the webhook
 * trigger's item, nothing twice across polls and restarts, late failures, 500 entries caught
 * up over several polls within the rate limit, a Pliant error mid-scan, "Fetch Test Event".
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { buildCallbackItem } from '../../../nodes/shared/onboarding/callback-item';
import { EVENT_TYPES, type CallbackBody } from '../../../nodes/shared/contract';
import { MAX_ATTEMPTS } from '../../../nodes/shared/http/retry-policy';
import type { DeliveryRecord } from '../../../emulator/state';
import { forgetProcessMemory } from '../../support/process-memory';
import { emulatorCredentials, PliantCredentialsHelper } from '../../support/engine';
import { PollHarness } from '../../support/poll-engine';
import { closedPortUrl, Harness } from '../../unit/emulator/helpers';

jest.setTimeout(180_000);

let harness: Harness;
let deadUrl: string;

beforeAll(async () => {
	harness = await Harness.start({ delivery: { retries: 1, backoffMs: 1, timeoutMs: 2000 } });
	deadUrl = `${(await closedPortUrl()).replace(/\/gone$/, '')}/webhook/5e1d7c3a-2b4f-4c6d-8e9f-00000000c0de/webhook`;
});

afterAll(async () => {
	await harness.stop();
});

beforeEach(async () => {
	forgetProcessMemory();
	await harness.control('POST', '/reset');
});

function trigger(options: IDataObject = {}, credentials: IDataObject = {}, url = deadUrl) {
	return new PollHarness({
		typeVersion: 2,
		parameters: { source: 'callbackLog', callbackUrl: { mode: 'url', value: url }, options: options as INodeParameters },
		credentialsHelper: new PliantCredentialsHelper(emulatorCredentials(harness.emu, credentials)),
	});
}

async function subscribe(url: string) {
	const subscriptions = EVENT_TYPES.map((eventType) => ({ eventType, callbackUrl: url }));
	expect((await harness.api('POST', '/subscriptions/bulk-upsert', { subscriptions })).status).toBe(200);
}

/** A lead walked through the whole onboarding, Authorization Granted included. */
async function onboarding() {
	const lead = await harness.createLead();
	const onboarded = await harness.control('POST', `/leads/${lead.leadId}/onboard`);
	const organizationId = onboarded.body.organizationId as string;
	await harness.control('POST', `/organizations/${organizationId}/complete`);
	expect((await harness.api('POST', `/organizations/${organizationId}/activate`)).status).toBe(200);
	await harness.waitForDeliveries(20_000);
	return { lead, organizationId };
}

const deliveriesTo = (url: string): DeliveryRecord[] => harness.emu.state.deliveries.filter((d) => d.url === url);

/** The single item of each execution, failing if an execution holds more than one. */
function itemsOf(executions: IDataObject[][]): IDataObject[] {
	for (const execution of executions) expect(execution).toHaveLength(1);
	return executions.map((execution) => execution[0]);
}

/** The webhook trigger's item for a delivery, as it would have been built had it arrived. */
function webhookItem(delivery: DeliveryRecord, partnerOrganizationId: string): IDataObject {
	return buildCallbackItem({
		partnerOrganizationId,
		body: JSON.parse(delivery.body) as CallbackBody,
		eventType: delivery.eventType,
		headers: { ...delivery.headers, 'webhook-id': delivery.callbackId },
		receivedAt: new Date(),
		includeHeaders: false,
	});
}

async function fireFailing(count: number, url = deadUrl) {
	for (let index = 0; index < count; index++) {
		const fired = await harness.control('POST', '/events', {
			eventType: index % 2 ? 'AUTHORIZATION_PENDING' : 'AUTHORIZATION_GRANTED',
			organizationId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
			partnerOrganizationId: `crm-${index}`,
			callbackUrl: url,
		});
		expect(fired.status).toBe(200);
	}
	await harness.waitForDeliveries(60_000);
}

describe('an onboarding whose callbacks all failed to reach n8n', () => {
	it('gives one execution per callback, in creation order, with the webhook item; later polls and restarts nothing', async () => {
		await subscribe(deadUrl);
		const otherUrl = deadUrl.replace('c0de', 'beef');
		await subscribe(otherUrl); // another workflow's trigger: not this node's to catch up
		const { lead, organizationId } = await onboarding();
		const missed = deliveriesTo(deadUrl);
		expect(missed.map((d) => d.state)).toEqual(missed.map(() => 'failed'));
		expect(missed.map((d) => d.eventType)).toEqual(expect.arrayContaining(['AUTHORIZATION_PENDING', 'AUTHORIZATION_GRANTED']));

		const poller = trigger();
		const first = await poller.poll();
		expect(first.error).toBeUndefined();
		const items = itemsOf(first.executions);
		expect(items.map((i) => i.callbackId)).toEqual(missed.map((d) => d.callbackId));
		for (const [index, item] of items.entries()) {
			const twin = webhookItem(missed[index], lead.partnerOrganizationId);
			expect(Object.keys(item).sort()).toEqual([...Object.keys(twin), 'source'].sort());
			// the same item, apart from when it was received, Pliant's timestamp (the log's, not the
			// attempt's signed one) and the signed message ID, which only a received callback has
			const without = (o: IDataObject) =>
				Object.fromEntries(Object.entries(o).filter(([k]) => !['createdAt', 'receivedAt', 'source', 'webhookId'].includes(k)));
			expect(without(item)).toEqual(without(twin));
			expect(item).toMatchObject({ organizationId, partnerOrganizationId: lead.partnerOrganizationId, webhookId: null, source: 'callback-log' });
		}

		expect(await poller.poll()).toEqual({ executions: [] });
		poller.restart();
		expect(await poller.poll()).toEqual({ executions: [] });
	});
});

describe('a callback that fails only after a poll passed it', () => {
	it('is emitted by the next poll that finds it FAILED', async () => {
		await harness.control('POST', '/config', { delivery: { retries: 1, backoffMs: 1500 } });
		const poller = trigger();
		await harness.control('POST', '/events', { eventType: 'AUTHORIZATION_PENDING', organizationId: 'org-late', callbackUrl: deadUrl });
		// still being retried: IN_PROGRESS, not this source's yet
		expect(await poller.poll()).toEqual({ executions: [] });
		await harness.waitForDeliveries(10_000);
		const items = itemsOf((await poller.poll()).executions);
		expect(items.map((i) => i.callbackId)).toEqual(deliveriesTo(deadUrl).map((d) => d.callbackId));
		expect(await poller.poll()).toEqual({ executions: [] });
	});
});

describe('500 failed entries since the last poll', () => {
	it('are caught up in order over several polls and a restart, within the rate limit: none twice, none lost', async () => {
		await fireFailing(500);
		const created = deliveriesTo(deadUrl).map((d) => d.callbackId);
		expect(created).toHaveLength(500);
		// Pliant's limit, shrunk so that the catch-up has to be paced; the credential knows it
		await harness.control('POST', '/config', { rateLimit: { requests: 120, windowMs: 4000 } });
		const poller = trigger({ maxCallbacksPerPoll: 150 }, { rateLimitRequests: 120, rateLimitWindowSeconds: 4 });
		const seen: string[] = [];
		const perPoll: number[] = [];
		for (let poll = 0; poll < 6; poll++) {
			const { executions, error } = await poller.poll();
			expect(error).toBeUndefined();
			perPoll.push(executions.length);
			seen.push(...itemsOf(executions).map((i) => String(i.callbackId)));
			if (poll === 1) poller.restart(); // the position survives n8n restarts
		}
		expect(perPoll).toEqual([150, 150, 150, 50, 0, 0]);
		expect(seen).toEqual(created);
		expect(harness.emu.state.counters.rateLimited).toBe(0);
	});
});

describe('n8n stopped half-way through a poll\'s executions', () => {
	it('loses none of the rest: the static data saved as each execution started lists only those started', async () => {
		await fireFailing(4);
		const saved: IDataObject[] = [];
		const holder: { poller?: PollHarness } = {};
		const poller = new PollHarness({
			typeVersion: 2,
			parameters: { source: 'callbackLog', callbackUrl: { mode: 'url', value: deadUrl }, options: {} },
			credentialsHelper: new PliantCredentialsHelper(emulatorCredentials(harness.emu)),
			// what n8n would have saved when each execution started
			onExecution: () => saved.push(holder.poller?.staticData ?? {}),
		});
		holder.poller = poller;
		const all = itemsOf((await poller.poll()).executions).map((i) => i.callbackId);
		expect(all).toHaveLength(4);
		// n8n stopped right after the second execution started
		poller.restart(saved[1]);
		expect(itemsOf((await poller.poll()).executions).map((i) => i.callbackId)).toEqual(all.slice(2));
		expect(await poller.poll()).toEqual({ executions: [] });
	});
});

describe('failures and "Fetch Test Event"', () => {
	it('a Pliant error mid-scan fails the poll and remembers nothing: the next poll emits every callback', async () => {
		await fireFailing(3);
		await harness.control('POST', '/faults', { route: 'GET /api/callbacks/:id', statuses: Array(MAX_ATTEMPTS).fill(404) });
		const poller = trigger();
		const failed = await poller.poll();
		expect(failed.executions).toEqual([]);
		expect(failed.error?.description).toMatch(/No missed callback is lost/);
		await harness.control('DELETE', '/faults');
		expect(itemsOf((await poller.poll()).executions)).toHaveLength(3);
	});

	it('returns the newest failed callback of the URL, or a sample when there is none', async () => {
		const poller = trigger();
		const sample = await poller.fetchTestEventWithStaticData();
		expect(sample).toEqual([expect.objectContaining({ sample: true, source: 'callback-log', webhookId: null })]);
		await fireFailing(2);
		const [newest] = await poller.fetchTestEventWithStaticData();
		expect(newest).toMatchObject({ callbackId: deliveriesTo(deadUrl)[1].callbackId, partnerOrganizationId: 'crm-1' });
		expect(newest.sample).toBeUndefined();
		// the test event moves nothing: production still emits both
		expect(itemsOf((await poller.poll()).executions)).toHaveLength(2);
	});
});
