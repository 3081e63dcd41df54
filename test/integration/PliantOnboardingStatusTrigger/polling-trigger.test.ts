/**
 * The Pliant Onboarding Status Trigger (polling) in n8n-core's engine (PollContext,
 * TriggersAndPollers, real HTTP through n8n's helpers) against the in-process emulator, whose
 * onboarding simulation makes the changes: baseline, every change type, the event filter,
 * "Emit Current State on First Run", the static-data bound, a Pliant error mid-poll, restarts,
 * "Fetch Test Event", and the requests a poll costs.
 */
import type { IDataObject } from 'n8n-workflow';

import { buildCallbackItem } from '../../../nodes/shared/onboarding/callback-item';
import { MAX_TRACKED_ORGANIZATIONS } from '../../../nodes/PliantOnboardingStatusTrigger/snapshot';
import { POLLABLE_EVENT_TYPES } from '../../../nodes/shared/onboarding/events';
import { MAX_ATTEMPTS } from '../../../nodes/shared/http/retry-policy';
import { fakeWaits, forgetProcessMemory } from '../../support/process-memory';
import type { CallbackBody } from '../../../nodes/shared/contract';
import type { OrganizationRecord } from '../../../emulator/state';
import { emulatorCredentials, PliantCredentialsHelper } from '../../support/engine';
import { PollHarness } from '../../support/poll-engine';
import { Harness } from '../../unit/emulator/helpers';

jest.setTimeout(60_000);

let harness: Harness;
let credentialsHelper: PliantCredentialsHelper;

let waits: ReturnType<typeof fakeWaits>;

beforeAll(async () => {
	harness = await Harness.start();
	credentialsHelper = new PliantCredentialsHelper(emulatorCredentials(harness.emu));
	// retries of injected 5xx answers go without waiting
	waits = fakeWaits();
});

afterAll(async () => {
	waits.restore();
	await harness.stop();
});

beforeEach(async () => {
	forgetProcessMemory();
	await harness.control('POST', '/reset');
});

function trigger(parameters: IDataObject = {}) {
	return new PollHarness({ parameters: { events: ['*'], options: {}, ...parameters }, credentialsHelper });
}

async function control(path: string, body?: unknown) {
	const result = await harness.control('POST', path, body);
	if (result.status !== 200) throw new Error(`${path}: ${result.status} ${result.text}`);
	return result.body as { events: CallbackBody[]; step: number; organizationId: string };
}

async function requests(): Promise<Array<{ method: string; path: string; status: number }>> {
	const result = await harness.control('GET', '/ledger');
	return (result.body.entries ?? result.body) as Array<{ method: string; path: string; status: number }>;
}

/** The single item of each execution, failing if an execution holds more than one. */
function itemsOf(executions: IDataObject[][]): IDataObject[] {
	for (const execution of executions) expect(execution).toHaveLength(1);
	return executions.map((execution) => execution[0]);
}

/**
 * The webhook trigger's item for the same callback (headers as the emulator sends them), with
 * the partner ID the trigger resolves from Pliant.
 */
function webhookItem(body: CallbackBody, partnerOrganizationId: string): IDataObject {
	return buildCallbackItem({
		body,
		eventType: body.eventType,
		headers: {
			'x-organization-id': body.organizationId,
			'x-partner-organization-id': 'forged-header-value',
			'x-payment-program-id': 'pp',
			'x-callback-id': 'cb',
			'x-callback-created-at': '2026-01-01T00:00:00Z',
			'webhook-id': 'msg_cb',
		},
		receivedAt: new Date(),
		includeHeaders: false,
		partnerOrganizationId,
	});
}

describe('baseline', () => {
	it('records what it sees on the first poll and emits nothing, then nothing while nothing changes', async () => {
		await harness.createOrganization();
		const poller = trigger();
		expect(await poller.poll()).toEqual({ executions: [] });
		const nodeData = (poller.staticData as Record<string, Record<string, IDataObject>>)['node:Pliant Onboarding Status Trigger'];
		expect(Object.keys((nodeData.onboardingSnapshot as IDataObject).statuses as IDataObject)).toHaveLength(1);
		expect(await poller.poll()).toEqual({ executions: [] });
	});
});

describe('the onboarding simulation, polled after every step', () => {
	it('gives one execution per change with the eventTypes and item shape of the webhook trigger', async () => {
		const poller = trigger();
		await poller.poll(); // baseline: no organization yet

		const lead = await harness.createLead();
		const onboarded = await control(`/leads/${lead.leadId}/onboard`);
		const organizationId = onboarded.organizationId;
		const sent: CallbackBody[] = [...onboarded.events];
		const seen: IDataObject[] = itemsOf((await poller.poll()).executions);

		for (let step = 2; step <= 11; step++) {
			const result = await control(`/organizations/${organizationId}/advance`);
			sent.push(...result.events);
			const { executions, error } = await poller.poll();
			expect(error).toBeUndefined();
			// at most one change per step; AUTHORIZATION_PENDING cannot be seen by polling
			const expected = result.events.filter((e) => (POLLABLE_EVENT_TYPES as string[]).includes(e.eventType));
			expect(executions).toHaveLength(expected.length);
			seen.push(...itemsOf(executions));
		}

		const pollable = sent.filter((e) => (POLLABLE_EVENT_TYPES as string[]).includes(e.eventType));
		expect(seen.map((i) => i.eventType)).toEqual(pollable.map((e) => e.eventType));
		expect(sent.map((e) => e.eventType)).toContain('AUTHORIZATION_PENDING');

		for (const [index, item] of seen.entries()) {
			const callback = webhookItem(pollable[index], lead.partnerOrganizationId);
			// the same fields as the webhook trigger's item, plus source
			expect(Object.keys(item).sort()).toEqual([...Object.keys(callback), 'source'].sort());
			// identical, apart from what only a callback carries (its IDs, Pliant's timestamps, payment
			// program); the partner ID is the one Pliant holds in both
			const own = ['callbackId', 'webhookId', 'createdAt', 'receivedAt', 'paymentProgramId', 'source'];
			const without = (o: IDataObject) => Object.fromEntries(Object.entries(o).filter(([k]) => !own.includes(k)));
			expect(without(item)).toEqual(without(callback));
			expect(item.source).toBe('poll');
			expect(item.webhookId).toBeNull();
			expect(item.callbackId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
			expect(typeof item.createdAt).toBe('string');
			expect(typeof item.receivedAt).toBe('string');
			expect(item.paymentProgramId).toBeNull();
			expect(item.partnerOrganizationId).toBe(lead.partnerOrganizationId);
		}
		const added = seen[0];
		expect(added).toMatchObject({
			eventType: 'ORGANIZATION_ADDED',
			organizationId,
			partnerOrganizationId: lead.partnerOrganizationId,
		});
		expect(seen.find((i) => i.eventType === 'ORGANIZATION_STATE_CHANGED' && i.newStatus === 'ACTIVE')).toMatchObject({
			previousStatus: 'ONBOARDING_MANDATES_AND_TERMS',
		});
	});

	it('misses no step that happened right before the organization left onboarding', async () => {
		const organizationId = await harness.createOrganization();
		for (let step = 2; step <= 8; step++) await control(`/organizations/${organizationId}/advance`);
		const poller = trigger();
		await poller.poll(); // baseline in ONBOARDING_MANDATES_AND_TERMS
		await control(`/organizations/${organizationId}/advance`); // 9: direct debit
		await control(`/organizations/${organizationId}/advance`); // 10: ACTIVE
		const types = itemsOf((await poller.poll()).executions).map((i) => i.eventType);
		expect(types).toEqual(['ORGANIZATION_STATE_CHANGED', 'DIRECT_DEBIT_STATUS_CHANGED']);
		// then the details of the active organization are no longer read
		await harness.control('DELETE', '/ledger');
		expect(await poller.poll()).toEqual({ executions: [] });
		expect((await requests()).filter((r) => r.path.endsWith('/risk'))).toHaveLength(0);
	});

	it('reports status changes of an organization that does not share details, and no detail events', async () => {
		const organizationId = await harness.createOrganization();
		(harness.emu.state.organizations.get(organizationId) as OrganizationRecord).detailsShared = false;
		const poller = trigger();
		await poller.poll();
		for (let step = 2; step <= 4; step++) await control(`/organizations/${organizationId}/advance`);
		const items = itemsOf((await poller.poll()).executions);
		expect(items.map((i) => [i.eventType, i.previousStatus, i.newStatus])).toEqual([
			['ORGANIZATION_STATE_CHANGED', 'ONBOARDING_STARTED', 'ONBOARDING_RISK_AND_COMPLIANCE'],
		]);
	});
});

describe('Emit Current State on First Run', () => {
	it('reports every organization as added, with its status when past the first step', async () => {
		const first = await harness.createOrganization();
		const second = await harness.createOrganization();
		await control(`/organizations/${second}/advance`);
		const poller = trigger({ options: { emitCurrentState: true } });
		const items = itemsOf((await poller.poll()).executions);
		expect(items.map((i) => [i.organizationId, i.eventType, i.newStatus ?? null])).toEqual([
			[first, 'ORGANIZATION_ADDED', null],
			[second, 'ORGANIZATION_ADDED', null],
			[second, 'ORGANIZATION_STATE_CHANGED', 'ONBOARDING_RISK_AND_COMPLIANCE'],
		]);
		// only on the first run
		expect(await poller.poll()).toEqual({ executions: [] });
	});
});

describe('event filter', () => {
	it('emits only the selected events; the others are remembered, never reported later', async () => {
		const organizationId = await harness.createOrganization();
		const poller = trigger({ events: ['ORGANIZATION_STATE_CHANGED'] });
		await poller.poll();
		for (let step = 2; step <= 4; step++) await control(`/organizations/${organizationId}/advance`);
		const items = itemsOf((await poller.poll()).executions);
		expect(items.map((i) => i.eventType)).toEqual(['ORGANIZATION_STATE_CHANGED']);
		expect(await poller.poll()).toEqual({ executions: [] });

		const added = trigger({ events: ['ORGANIZATION_ADDED'] });
		await added.poll();
		const next = await harness.createOrganization();
		await control(`/organizations/${organizationId}/advance`);
		expect(itemsOf((await added.poll()).executions).map((i) => [i.eventType, i.organizationId])).toEqual([
			['ORGANIZATION_ADDED', next],
		]);
	});
});

describe('a Pliant error in the middle of a poll', () => {
	it('fails the poll, remembers nothing, and the next poll reports every change', async () => {
		const organizationId = await harness.createOrganization();
		const poller = trigger();
		await poller.poll();
		const before = poller.staticData;

		const other = await harness.createOrganization();
		await control(`/organizations/${organizationId}/advance`); // status
		await control(`/organizations/${organizationId}/advance`); // representative submission
		await harness.control('POST', '/faults', {
			route: `GET /api/organizations/${organizationId}/risk`,
			statuses: Array(MAX_ATTEMPTS).fill(503),
		});
		const failed = await poller.poll();
		expect(failed.executions).toEqual([]);
		expect(failed.error?.message).toBe('Pliant is unavailable right now');
		expect(failed.error?.description).toMatch(/No change is lost/);
		expect(poller.staticData).toEqual(before);

		const recovered = await poller.poll();
		expect(recovered.error).toBeUndefined();
		expect(itemsOf(recovered.executions).map((i) => [i.organizationId, i.eventType])).toEqual([
			[organizationId, 'ORGANIZATION_STATE_CHANGED'],
			[organizationId, 'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED'],
			[other, 'ORGANIZATION_ADDED'],
		]);
	});

	it('fails the first poll after publishing too, with the reason', async () => {
		await harness.control('POST', '/faults', { route: 'GET /api/organizations', statuses: [400] });
		const { error, executions } = await trigger().poll();
		expect(executions).toEqual([]);
		expect(error?.message).toBe('Pliant rejected the request as invalid');
	});
});

describe('static data', () => {
	it('stays bounded: at most MAX_TRACKED_ORGANIZATIONS, details only while onboarding', async () => {
		const template = harness.emu.state.organizations.get(await harness.createOrganization()) as OrganizationRecord;
		const total = MAX_TRACKED_ORGANIZATIONS + 300;
		for (let i = 0; i < total; i++) {
			const organizationId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
			harness.emu.state.organizations.set(organizationId, {
				...template,
				organization: { ...template.organization, organizationId, status: 'ACTIVE', partnersOrganizationId: `crm-bulk-${i}` },
				details: { ...template.details, organizationId },
			});
		}
		const poller = trigger();
		await harness.control('DELETE', '/ledger');
		expect((await poller.poll()).executions).toEqual([]);
		const pages = (await requests()).filter((r) => r.path === '/api/organizations');
		expect(pages).toHaveLength(Math.ceil((total + 1) / 1000));

		const stored = JSON.stringify(poller.staticData);
		const snapshot = JSON.parse(stored)['node:Pliant Onboarding Status Trigger'].onboardingSnapshot;
		expect(Object.keys(snapshot.statuses)).toHaveLength(MAX_TRACKED_ORGANIZATIONS);
		expect(Object.keys(snapshot.details)).toEqual([template.organization.organizationId]);
		expect(snapshot.truncated).toBe(true);
		expect(stored.length).toBeLessThan(100 * MAX_TRACKED_ORGANIZATIONS);

		// organizations left out are not reported as new; a new one in onboarding is
		const fresh = await harness.createOrganization();
		const items = itemsOf((await poller.poll()).executions);
		expect(items.map((i) => [i.eventType, i.organizationId])).toEqual([['ORGANIZATION_ADDED', fresh]]);
	});

	it('survives a restart: changes made while n8n was down are reported after it', async () => {
		const organizationId = await harness.createOrganization();
		const poller = trigger();
		await poller.poll();
		poller.restart();
		await control(`/organizations/${organizationId}/advance`);
		expect(itemsOf((await poller.poll()).executions).map((i) => i.eventType)).toEqual(['ORGANIZATION_STATE_CHANGED']);
	});
});

describe('cost', () => {
	it('asks for each page of organizations and the details of each organization in onboarding', async () => {
		for (let i = 0; i < 3; i++) await harness.createOrganization();
		const active = await harness.createOrganization();
		for (let step = 2; step <= 10; step++) await control(`/organizations/${active}/advance`);
		const poller = trigger();
		await poller.poll();
		await harness.control('DELETE', '/ledger');
		await poller.poll();
		const made = (await requests()).filter((r) => r.path.startsWith('/api/'));
		expect(made.map((r) => r.path.replace(/[0-9a-f-]{36}/, ':id')).sort()).toEqual([
			'/api/organizations',
			'/api/organizations/:id/risk',
			'/api/organizations/:id/risk',
			'/api/organizations/:id/risk',
		]);
	});
});

describe('Fetch Test Event', () => {
	it('returns one sample item built from a real organization when there is no change', async () => {
		const organizationId = await harness.createOrganization();
		const result = await trigger({ events: ['REPRESENTATIVE_SUBMISSION_STATUS_CHANGED'] }).fetchTestEvent();
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			eventType: 'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED',
			organizationId,
			newStatus: 'INTERNAL_ONLY',
			source: 'poll',
			sample: true,
		});
	});

	it('returns the latest changes when there are some, and leaves the baseline alone', async () => {
		const organizationId = await harness.createOrganization();
		const poller = trigger();
		await poller.poll();
		await control(`/organizations/${organizationId}/advance`);
		const items = await poller.fetchTestEventWithStaticData();
		expect(items.map((i) => [i.eventType, i.newStatus])).toEqual([
			['ORGANIZATION_STATE_CHANGED', 'ONBOARDING_RISK_AND_COMPLIANCE'],
		]);
		// the production poll still reports it
		expect(itemsOf((await poller.poll()).executions).map((i) => i.eventType)).toEqual(['ORGANIZATION_STATE_CHANGED']);
	});

	it('says so when the account has no organization yet', async () => {
		const result = await trigger().fetchTestEvent();
		expect(result.error?.message).toBe('No organization to build a test event from');
	});
});
