/**
 * Real callbacks from the in-process emulator to the Pliant Trigger, through n8n-core's
 * WebhookContext: one execution per callback over a whole onboarding, duplicates, filtering,
 * both bank-connection spellings, forged callbacks (0 executions) and key rotation.
 */
import { generateKeyPairSync, sign } from 'crypto';

import { EVENT_TYPES, PATHS, type Subscription } from '../../../nodes/shared/contract';
import { JWKS_MIN_FETCH_INTERVAL_MS } from '../../../nodes/PliantTrigger/jwks-cache';
import { forgetProcessMemory } from '../../support/process-memory';
import { emulatorCredentials, PliantCredentialsHelper } from '../../support/engine';
import { Harness } from '../../unit/emulator/helpers';
import { TriggerHost } from './trigger-host';

let harness: Harness;
let credentialsHelper: PliantCredentialsHelper;
let trigger: TriggerHost;

interface Delivery {
	callbackId: string;
	eventType: string;
	url: string;
	state: string;
	statuses: Array<number | string>;
}

async function control(path: string, body?: unknown) {
	const result = await harness.control('POST', path, body);
	if (result.status !== 200) throw new Error(`${path}: ${result.status} ${result.text}`);
	return result.body;
}

async function deliveriesTo(url: string): Promise<Delivery[]> {
	const result = await harness.control('GET', `/deliveries?url=${encodeURIComponent(url)}`);
	return result.body.deliveries as Delivery[];
}

async function jwksFetches(): Promise<number> {
	const result = await harness.control('GET', '/ledger');
	return (result.body.entries as Array<{ path: string }>).filter((entry) => entry.path === `/api${PATHS.jwks}`).length;
}

async function fire(event: Record<string, unknown>) {
	await control('/events', { organizationId: 'org-fired', callbackUrl: trigger.url('production'), ...event });
	await harness.waitForDeliveries(10_000);
}

async function post(body: string, headers: Record<string, string>) {
	const response = await fetch(trigger.url('production'), {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-callback-id': `direct-${Math.random()}`, ...headers },
		body,
	});
	return { status: response.status, text: await response.text() };
}

async function newTrigger(events: string[], options = {}) {
	await trigger?.unpublish('production');
	await trigger?.stop();
	trigger = await new TriggerHost({ credentials: emulatorCredentials(harness.emu), credentialsHelper, events, options }).start();
	await trigger.publish('production');
}

beforeAll(async () => {
	harness = await Harness.start({ delivery: { retries: 0, timeoutMs: 5000 } });
	credentialsHelper = new PliantCredentialsHelper(emulatorCredentials(harness.emu));
});

afterAll(async () => {
	await trigger?.stop();
	await harness.stop();
});

beforeEach(() => {
	forgetProcessMemory();
});

describe('one execution per callback', () => {
	it('a whole onboarding produces exactly one successful execution per callback', async () => {
		await newTrigger(['*']);
		const organizationId = await harness.createOrganization();
		await control(`/organizations/${organizationId}/complete`);
		const activated = await harness.api('POST', PATHS.organizationActivate(organizationId), {});
		expect(activated.status).toBeLessThan(300);
		await harness.waitForDeliveries(10_000);

		const deliveries = await deliveriesTo(trigger.url('production'));
		expect(deliveries.length).toBeGreaterThanOrEqual(11);
		expect(deliveries.every((delivery) => delivery.state === 'delivered')).toBe(true);
		expect(trigger.executions).toHaveLength(deliveries.length);
		expect(trigger.executions.map((execution) => execution.json.callbackId).sort()).toEqual(
			deliveries.map((delivery) => delivery.callbackId).sort(),
		);
		const types = new Set(trigger.executions.map((execution) => execution.json.eventType));
		// every event type of the contract
		expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
		const held = (await harness.api('GET', PATHS.organization(organizationId))).body.partnersOrganizationId;
		expect(typeof held).toBe('string');
		for (const { json } of trigger.executions) {
			expect(json.organizationId).toBe(organizationId);
			// the partner ID Pliant holds, on every event: the signed ORGANIZATION_ADDED taught it
			expect(json.partnerOrganizationId).toBe(held);
			// the signed webhook-timestamp (X-Callback-Created-At is not signed)
			expect(json.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
			expect(typeof json.receivedAt).toBe('string');
		}
		const added = trigger.executions.find((execution) => execution.json.eventType === 'ORGANIZATION_ADDED');
		expect(added?.json).toMatchObject({ organizationName: expect.any(String) });
		const stateChange = trigger.executions.find((execution) => execution.json.eventType === 'ORGANIZATION_STATE_CHANGED');
		expect(stateChange?.json).toMatchObject({ previousStatus: 'ONBOARDING_STARTED', newStatus: 'ONBOARDING_RISK_AND_COMPLIANCE' });
	});

	it('duplicate deliveries of the same callback run the workflow once', async () => {
		await newTrigger(['ORGANIZATION_STATE_CHANGED']);
		await control('/config', { delivery: { duplicate: true } });
		try {
			for (let index = 0; index < 3; index++) {
				await fire({ eventType: 'ORGANIZATION_STATE_CHANGED', statusChange: { beforeChange: 'ACTIVE', afterChange: 'DEACTIVATED' } });
			}
		} finally {
			await control('/config', { delivery: { duplicate: false } });
		}
		const deliveries = await deliveriesTo(trigger.url('production'));
		expect(deliveries).toHaveLength(3);
		expect(trigger.executions).toHaveLength(3);
		expect(new Set(trigger.executions.map((execution) => execution.json.callbackId)).size).toBe(3);
		expect(trigger.answers.filter((answer) => answer.status === 200)).toHaveLength(6);
	});
});

describe('each callback once, with the partner ID Pliant holds (issue 28)', () => {
	async function organizationLookups(organizationId: string): Promise<number> {
		const result = await harness.control('GET', '/ledger');
		return (result.body.entries as Array<{ method: string; path: string }>).filter(
			(entry) => entry.method === 'GET' && entry.path === `/api${PATHS.organization(organizationId)}`,
		).length;
	}

	it.each([2, 5])('%i concurrent copies of one X-Callback-Id under fresh webhook-ids: one execution, every copy 2xx, one lookup', async (copies) => {
		await newTrigger(['ORGANIZATION_STATE_CHANGED']);
		const organizationId = await harness.createOrganization();
		const held = (await harness.api('GET', PATHS.organization(organizationId))).body.partnersOrganizationId;
		const lookupsBefore = await organizationLookups(organizationId);
		const sent = await control('/events/burst', {
			eventType: 'ORGANIZATION_STATE_CHANGED',
			organizationId,
			callbackUrl: trigger.url('production'),
			copies,
			statusChange: { beforeChange: 'ONBOARDING_STARTED', afterChange: 'ONBOARDING_RISK_AND_COMPLIANCE' },
		});
		expect(sent.statuses).toEqual(Array(copies).fill(200));
		expect(trigger.executions).toHaveLength(1);
		expect(trigger.executions[0].json).toMatchObject({ callbackId: sent.callbackId, partnerOrganizationId: held });
		expect(sent.webhookIds).toContain(trigger.executions[0].json.webhookId);
		expect((await organizationLookups(organizationId)) - lookupsBefore).toBe(1);
	});

	it('Resolve Partner Organization ID off: no lookup, null', async () => {
		await newTrigger(['ORGANIZATION_STATE_CHANGED'], { resolvePartnerOrganizationId: false });
		const organizationId = await harness.createOrganization();
		await fire({ eventType: 'ORGANIZATION_STATE_CHANGED', organizationId, statusChange: { beforeChange: null, afterChange: 'ACTIVE' } });
		expect(trigger.executions.map((execution) => execution.json.partnerOrganizationId)).toEqual([null]);
		expect(await organizationLookups(organizationId)).toBe(0);
	});
});

describe('filtering and spellings', () => {
	it('an unselected event type gets a 2xx and no execution', async () => {
		await newTrigger(['ORGANIZATION_ADDED']);
		await fire({ eventType: 'AUTHORIZATION_GRANTED' });
		const [delivery] = await deliveriesTo(trigger.url('production'));
		expect(delivery.statuses).toEqual([200]);
		expect(trigger.executions).toEqual([]);
	});

	it.each(['BANK_CONNECTION_STATUS_CHANGED', 'BANK_CONNECTION_STATUS_CHANGE'])(
		'the bank-connection spelling %s runs the workflow with ..._CHANGED',
		async (spelling) => {
			await newTrigger(['BANK_CONNECTION_STATUS_CHANGED']);
			await fire({ eventType: spelling, statusChange: { beforeChange: 'NOT_CONNECTED', afterChange: 'CONNECTED' } });
			expect(trigger.executions.map((execution) => execution.json)).toEqual([
				expect.objectContaining({ eventType: 'BANK_CONNECTION_STATUS_CHANGED', previousStatus: 'NOT_CONNECTED', newStatus: 'CONNECTED' }),
			]);
		},
	);
});

describe('forged callbacks start no execution', () => {
	const body = JSON.stringify({ eventType: 'ORGANIZATION_ADDED', organizationId: 'org-x', partnerOrganizationId: 'crm-x' });

	beforeAll(async () => {
		await newTrigger(['*']);
	});

	beforeEach(() => {
		trigger.executions.length = 0;
	});

	it('accepts a body signed by the emulator (control)', async () => {
		const { headers } = await control('/sign', { body });
		expect(await post(body, headers as Record<string, string>)).toEqual({ status: 200, text: '{"received":true}' });
		expect(trigger.executions).toHaveLength(1);
	});

	it('rejects a signature made with another key', async () => {
		const { privateKey } = generateKeyPairSync('ed25519');
		const timestamp = Math.floor(Date.now() / 1000);
		const signature = sign(null, Buffer.from(`msg_forged.${timestamp}.${body}`), privateKey).toString('base64');
		const answer = await post(body, {
			'webhook-id': 'msg_forged',
			'webhook-timestamp': String(timestamp),
			'webhook-signature': `v1a,${signature}`,
		});
		expect(answer.status).toBe(401);
		expect(trigger.executions).toEqual([]);
	});

	it('rejects a tampered body', async () => {
		const { headers } = await control('/sign', { body });
		const answer = await post(body.replace('crm-x', 'crm-evil'), headers as Record<string, string>);
		expect(answer.status).toBe(401);
		expect(trigger.executions).toEqual([]);
	});

	it('rejects a replay older than 5 minutes and one from the future', async () => {
		const now = Math.floor(Date.now() / 1000);
		// well past the 300 s tolerance either way, so a slow machine cannot bring "future" back inside it
		for (const timestamp of [now - 400, now + 400]) {
			const { headers } = await control('/sign', { body, timestamp });
			expect((await post(body, headers as Record<string, string>)).status).toBe(401);
		}
		expect(trigger.executions).toEqual([]);
	});

	it('rejects a callback without signature headers', async () => {
		expect((await post(body, {})).status).toBe(401);
		expect(trigger.executions).toEqual([]);
	});

	it('accepts a header with several signatures (one per key) when one is valid', async () => {
		await control('/keys/rotate', { dropOld: false });
		const { headers } = await control('/sign', { body, allKeys: true });
		expect(String((headers as Record<string, string>)['webhook-signature']).split(' ')).toHaveLength(2);
		expect((await post(body, headers as Record<string, string>)).status).toBe(200);
		expect(trigger.executions).toHaveLength(1);
	});
});

describe('key rotation', () => {
	beforeEach(() => {
		// Only the clock is faked: sockets and the emulator's timers run normally.
		jest.useFakeTimers({
			doNotFake: [
				'hrtime',
				'nextTick',
				'performance',
				'queueMicrotask',
				'requestAnimationFrame',
				'cancelAnimationFrame',
				'requestIdleCallback',
				'cancelIdleCallback',
				'setImmediate',
				'clearImmediate',
				'setInterval',
				'clearInterval',
				'setTimeout',
				'clearTimeout',
			],
		});
	});

	afterEach(() => jest.useRealTimers());

	it('a rotated key is fetched by the first callback signed with it, at most once per interval', async () => {
		await newTrigger(['ORGANIZATION_ADDED']);
		const afterPublish = await jwksFetches();
		const event = { eventType: 'ORGANIZATION_ADDED', partnerOrganizationId: 'crm-r' };

		await fire(event);
		expect(trigger.executions).toHaveLength(1);
		expect(await jwksFetches()).toBe(afterPublish);

		// Pliant rotates and drops the old key, after the fetch interval
		jest.setSystemTime(Date.now() + JWKS_MIN_FETCH_INTERVAL_MS + 1000);
		await control('/keys/rotate', { dropOld: true });
		await fire(event);
		expect(trigger.executions).toHaveLength(2);
		expect(await jwksFetches()).toBe(afterPublish + 1);

		// a second rotation within the interval: refused, and Pliant is not asked again ...
		await control('/keys/rotate', { dropOld: true });
		for (let i = 0; i < 5; i++) await fire(event);
		expect(trigger.executions).toHaveLength(2);
		const refused = await deliveriesTo(trigger.url('production'));
		expect(refused[refused.length - 1].statuses).toEqual([401]);
		expect(await jwksFetches()).toBe(afterPublish + 1);

		// ... until the interval has passed: Pliant's next retry picks up the new key
		jest.setSystemTime(Date.now() + JWKS_MIN_FETCH_INTERVAL_MS);
		await fire(event);
		expect(trigger.executions).toHaveLength(3);
		expect(await jwksFetches()).toBe(afterPublish + 2);
	}, 60_000);
});

describe('signing keys not yet loaded', () => {
	it('the first callback fetches the keys itself and is accepted', async () => {
		await newTrigger(['ORGANIZATION_ADDED']);
		const afterPublish = await jwksFetches();
		forgetProcessMemory(); // as if n8n had restarted without the keys in static data
		trigger.staticData.signingKeys = undefined;
		await fire({ eventType: 'ORGANIZATION_ADDED', partnerOrganizationId: 'crm-n' });
		expect(trigger.executions).toHaveLength(1);
		expect(await jwksFetches()).toBe(afterPublish + 1);
	}, 30_000);
});

describe('unpublishing', () => {
	it('leaves 0 subscriptions and the URL stops answering', async () => {
		await newTrigger(['*']);
		await trigger.unpublish('production');
		const result = await harness.api('GET', PATHS.subscriptions);
		expect((result.body.subscriptions as Subscription[]).filter((s) => s.callbackUrl === trigger.url('production'))).toEqual([]);
		expect((await post('{}', {})).status).toBe(404);
	});
});
