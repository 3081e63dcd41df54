/**
 * The Pliant Trigger's subscription lifecycle in n8n-core's real HookContext against the
 * in-process emulator: create, republish, delete, a moved URL, test and
 * production URLs side by side, the 42-per-event-type limit, and no leaks.
 */
import type { Subscription } from '../../../nodes/shared/contract';
import { EVENT_TYPES, PATHS } from '../../../nodes/shared/contract';
import { captureLogs, emulatorCredentials, PliantCredentialsHelper } from '../../support/engine';
import { Harness } from '../../unit/emulator/helpers';
import { forgetProcessMemory } from '../../support/process-memory';
import { DELIVERY_WAITS_MS, pendingSamples } from '../../../nodes/PliantTrigger/sample-delivery';
import { clock } from '../../../nodes/shared/clock';
import { TriggerHost } from './trigger-host';

let harness: Harness;
let credentialsHelper: PliantCredentialsHelper;
const hosts: TriggerHost[] = [];

async function host(events: string[] = ['*'], options = {}): Promise<TriggerHost> {
	const created = await new TriggerHost({
		credentials: emulatorCredentials(harness.emu),
		credentialsHelper,
		events,
		options,
	}).start();
	hosts.push(created);
	return created;
}

async function subscriptions(): Promise<Subscription[]> {
	const result = await harness.api('GET', PATHS.subscriptions);
	return result.body.subscriptions as Subscription[];
}

async function writesSince(seq: number): Promise<Array<{ method: string; path: string }>> {
	const result = await harness.control('GET', '/ledger');
	return (result.body.entries as Array<{ seq: number; method: string; path: string }>).filter(
		(entry) => entry.seq > seq && entry.path.startsWith('/api/') && entry.method !== 'GET',
	);
}

async function lastSeq(): Promise<number> {
	const result = await harness.control('GET', '/ledger');
	const entries = result.body.entries as Array<{ seq: number }>;
	return entries.length > 0 ? entries[entries.length - 1].seq : 0;
}

beforeAll(async () => {
	// An n8n at made-up addresses (moved URL, other n8ns filling the limit) subscribes here.
	harness = await Harness.start({ callbackHosts: 'any' });
	credentialsHelper = new PliantCredentialsHelper(emulatorCredentials(harness.emu));
});

afterAll(async () => {
	await Promise.all(hosts.map(async (item) => await item.stop()));
	await harness.stop();
});

beforeEach(async () => {
	forgetProcessMemory();
	captureLogs();
	for (const subscription of await subscriptions()) {
		await harness.api('DELETE', PATHS.subscription(subscription.id));
	}
});

describe('Pliant Trigger lifecycle against the emulator', () => {
	it('create: publishing registers one subscription per selected event type for this URL', async () => {
		const trigger = await host(['ORGANIZATION_ADDED', 'AUTHORIZATION_GRANTED']);
		expect(await trigger.publish()).toEqual({ existed: false });

		const registered = await subscriptions();
		expect(registered.map((s) => [s.eventType, s.callbackUrl]).sort()).toEqual(
			[
				['AUTHORIZATION_GRANTED', trigger.url('production')],
				['ORGANIZATION_ADDED', trigger.url('production')],
			].sort(),
		);
		expect(trigger.url('production')).toMatch(/\/webhook\/[0-9a-f-]{36}\/webhook$/);
		expect(trigger.staticData.subscriptions).toMatchObject({
			production: { state: 'registered', callbackUrl: trigger.url('production'), own: expect.arrayContaining(registered.map((s) => s.id)) },
		});
		expect(trigger.credentialsHelper.tokenRequests).toBeLessThanOrEqual(1);
	});

	it('republish: a second publish finds its own subscriptions and writes nothing', async () => {
		const trigger = await host();
		await trigger.publish();
		const before = await subscriptions();
		const seq = await lastSeq();
		expect(await trigger.publish()).toEqual({ existed: true });
		expect(await writesSince(seq)).toEqual([]);
		expect(await subscriptions()).toEqual(before);
	});

	it('no record: what the URL holds is not taken as its own, nor deleted (a copy with the same webhook ID)', async () => {
		const trigger = await host();
		await trigger.publish();
		const before = await subscriptions();
		// static data lost: a copy of the workflow with the same webhook ID, or a restored one
		for (const key of Object.keys(trigger.staticData)) delete trigger.staticData[key];

		const seq = await lastSeq();
		expect(await trigger.publish()).toEqual({ existed: false });
		expect(await writesSince(seq)).toEqual([]);
		expect(trigger.staticData.subscriptions).toMatchObject({ production: { state: 'registered', own: [] } });
		expect(await trigger.unpublish()).toBe(true);
		expect(await subscriptions()).toEqual(before);
	});

	it('delete: unpublishing removes exactly this trigger\'s subscriptions', async () => {
		const other = await host(['ORGANIZATION_ADDED']);
		await other.publish();
		const trigger = await host();
		await trigger.publish();
		expect(await subscriptions()).toHaveLength(10);

		expect(await trigger.unpublish()).toBe(true);
		const left = await subscriptions();
		expect(left.map((s) => s.callbackUrl)).toEqual([other.url('production')]);
		expect(trigger.staticData).toEqual({});
	});

	it('moved: after the n8n URL changed, republishing registers the new URL and leaves the old one alone unless asked', async () => {
		const bystander = await host(['ORGANIZATION_ADDED']);
		await bystander.publish();
		const trigger = await host(['ORGANIZATION_ADDED', 'DIRECT_DEBIT_STATUS_CHANGED']);
		trigger.hostName = 'old-n8n.invalid';
		await trigger.publish();
		const oldUrl = trigger.url('production');

		trigger.hostName = '127.0.0.1';
		const newUrl = trigger.url('production');
		expect(newUrl).not.toBe(oldUrl);
		expect(await trigger.publish()).toEqual({ existed: false });

		const urls = async () => (await subscriptions()).map((s) => s.callbackUrl).sort();
		expect(await urls()).toEqual([bystander.url('production'), newUrl, newUrl, oldUrl, oldUrl].sort());
		expect(trigger.staticData.subscriptions).toMatchObject({ production: { callbackUrl: newUrl, earlier: expect.any(Array) } });

		trigger.setParameters({ options: { removeEarlierUrls: true } });
		expect(await trigger.publish()).toEqual({ existed: false });
		expect(await urls()).toEqual([bystander.url('production'), newUrl, newUrl].sort());
		expect(JSON.stringify(trigger.staticData)).not.toContain('earlier');
	});

	it('test and production URLs each get their own subscriptions', async () => {
		const trigger = await host(['ORGANIZATION_ADDED', 'AUTHORIZATION_PENDING']);
		await trigger.publish('production');
		await trigger.publish('test');
		const all = await subscriptions();
		expect(all.filter((s) => s.callbackUrl === trigger.url('production'))).toHaveLength(2);
		expect(all.filter((s) => s.callbackUrl === trigger.url('test'))).toHaveLength(2);
		expect(trigger.url('test')).toContain('/webhook-test/');

		await trigger.unpublish('test');
		expect((await subscriptions()).every((s) => s.callbackUrl === trigger.url('production'))).toBe(true);
		expect(await trigger.publish('production')).toEqual({ existed: true });

		await trigger.unpublish('production');
		expect(await subscriptions()).toEqual([]);
	});

	it('stopping "Listen for test event" before the sample went out: it never goes, its wait ends at once', async () => {
		const trigger = await host(['ORGANIZATION_ADDED']);
		const sleep = jest.spyOn(clock, 'sleep');
		await trigger.publish('test');
		expect(pendingSamples.size).toBe(1);
		await trigger.unpublish('test');

		const [[ms, signal]] = sleep.mock.calls;
		expect(ms).toBe(DELIVERY_WAITS_MS[0]);
		expect(signal?.aborted).toBe(true);
		await sleep.mock.results[0].value;
		sleep.mockRestore();
		expect(pendingSamples.size).toBe(0);
		expect(trigger.answers).toEqual([]);
	});

	it('no leaks: repeated publish/unpublish cycles (production and test) leave 0 subscriptions', async () => {
		const trigger = await host(['*']);
		for (let cycle = 0; cycle < 4; cycle++) {
			await trigger.publish('production');
			await trigger.publish('test');
			await trigger.publish('production'); // a second publish must not double anything
			expect(await subscriptions()).toHaveLength(2 * EVENT_TYPES.length);
			await trigger.unpublish('test');
			await trigger.unpublish('production');
			expect(await subscriptions()).toHaveLength(0);
		}
		expect(trigger.staticData).toEqual({});
	});

	it('changing the selected events and republishing drops the deselected ones', async () => {
		const trigger = await host(['ORGANIZATION_ADDED', 'AUTHORIZATION_GRANTED']);
		await trigger.publish();
		trigger.setParameters({ events: ['AUTHORIZATION_GRANTED', 'DIRECT_DEBIT_STATUS_CHANGED'] });
		await trigger.publish();
		expect((await subscriptions()).map((s) => s.eventType).sort()).toEqual(['AUTHORIZATION_GRANTED', 'DIRECT_DEBIT_STATUS_CHANGED']);
	});

	it('the 42-per-event-type limit gives a clear error and registers nothing', async () => {
		const fill = Array.from({ length: 42 }, (_, index) => ({
			eventType: 'ORGANIZATION_ADDED',
			callbackUrl: `https://other-n8n.example/webhook/${index}/webhook`,
		}));
		await harness.api('POST', PATHS.subscriptionsBulkUpsert, { subscriptions: fill });
		const trigger = await host(['ORGANIZATION_ADDED', 'AUTHORIZATION_GRANTED']);

		await expect(trigger.publish()).rejects.toMatchObject({
			message:
				'Pliant allows at most 42 subscriptions per event type, and Organization Added (ORGANIZATION_ADDED) has reached it',
			description: expect.stringContaining('unpublish workflows'),
		});
		const mine = (await subscriptions()).filter((s) => s.callbackUrl === trigger.url('production'));
		expect(mine).toEqual([]);
		// n8n calls delete after a failed activation: nothing to do, nothing thrown
		expect(await trigger.unpublish()).toBe(true);
	});

	it('delete treats subscriptions already removed at Pliant as done', async () => {
		const trigger = await host(['ORGANIZATION_ADDED']);
		await trigger.publish();
		for (const subscription of await subscriptions()) {
			await harness.api('DELETE', PATHS.subscription(subscription.id));
		}
		const logs = captureLogs();
		expect(await trigger.unpublish()).toBe(true);
		expect(logs.filter((line) => line.level === 'error')).toEqual([]);
		expect(trigger.staticData).toEqual({});
	});
});
