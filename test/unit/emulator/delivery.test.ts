import {
	closedPortUrl,
	Harness,
	startReceiver,
	subscribeAll,
	verifyCallback,
	type Receiver,
} from './helpers';

describe('emulator: callback delivery', () => {
	let harness: Harness;
	let receiver: Receiver;

	beforeEach(async () => {
		harness = await Harness.start({ delivery: { retries: 3, backoffMs: 1, timeoutMs: 2000 } });
		receiver = await startReceiver();
	});
	afterEach(async () => {
		await harness.stop();
		await receiver.close();
	});

	const fire = (extra: Record<string, unknown> = {}) =>
		harness.control('POST', '/events', {
			eventType: 'AUTHORIZATION_PENDING',
			organizationId: 'org-1',
			callbackUrl: receiver.url,
			...extra,
		});

	it('fires one event to one URL and logs the delivery', async () => {
		const fired = await fire({ note: 'extra field' });
		expect(fired.status).toBe(200);
		expect(fired.body.event).toEqual({
			eventType: 'AUTHORIZATION_PENDING',
			organizationId: 'org-1',
			note: 'extra field',
		});
		expect(fired.body.callbacks).toEqual([
			{ deliveryId: expect.any(String), callbackId: expect.any(String), url: receiver.url },
		]);
		await harness.waitForDeliveries();
		const [callback] = receiver.received;
		expect(JSON.parse(callback.raw.toString())).toEqual({
			eventType: 'AUTHORIZATION_PENDING',
			organizationId: 'org-1',
			note: 'extra field',
		});
		expect(callback.headers['content-type']).toBe('application/json');
		const log = await harness.control('GET', '/deliveries');
		expect(log.body.pending).toBe(0);
		expect(log.body.deliveries).toEqual([
			expect.objectContaining({
				callbackId: fired.body.callbacks[0].callbackId,
				eventType: 'AUTHORIZATION_PENDING',
				organizationId: 'org-1',
				url: receiver.url,
				subscriptionId: null,
				state: 'delivered',
				attempts: 1,
				statuses: [200],
			}),
		]);
	});

	it('fires to every subscription of the event type (alias spelling included)', async () => {
		const other = await startReceiver();
		try {
			await harness.api('POST', '/subscriptions/bulk-upsert', {
				subscriptions: [
					{ eventType: 'BANK_CONNECTION_STATUS_CHANGED', callbackUrl: receiver.url },
					{ eventType: 'BANK_CONNECTION_STATUS_CHANGE', callbackUrl: other.url },
					{ eventType: 'AUTHORIZATION_PENDING', callbackUrl: other.url },
				],
			});
			const fired = await harness.control('POST', '/events', {
				eventType: 'BANK_CONNECTION_STATUS_CHANGED',
				organizationId: 'org-1',
				statusChange: { beforeChange: 'NOT_CONNECTED', afterChange: 'CONNECTED' },
			});
			expect(fired.body.callbacks).toHaveLength(2);
			await harness.waitForDeliveries();
			expect(receiver.received).toHaveLength(1);
			expect(other.received).toHaveLength(1);
			expect(other.received[0].body.eventType).toBe('BANK_CONNECTION_STATUS_CHANGED');
			// one X-Callback-Id per callback
			expect(receiver.received[0].headers['x-callback-id']).not.toBe(
				other.received[0].headers['x-callback-id'],
			);
		} finally {
			await other.close();
		}
	});

	it('retries a non-2xx answer with the same callback id, every attempt signed', async () => {
		receiver.respond = (index) => (index < 2 ? 500 : 204);
		await fire();
		await harness.waitForDeliveries();
		expect(receiver.received).toHaveLength(3);
		const ids = new Set(receiver.received.map((callback) => callback.headers['x-callback-id']));
		expect(ids.size).toBe(1);
		const jwks = (await harness.api('GET', '/partner-management/signing/jwks.json')).body;
		for (const callback of receiver.received)
			expect(verifyCallback(jwks, callback.headers, callback.raw)).toBe(true);
		const [record] = (await harness.control('GET', '/deliveries')).body.deliveries;
		expect(record).toMatchObject({ state: 'delivered', attempts: 3, statuses: [500, 500, 204] });
	});

	it('gives up after the retries and marks the delivery failed', async () => {
		receiver.respond = () => 503;
		await fire();
		await harness.waitForDeliveries();
		expect(receiver.received).toHaveLength(4);
		const [record] = (await harness.control('GET', '/deliveries')).body.deliveries;
		expect(record).toMatchObject({ state: 'failed', attempts: 4, statuses: [503, 503, 503, 503] });
		expect((await harness.control('GET', '/state')).body.counters).toMatchObject({
			callbacksFailed: 1,
			callbackAttempts: 4,
		});
	});

	it('retries network errors: refused connections and dropped sockets', async () => {
		const gone = await closedPortUrl();
		await harness.control('POST', '/events', {
			eventType: 'AUTHORIZATION_PENDING',
			organizationId: 'o',
			callbackUrl: gone,
		});
		receiver.respond = (index) => (index === 0 ? 'drop' : 200);
		await fire();
		await harness.waitForDeliveries();
		const deliveries = (await harness.control('GET', '/deliveries')).body.deliveries;
		const refused = deliveries.find((record: { url: string }) => record.url === gone);
		expect(refused).toMatchObject({
			state: 'failed',
			attempts: 4,
			statuses: ['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED'],
		});
		const dropped = deliveries.find((record: { url: string }) => record.url === receiver.url);
		expect(dropped.state).toBe('delivered');
		expect(dropped.statuses).toEqual([expect.stringMatching(/ECONNRESET|socket hang up/), 200]);
	});

	it('times out a receiver that never answers', async () => {
		await harness.control('POST', '/config', { delivery: { timeoutMs: 200, retries: 3 } });
		receiver.respond = (index) => (index === 0 ? 'hang' : 200);
		await fire();
		await harness.waitForDeliveries();
		const [record] = (await harness.control('GET', '/deliveries')).body.deliveries;
		expect(record.state).toBe('delivered');
		expect(record.statuses[0]).toBe('ETIMEDOUT');
		expect(record.statuses[record.statuses.length - 1]).toBe(200);
	});

	it('duplicate: every callback arrives twice with the same X-Callback-Id (at-least-once)', async () => {
		await harness.control('POST', '/config', { delivery: { duplicate: true } });
		await fire();
		await harness.waitForDeliveries();
		expect(receiver.received).toHaveLength(2);
		expect(receiver.received[0].headers['x-callback-id']).toBe(
			receiver.received[1].headers['x-callback-id'],
		);
		expect(receiver.received[0].raw.equals(receiver.received[1].raw)).toBe(true);
		const [record] = (await harness.control('GET', '/deliveries')).body.deliveries;
		expect(record.statuses).toEqual([200, 200]);
		expect(record.attemptLog[1].duplicate).toBe(true);
	});

	it('burst: one callback sent N times at once under one X-Callback-Id, each copy freshly signed under a new webhook-id', async () => {
		const sent = await harness.control('POST', '/events/burst', {
			eventType: 'AUTHORIZATION_PENDING',
			organizationId: 'org-1',
			callbackUrl: receiver.url,
			copies: 5,
		});
		expect(sent.status).toBe(200);
		expect(sent.body.statuses).toEqual([200, 200, 200, 200, 200]);
		await receiver.waitFor(5);
		const callbackIds = new Set(receiver.received.map((callback) => callback.headers['x-callback-id']));
		const webhookIds = new Set(receiver.received.map((callback) => callback.headers['webhook-id']));
		expect([...callbackIds]).toEqual([sent.body.callbackId]);
		expect(webhookIds.size).toBe(5);
		expect([...webhookIds].sort()).toEqual([...sent.body.webhookIds].sort());
		expect(webhookIds.has(sent.body.callbackId)).toBe(false);
		const jwks = (await harness.api('GET', '/partner-management/signing/jwks.json')).body;
		for (const callback of receiver.received) expect(verifyCallback(jwks, callback.headers, callback.raw)).toBe(true);
		const [record] = (await harness.control('GET', '/deliveries')).body.deliveries;
		expect(record).toMatchObject({ callbackId: sent.body.callbackId, state: 'delivered', attempts: 5 });
	});

	it('outOfOrder: a batch arrives reversed; X-Callback-Created-At restores the order', async () => {
		await harness.control('POST', '/config', { delivery: { outOfOrder: true } });
		await subscribeAll(harness, receiver.url);
		const organizationId = await harness.createOrganization();
		await harness.waitForDeliveries();
		await harness.control('POST', `/organizations/${organizationId}/complete`);
		await harness.waitForDeliveries();
		const batch = receiver.received.slice(1);
		expect(batch).toHaveLength(10);
		const createdAt = batch.map((callback) => String(callback.headers['x-callback-created-at']));
		expect([...createdAt].sort().reverse()).toEqual(createdAt);
		expect(batch[0].body.eventType).toBe('AUTHORIZATION_PENDING');
		expect(batch[9].body).toMatchObject({
			eventType: 'ORGANIZATION_STATE_CHANGED',
			statusChange: { afterChange: 'ONBOARDING_RISK_AND_COMPLIANCE' },
		});
	});

	it('GET deliveries?pending=true and deliveries/wait report work in flight; stop() ends it', async () => {
		receiver.respond = () => 'hang';
		await fire();
		const waited = await harness.control('POST', '/deliveries/wait', { timeoutMs: 20 });
		expect(waited.status).toBe(408);
		expect(waited.body).toEqual({ idle: false, pending: 1 });
		const pending = await harness.control('GET', '/deliveries?pending=true');
		expect(pending.body.deliveries).toHaveLength(1);
		expect(pending.body.deliveries[0].state).toBe('pending');
		await harness.stop();
		expect(harness.emu.state.deliveries[0].state).toBe('cancelled');
	});

	it('reset cancels pending deliveries', async () => {
		receiver.respond = () => 'hang';
		await fire();
		await receiver.waitFor(1);
		await harness.control('POST', '/reset');
		expect((await harness.control('POST', '/deliveries/wait', { timeoutMs: 1000 })).body).toEqual({
			idle: true,
			pending: 0,
		});
		expect((await harness.control('GET', '/deliveries')).body.deliveries).toEqual([]);
	});

	it('rejects a malformed event', async () => {
		expect((await harness.control('POST', '/events', { organizationId: 'o' })).status).toBe(400);
		expect(
			(
				await harness.control('POST', '/events', {
					eventType: 'X',
					organizationId: 'o',
					callbackUrl: 'nope',
				})
			).status,
		).toBe(400);
	});
});
