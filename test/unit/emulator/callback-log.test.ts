/**
 * The emulator's callback log (GET /api/callbacks, GET /api/callbacks/{id}): one entry per
 * callback sent to one URL with the status it ended in, the contract's filters and paging, and
 * the control hook that makes a callback fail without reaching its receiver.
 */
import { logStatus } from '../../../emulator/callback-log';
import type { DeliveryRecord } from '../../../emulator/state';
import { closedPortUrl, Harness, startReceiver, type LooseJson, type Receiver } from './helpers';

describe('emulator: callback log', () => {
	let harness: Harness;
	let receiver: Receiver;

	beforeEach(async () => {
		harness = await Harness.start({ delivery: { retries: 2, backoffMs: 1, timeoutMs: 2000 } });
		receiver = await startReceiver();
	});
	afterEach(async () => {
		await harness.stop();
		await receiver.close();
	});

	const fire = async (url: string, extra: Record<string, unknown> = {}) => {
		const fired = await harness.control('POST', '/events', {
			eventType: 'AUTHORIZATION_PENDING',
			organizationId: 'org-1',
			callbackUrl: url,
			...extra,
		});
		expect(fired.status).toBe(200);
		return fired.body.callbacks[0].callbackId as string;
	};

	const list = async (query = '') => {
		const result = await harness.api('GET', `/callbacks${query}`);
		expect(result.status).toBe(200);
		return result.body as { callbacks: LooseJson[]; hasNextPage: boolean };
	};

	it('logs a delivered callback as SENT and a refused or unreachable one as FAILED after the retries', async () => {
		receiver.respond = (index) => (index < 3 ? 500 : 200);
		const refused = await fire(receiver.url); // 3 attempts, all 500
		const gone = await closedPortUrl();
		const unreachable = await fire(gone);
		const sent = await fire(receiver.url);
		await harness.waitForDeliveries();

		const { callbacks, hasNextPage } = await list();
		expect(hasNextPage).toBe(false);
		// newest first
		expect(callbacks.map((entry) => [entry.callbackId, entry.status, entry.attempts])).toEqual([
			[sent, 'SENT', 1],
			[unreachable, 'FAILED', 3],
			[refused, 'FAILED', 3],
		]);
		expect(callbacks[1]).toEqual({
			callbackId: unreachable,
			eventType: 'AUTHORIZATION_PENDING',
			organizationId: 'org-1',
			status: 'FAILED',
			createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/),
			callbackUrl: gone,
			attempts: 3,
			lastAttemptAt: expect.any(String),
		});
	});

	it('shows a callback waiting for its first attempt as UNSENT and one being retried as IN_PROGRESS', () => {
		const record = { state: 'pending', attempts: 0 } as DeliveryRecord;
		expect(logStatus(record)).toBe('UNSENT');
		expect(logStatus({ ...record, attempts: 1 })).toBe('IN_PROGRESS');
		expect(logStatus({ ...record, state: 'cancelled' })).toBe('SKIPPED');
	});

	it('filters by status, event type, organization and inclusive dates, oldest first on request, in pages', async () => {
		const gone = await closedPortUrl();
		const ids: string[] = [];
		for (let index = 0; index < 5; index++) ids.push(await fire(gone, { organizationId: `org-${index % 2}` }));
		const other = await fire(receiver.url, { eventType: 'ORGANIZATION_ADDED', organizationId: 'org-9' });
		await harness.waitForDeliveries();
		const all = (await list('?sortDirection=ASC&limit=1000')).callbacks;
		expect(all.map((entry) => entry.callbackId)).toEqual([...ids, other]);

		expect((await list('?status=FAILED&sortDirection=ASC')).callbacks.map((e) => e.callbackId)).toEqual(ids);
		expect((await list('?status=SENT')).callbacks.map((e) => e.callbackId)).toEqual([other]);
		expect((await list('?eventType=ORGANIZATION_ADDED')).callbacks.map((e) => e.callbackId)).toEqual([other]);
		expect((await list('?organizationId=org-1&sortDirection=ASC')).callbacks.map((e) => e.callbackId)).toEqual([
			ids[1],
			ids[3],
		]);
		// from and to are inclusive, to the nanosecond
		const [second, fourth] = [all[1].createdAt as string, all[3].createdAt as string];
		const window = `?sortDirection=ASC&fromDate=${second}&toDate=${fourth}`;
		expect((await list(window)).callbacks.map((e) => e.callbackId)).toEqual([ids[1], ids[2], ids[3]]);

		const first = await list('?status=FAILED&sortDirection=ASC&limit=2&page=0');
		const last = await list('?status=FAILED&sortDirection=ASC&limit=2&page=2');
		expect([first.hasNextPage, last.hasNextPage]).toEqual([true, false]);
		expect([...first.callbacks, ...last.callbacks].map((e) => e.callbackId)).toEqual([ids[0], ids[1], ids[4]]);
	});

	it('answers 400 for an unknown status, a limit over 1000 or an unreadable date, and 401 without a token', async () => {
		for (const query of ['?status=LOST', '?limit=1001', '?fromDate=yesterday', '?color=red']) {
			const result = await harness.api('GET', `/callbacks${query}`);
			expect({ query, status: result.status, code: result.body.code }).toEqual({
				query,
				status: 400,
				code: 'ILLEGAL_ARGUMENTS_PROVIDED',
			});
		}
		const anonymous = await harness.api('GET', '/callbacks', undefined, { authorization: '' });
		expect(anonymous.status).toBe(401);
	});

	it('returns one entry with the body exactly as sent, and 404 for an unknown ID', async () => {
		const id = await fire(receiver.url, { note: 'as sent' });
		await harness.waitForDeliveries();
		const detail = await harness.api('GET', `/callbacks/${id}`);
		expect(detail.status).toBe(200);
		expect(detail.body).toMatchObject({ callbackId: id, status: 'SENT', callbackUrl: receiver.url });
		expect(detail.body.payload).toEqual(JSON.parse(receiver.received[0].raw.toString()));
		expect(detail.body.payload).toEqual({ eventType: 'AUTHORIZATION_PENDING', organizationId: 'org-1', note: 'as sent' });
		expect((await harness.api('GET', '/callbacks/no-such-callback')).status).toBe(404);
	});

	it('makes the next matching callback fail without reaching its receiver (control API)', async () => {
		const planned = await harness.control('POST', '/deliveries/fail', { eventType: 'ORGANIZATION_ADDED' });
		expect(planned.status).toBe(200);
		const kept = await fire(receiver.url);
		const lost = await fire(receiver.url, { eventType: 'ORGANIZATION_ADDED' });
		const later = await fire(receiver.url, { eventType: 'ORGANIZATION_ADDED' });
		await harness.waitForDeliveries();
		expect(receiver.received.map((r) => r.headers['x-callback-id'])).toEqual([kept, later]);
		const failed = (await list('?status=FAILED')).callbacks;
		expect(failed.map((e) => [e.callbackId, e.attempts])).toEqual([[lost, 3]]);
	});
});
