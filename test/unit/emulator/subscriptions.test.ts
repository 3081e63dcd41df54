import { EVENT_TYPES } from '../../../nodes/shared/contract';
import { Harness } from './helpers';

describe('emulator: subscriptions', () => {
	let harness: Harness;

	// Made-up receiver hosts: the loopback-only rule has its own tests (callback-hosts.test.ts).
	beforeEach(async () => {
		harness = await Harness.start({ callbackHosts: 'any' });
	});
	afterEach(() => harness.stop());

	const upsert = (subscriptions: unknown) =>
		harness.api('POST', '/subscriptions/bulk-upsert', { subscriptions });

	it('starts empty', async () => {
		const result = await harness.api('GET', '/subscriptions');
		expect(result.status).toBe(200);
		expect(result.body).toEqual({ subscriptions: [] });
	});

	it('bulk-upsert creates subscriptions and returns them with ids', async () => {
		const result = await upsert(
			EVENT_TYPES.map((eventType) => ({ eventType, callbackUrl: 'https://n8n.example/webhook/a' })),
		);
		expect(result.status).toBe(200);
		expect(result.body.subscriptions).toHaveLength(EVENT_TYPES.length);
		for (const [index, subscription] of result.body.subscriptions.entries()) {
			expect(subscription).toEqual({
				id: expect.stringMatching(/^[0-9a-f-]{36}$/),
				eventType: EVENT_TYPES[index],
				callbackUrl: 'https://n8n.example/webhook/a',
			});
		}
		const list = await harness.api('GET', '/subscriptions');
		expect(list.body.subscriptions).toEqual(result.body.subscriptions);
	});

	it('is keyed by (eventType, callbackUrl): an existing pair comes back unchanged, never doubled', async () => {
		const first = await upsert([
			{ eventType: 'ORGANIZATION_ADDED', callbackUrl: 'https://a.example/x' },
		]);
		const second = await upsert([
			{ eventType: 'ORGANIZATION_ADDED', callbackUrl: 'https://a.example/x' },
			{ eventType: 'ORGANIZATION_ADDED', callbackUrl: 'https://a.example/x' },
			{ eventType: 'ORGANIZATION_ADDED', callbackUrl: 'https://b.example/x' },
		]);
		expect(second.status).toBe(200);
		expect(second.body.subscriptions[0]).toEqual(first.body.subscriptions[0]);
		expect(second.body.subscriptions[1]).toEqual(first.body.subscriptions[0]);
		expect(second.body.subscriptions[2].id).not.toBe(first.body.subscriptions[0].id);
		const list = await harness.api('GET', '/subscriptions');
		expect(list.body.subscriptions).toHaveLength(2);
	});

	it('allows 42 subscriptions per event type; the 43rd is 409 SUBSCRIPTION_LIMIT_REACHED and nothing is stored', async () => {
		const many = Array.from({ length: 42 }, (_, index) => ({
			eventType: 'AUTHORIZATION_GRANTED',
			callbackUrl: `https://h.example/${index}`,
		}));
		expect((await upsert(many)).status).toBe(200);
		const over = await upsert([
			{ eventType: 'AUTHORIZATION_PENDING', callbackUrl: 'https://h.example/other' },
			{ eventType: 'AUTHORIZATION_GRANTED', callbackUrl: 'https://h.example/42' },
		]);
		expect(over.status).toBe(409);
		expect(over.body).toMatchObject({
			code: 'SUBSCRIPTION_LIMIT_REACHED',
			message: expect.any(String),
		});
		const list = await harness.api('GET', '/subscriptions');
		expect(list.body.subscriptions).toHaveLength(42);
		// an existing pair is still fine at the limit
		expect(
			(await upsert([{ eventType: 'AUTHORIZATION_GRANTED', callbackUrl: 'https://h.example/0' }]))
				.status,
		).toBe(200);
	});

	it('accepts the changelog spelling BANK_CONNECTION_STATUS_CHANGE and stores it as given', async () => {
		const result = await upsert([
			{ eventType: 'BANK_CONNECTION_STATUS_CHANGE', callbackUrl: 'https://a.example/b' },
		]);
		expect(result.status).toBe(200);
		expect(result.body.subscriptions[0].eventType).toBe('BANK_CONNECTION_STATUS_CHANGE');
	});

	it('rejects unknown event types, bad URLs, unknown fields and a missing list with 400', async () => {
		for (const body of [
			{ subscriptions: [{ eventType: 'CARD_CREATED', callbackUrl: 'https://a.example' }] },
			{ subscriptions: [{ eventType: 'ORGANIZATION_ADDED', callbackUrl: 'not a url' }] },
			{ subscriptions: [{ eventType: 'ORGANIZATION_ADDED', callbackUrl: 'ftp://a.example' }] },
			{
				subscriptions: [
					{ eventType: 'ORGANIZATION_ADDED', callbackUrl: 'https://a.example', secret: 'x' },
				],
			},
			{},
		]) {
			const result = await harness.api('POST', '/subscriptions/bulk-upsert', body);
			expect(result.status).toBe(400);
			expect(result.body.code).toBe('ILLEGAL_ARGUMENTS_PROVIDED');
			expect(result.body.details.length).toBeGreaterThan(0);
		}
		const bad = await upsert([{ eventType: 'CARD_CREATED', callbackUrl: 'https://a.example' }]);
		expect(bad.body.details).toEqual([
			{ field: 'subscriptions[0].eventType', message: expect.any(String) },
		]);
	});

	it('DELETE /subscriptions/{id}: 204, then 404 when already gone', async () => {
		const created = await upsert([
			{ eventType: 'ORGANIZATION_ADDED', callbackUrl: 'https://a.example/x' },
		]);
		const id = created.body.subscriptions[0].id;
		const deleted = await harness.api('DELETE', `/subscriptions/${id}`);
		expect(deleted.status).toBe(204);
		expect(deleted.text).toBe('');
		const again = await harness.api('DELETE', `/subscriptions/${id}`);
		expect(again.status).toBe(404);
		expect(again.body).toEqual({ code: 'NOT_FOUND', message: expect.any(String) });
		expect((await harness.api('GET', '/subscriptions')).body.subscriptions).toEqual([]);
	});
});
