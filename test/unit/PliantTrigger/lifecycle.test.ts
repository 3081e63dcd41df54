import { mock, type MockProxy } from 'jest-mock-extended';
import type { IDataObject, IHookFunctions, Logger } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { EVENT_TYPES, PATHS, type Subscription } from '../../../nodes/shared/contract';
import { toPliantApiError } from '../../../nodes/shared/errors/api-error';
import { pliantApiRequest } from '../../../nodes/shared/http/transport';
import { jwksCache } from '../../../nodes/PliantTrigger/jwks-cache';
import { forgetProcessMemory } from '../../support/process-memory';
import { PliantTrigger } from '../../../nodes/PliantTrigger/PliantTrigger.node';
import { nodeFor } from '../../support/fake-execute-context';
import { makeKey } from './keys';

jest.mock('../../../nodes/shared/http/transport', () => ({
	...jest.requireActual('../../../nodes/shared/http/transport'),
	pliantApiRequest: jest.fn(),
}));

const request = pliantApiRequest as unknown as jest.Mock;
const trigger = new PliantTrigger();
const { checkExists, create, delete: remove } = trigger.webhookMethods.default;

const API = 'https://pliant.test/api';
const PROD_URL = 'https://n8n.example/webhook/7f0c/webhook';
const TEST_URL = 'https://n8n.example/webhook-test/7f0c/webhook';
const OLD_URL = 'https://old-n8n.example/webhook/7f0c/webhook';
const OTHER_URL = 'https://n8n.example/webhook/another-node/webhook';
const KEY = makeKey('pliant-1');
const NODE = { ...nodeFor(trigger), credentials: { pliantApi: { id: 'cred-1', name: 'Pliant' } } };
const COPY_URL = 'https://n8n.example/webhook/copy-node/webhook';

/** A tiny in-memory Pliant behind the mocked pliantApiRequest. */
class FakePliant {
	subscriptions: Subscription[] = [];
	calls: Array<{ method: string; path: string; body?: IDataObject }> = [];
	private seq = 0;
	failDelete = new Set<string>();
	limitReached = false;

	add(eventType: string, callbackUrl: string): Subscription {
		const subscription = { id: `00000000-0000-4000-8000-${String(++this.seq).padStart(12, '0')}`, eventType, callbackUrl };
		this.subscriptions.push(subscription);
		return subscription;
	}

	handle = async (options: { method: string; path: string; body?: IDataObject }): Promise<unknown> => {
		this.calls.push(options);
		const { method, path, body } = options;
		if (method === 'GET' && path === PATHS.jwks) return { keys: [KEY.jwk] };
		if (method === 'GET' && path === PATHS.subscriptions) return { subscriptions: [...this.subscriptions] };
		if (method === 'POST' && path === PATHS.subscriptionsBulkUpsert) {
			if (this.limitReached) throw httpError(409, { code: 'SUBSCRIPTION_LIMIT_REACHED', message: 'At most 42 subscriptions per event type; ORGANIZATION_ADDED would have 43', eventType: 'ORGANIZATION_ADDED' });
			const wanted = (body as { subscriptions: Array<{ eventType: string; callbackUrl: string }> }).subscriptions;
			return {
				subscriptions: wanted.map(
					(item) =>
						this.subscriptions.find((s) => s.eventType === item.eventType && s.callbackUrl === item.callbackUrl) ??
						this.add(item.eventType, item.callbackUrl),
				),
			};
		}
		if (method === 'DELETE') {
			const id = path.split('/').pop() as string;
			if (this.failDelete.has(id)) throw httpError(500, { message: 'boom' });
			const before = this.subscriptions.length;
			this.subscriptions = this.subscriptions.filter((s) => s.id !== id);
			if (this.subscriptions.length === before) throw httpError(404, { code: 'NOT_FOUND', message: 'gone' });
			return undefined;
		}
		throw new Error(`unexpected ${method} ${path}`);
	};

	writes() {
		return this.calls.filter((call) => call.method !== 'GET');
	}
}

function httpError(status: number, body: IDataObject): NodeApiError {
	return toPliantApiError(NODE, { response: { status, data: body } });
}

let pliant: FakePliant;
let staticData: IDataObject;
let ctx: MockProxy<IHookFunctions>;
let logger: MockProxy<Logger>;

function context(options: { url?: string; mode?: 'webhook' | 'manual' | 'trigger'; events?: string[]; params?: IDataObject } = {}) {
	const hook = mock<IHookFunctions>();
	hook.getNodeWebhookUrl.mockReturnValue(options.url ?? PROD_URL);
	hook.getMode.mockReturnValue(options.mode ?? 'trigger');
	hook.getWorkflowStaticData.mockReturnValue(staticData);
	hook.getNode.mockReturnValue(NODE);
	hook.getCredentials.mockResolvedValue({ environment: 'custom', baseUrl: API });
	hook.getNodeParameter.mockImplementation(((name: string, fallback?: unknown) => {
		if (name === 'events') return options.events ?? ['ORGANIZATION_ADDED', 'AUTHORIZATION_GRANTED'];
		if (name === 'options') return options.params ?? fallback ?? {};
		return fallback;
	}) as IHookFunctions['getNodeParameter']);
	(hook as { logger: Logger }).logger = logger;
	return hook;
}

beforeEach(() => {
	pliant = new FakePliant();
	staticData = {};
	logger = mock<Logger>();
	forgetProcessMemory();
	request.mockReset();
	request.mockImplementation(pliant.handle);
	ctx = context();
});

describe('checkExists', () => {
	it('adopts existing subscriptions of this URL, stores their ids, and writes nothing', async () => {
		const a = pliant.add('ORGANIZATION_ADDED', PROD_URL);
		const b = pliant.add('AUTHORIZATION_GRANTED', PROD_URL);
		pliant.add('ORGANIZATION_ADDED', OTHER_URL);

		expect(await checkExists.call(ctx)).toBe(true);
		expect(pliant.writes()).toEqual([]);
		expect(staticData.subscriptions).toEqual({
			production: {
				callbackUrl: PROD_URL,
				subscriptionIds: [a.id, b.id],
				eventTypes: ['AUTHORIZATION_GRANTED', 'ORGANIZATION_ADDED'],
				credentialId: 'cred-1',
			},
		});
	});

	it('warms the JWKS cache with the bearer-token request when adopting', async () => {
		pliant.add('ORGANIZATION_ADDED', PROD_URL);
		pliant.add('AUTHORIZATION_GRANTED', PROD_URL);
		await checkExists.call(ctx);
		expect(request).toHaveBeenCalledWith({ method: 'GET', path: PATHS.jwks });
		expect(jwksCache.keys(`${API}|`)).toHaveLength(1);
		expect(staticData.signingKeys).toEqual({ baseUrl: API, client: expect.any(String), keys: [KEY.jwk] });
	});

	it('returns false when a selected event type is missing, and deletes nothing', async () => {
		pliant.add('ORGANIZATION_ADDED', PROD_URL);
		pliant.add('AUTHORIZATION_GRANTED', OTHER_URL);
		expect(await checkExists.call(ctx)).toBe(false);
		expect(pliant.writes()).toEqual([]);
		expect(pliant.subscriptions).toHaveLength(2);
	});

	it('returns false when this URL is still subscribed to an event type no longer selected', async () => {
		pliant.add('ORGANIZATION_ADDED', PROD_URL);
		pliant.add('AUTHORIZATION_GRANTED', PROD_URL);
		pliant.add('DIRECT_DEBIT_STATUS_CHANGED', PROD_URL);
		expect(await checkExists.call(ctx)).toBe(false);
		expect(pliant.writes()).toEqual([]);
	});

	it('returns false when the stored subscriptions belong to an older webhook URL', async () => {
		pliant.add('ORGANIZATION_ADDED', PROD_URL);
		pliant.add('AUTHORIZATION_GRANTED', PROD_URL);
		staticData.subscriptions = { production: { callbackUrl: OLD_URL, subscriptionIds: ['old-1'], eventTypes: [] } };
		expect(await checkExists.call(ctx)).toBe(false);
		expect(pliant.writes()).toEqual([]);
	});

	it('adopts a subscription registered with the other bank-connection spelling', async () => {
		pliant.add('BANK_CONNECTION_STATUS_CHANGE', PROD_URL);
		ctx = context({ events: ['BANK_CONNECTION_STATUS_CHANGED'] });
		expect(await checkExists.call(ctx)).toBe(true);
		expect(pliant.writes()).toEqual([]);
	});

	it('treats "All Onboarding Events" as all nine event types', async () => {
		for (const eventType of EVENT_TYPES.slice(0, 8)) pliant.add(eventType, PROD_URL);
		ctx = context({ events: ['*'] });
		expect(await checkExists.call(ctx)).toBe(false);
		pliant.add(EVENT_TYPES[8], PROD_URL);
		expect(await checkExists.call(ctx)).toBe(true);
	});

	it('does not fail when the keys cannot be loaded yet (webhook() fetches them itself)', async () => {
		pliant.add('ORGANIZATION_ADDED', PROD_URL);
		pliant.add('AUTHORIZATION_GRANTED', PROD_URL);
		request.mockImplementation(async (options: { path: string }) => {
			if (options.path === PATHS.jwks) throw httpError(503, {});
			return await pliant.handle(options as never);
		});
		expect(await checkExists.call(ctx)).toBe(true);
		expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('signing keys'));
	});
});

describe('create', () => {
	it('bulk-upserts the selected event types for this URL and stores every id', async () => {
		expect(await create.call(ctx)).toBe(true);
		const upsert = pliant.calls.find((call) => call.path === PATHS.subscriptionsBulkUpsert);
		expect(upsert).toEqual({
			method: 'POST',
			path: PATHS.subscriptionsBulkUpsert,
			body: {
				subscriptions: [
					{ eventType: 'AUTHORIZATION_GRANTED', callbackUrl: PROD_URL },
					{ eventType: 'ORGANIZATION_ADDED', callbackUrl: PROD_URL },
				],
			},
		});
		expect(pliant.subscriptions.map((s) => [s.eventType, s.callbackUrl])).toEqual([
			['AUTHORIZATION_GRANTED', PROD_URL],
			['ORGANIZATION_ADDED', PROD_URL],
		]);
		expect(staticData.subscriptions).toEqual({
			production: {
				callbackUrl: PROD_URL,
				subscriptionIds: pliant.subscriptions.map((s) => s.id),
				eventTypes: ['AUTHORIZATION_GRANTED', 'ORGANIZATION_ADDED'],
				credentialId: 'cred-1',
			},
		});
	});

	it('fetches the signing keys before registering anything', async () => {
		await create.call(ctx);
		expect(request.mock.calls[0][0]).toEqual({ method: 'GET', path: PATHS.jwks });
		expect(jwksCache.keys(`${API}|`)).toHaveLength(1);
	});

	it('registers only the missing event types and keeps the existing ids', async () => {
		const existing = pliant.add('ORGANIZATION_ADDED', PROD_URL);
		await create.call(ctx);
		const upsert = pliant.calls.find((call) => call.path === PATHS.subscriptionsBulkUpsert);
		expect(upsert?.body).toEqual({ subscriptions: [{ eventType: 'AUTHORIZATION_GRANTED', callbackUrl: PROD_URL }] });
		const slot = (staticData.subscriptions as IDataObject).production as { subscriptionIds: string[] };
		expect(slot.subscriptionIds).toContain(existing.id);
		expect(slot.subscriptionIds).toHaveLength(2);
	});

	it('asks Pliant again when the bulk-upsert answer does not list the subscriptions', async () => {
		request.mockImplementation(async (options: { method: string; path: string; body?: IDataObject }) => {
			const answer = await pliant.handle(options);
			return options.path === PATHS.subscriptionsBulkUpsert ? {} : answer;
		});
		expect(await create.call(ctx)).toBe(true);
		const slot = (staticData.subscriptions as IDataObject).production as { subscriptionIds: string[] };
		expect(slot.subscriptionIds).toHaveLength(2);
	});

	it('fails clearly when Pliant does not confirm a subscription', async () => {
		request.mockImplementation(async (options: { method: string; path: string; body?: IDataObject }) => {
			if (options.path === PATHS.subscriptionsBulkUpsert) return { subscriptions: [] };
			return await pliant.handle(options);
		});
		await expect(create.call(ctx)).rejects.toThrow(
			'Pliant did not confirm the subscription for AUTHORIZATION_GRANTED, ORGANIZATION_ADDED',
		);
	});

	it('subscribes all nine event types for "All Onboarding Events"', async () => {
		ctx = context({ events: ['*'] });
		await create.call(ctx);
		expect(pliant.subscriptions.map((s) => s.eventType)).toEqual([...EVENT_TYPES]);
	});

	it('self-heals after the n8n URL changed: registers the new URL, then deletes exactly the stale ids', async () => {
		await create.call(context({ url: OLD_URL }));
		const stale = pliant.subscriptions.map((s) => s.id);
		const foreign = pliant.add('ORGANIZATION_ADDED', OTHER_URL);

		ctx = context({ url: PROD_URL });
		expect(await checkExists.call(ctx)).toBe(false);
		expect(await create.call(ctx)).toBe(true);

		expect(pliant.subscriptions.map((s) => s.callbackUrl).sort()).toEqual([OTHER_URL, PROD_URL, PROD_URL].sort());
		expect(pliant.subscriptions).toContainEqual(foreign);
		const deletes = pliant.calls.filter((call) => call.method === 'DELETE').map((call) => call.path);
		expect(deletes.sort()).toEqual(stale.map((id) => PATHS.subscription(id)).sort());
		// the new URL was registered before anything was deleted
		const firstDelete = pliant.calls.findIndex((call) => call.method === 'DELETE');
		const upsert = pliant.calls.findIndex((call) => call.path === PATHS.subscriptionsBulkUpsert && (call.body as { subscriptions: Array<{ callbackUrl: string }> }).subscriptions[0].callbackUrl === PROD_URL);
		expect(upsert).toBeLessThan(firstDelete);
		expect((staticData.subscriptions as IDataObject).production).toMatchObject({ callbackUrl: PROD_URL });
		expect((staticData.subscriptions as IDataObject).production).not.toHaveProperty('pendingDeletion');
	});

	it('removes its own subscriptions for event types no longer selected', async () => {
		pliant.add('DIRECT_DEBIT_STATUS_CHANGED', PROD_URL);
		const foreign = pliant.add('DIRECT_DEBIT_STATUS_CHANGED', OTHER_URL);
		await create.call(ctx);
		expect(pliant.subscriptions.map((s) => s.eventType).sort()).toEqual([
			'AUTHORIZATION_GRANTED',
			'DIRECT_DEBIT_STATUS_CHANGED',
			'ORGANIZATION_ADDED',
		]);
		expect(pliant.subscriptions).toContainEqual(foreign);
	});

	it('keeps stale ids it could not delete and retries them on the next delete', async () => {
		await create.call(context({ url: OLD_URL }));
		const stale = pliant.subscriptions.map((s) => s.id);
		pliant.failDelete = new Set(stale);
		await create.call(ctx);
		expect(logger.error).toHaveBeenCalledWith(expect.stringContaining(stale[0]));
		expect((staticData.subscriptions as IDataObject).production).toMatchObject({ pendingDeletion: stale });

		pliant.failDelete.clear();
		await remove.call(ctx);
		expect(pliant.subscriptions).toEqual([]);
		expect(staticData).toEqual({});
	});

	it('explains the 42-per-event-type limit, naming the event type', async () => {
		for (let index = 0; index < 42; index++) pliant.add('ORGANIZATION_ADDED', `https://n8n.example/webhook/other-${index}/webhook`);
		pliant.limitReached = true;
		const error = (await create.call(ctx).catch((caught: unknown) => caught)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'Pliant allows at most 42 subscriptions per event type, and Organization Added (ORGANIZATION_ADDED) has reached it',
		);
		expect(error.description).toMatch(/unpublish workflows/i);
		expect(error.context.pliant).toMatchObject({ status: 409, body: { code: 'SUBSCRIPTION_LIMIT_REACHED' } });
		expect(staticData.subscriptions).toBeUndefined();
	});

	it('names the event type from Pliant\'s answer when the list does not show the limit', async () => {
		pliant.limitReached = true;
		const error = (await create.call(ctx).catch((caught: unknown) => caught)) as NodeApiError;
		expect(error.message).toContain('Organization Added (ORGANIZATION_ADDED)');
		expect(error.message).not.toContain('AUTHORIZATION_GRANTED');
	});

	it('passes other API errors on unchanged', async () => {
		request.mockImplementation(async (options: { method: string; path: string }) => {
			if (options.path === PATHS.subscriptionsBulkUpsert) throw httpError(400, { code: 'ILLEGAL_ARGUMENTS_PROVIDED', message: 'bad url' });
			return await pliant.handle(options as never);
		});
		await expect(create.call(ctx)).rejects.toThrow('Pliant rejected the request as invalid');
	});

	it('refuses to register when verification is on and the JWKS has no usable key', async () => {
		request.mockImplementation(async (options: { method: string; path: string }) => {
			if (options.path === PATHS.jwks) return { keys: [] };
			return await pliant.handle(options as never);
		});
		await expect(create.call(ctx)).rejects.toThrow('hold no Ed25519 key');
		expect(pliant.writes()).toEqual([]);
	});

	it('does not need the keys when verification is off', async () => {
		ctx = context({ params: { verifySignature: false } });
		await create.call(ctx);
		expect(request).not.toHaveBeenCalledWith({ method: 'GET', path: PATHS.jwks });
	});
});

describe('delete', () => {
	it('deletes every stored id, clears the static data and returns true', async () => {
		await create.call(ctx);
		const ids = pliant.subscriptions.map((s) => s.id);
		pliant.calls = [];
		expect(await remove.call(ctx)).toBe(true);
		expect(pliant.writes().map((call) => call.path).sort()).toEqual(ids.map((id) => PATHS.subscription(id)).sort());
		expect(pliant.subscriptions).toEqual([]);
		expect(staticData).toEqual({});
	});

	it('counts 404 as done', async () => {
		await create.call(ctx);
		pliant.subscriptions = [];
		expect(await remove.call(ctx)).toBe(true);
		expect(logger.error).not.toHaveBeenCalled();
		expect(staticData).toEqual({});
	});

	it('logs a failure instead of swallowing it, and keeps the id for the next attempt', async () => {
		await create.call(ctx);
		const [first] = pliant.subscriptions;
		pliant.failDelete.add(first.id);
		expect(await remove.call(ctx)).toBe(true);
		expect(logger.error).toHaveBeenCalledWith(expect.stringContaining(first.id));
		expect((staticData.subscriptions as IDataObject).production).toMatchObject({ pendingDeletion: [first.id] });
		expect(pliant.subscriptions).toEqual([first]);
	});

	it('also finds its subscriptions by URL when the static data was lost, and never touches other URLs', async () => {
		await create.call(ctx);
		const foreign = pliant.add('ORGANIZATION_ADDED', OTHER_URL);
		const testOne = pliant.add('ORGANIZATION_ADDED', TEST_URL);
		for (const key of Object.keys(staticData)) delete staticData[key];
		await remove.call(ctx);
		expect(pliant.subscriptions).toEqual([foreign, testOne]);
	});

	it('deletes nothing when Pliant cannot be asked which subscriptions are this node\'s, and keeps the ids', async () => {
		await create.call(ctx);
		const ids = pliant.subscriptions.map((s) => s.id);
		request.mockImplementation(async (options: { method: string; path: string }) => {
			if (options.method === 'GET') throw httpError(503, {});
			return await pliant.handle(options as never);
		});
		await remove.call(ctx);
		expect(pliant.writes()).toHaveLength(1); // the bulk upsert of create, no DELETE
		expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('none was deleted'));
		expect((staticData.subscriptions as IDataObject).production).toMatchObject({ pendingDeletion: ids });

		request.mockImplementation(pliant.handle);
		await remove.call(ctx);
		expect(pliant.subscriptions).toEqual([]);
		expect(staticData).toEqual({});
	});
});

describe('test and production URLs', () => {
	it('keeps separate subscriptions and static data slots for each', async () => {
		const production = context({ url: PROD_URL, mode: 'trigger' });
		const test = context({ url: TEST_URL, mode: 'manual' });
		await create.call(production);
		expect(await checkExists.call(test)).toBe(false);
		await create.call(test);
		expect(pliant.subscriptions.filter((s) => s.callbackUrl === PROD_URL)).toHaveLength(2);
		expect(pliant.subscriptions.filter((s) => s.callbackUrl === TEST_URL)).toHaveLength(2);
		expect(Object.keys(staticData.subscriptions as IDataObject).sort()).toEqual(['production', 'test']);

		await remove.call(test);
		expect(pliant.subscriptions.map((s) => s.callbackUrl)).toEqual([PROD_URL, PROD_URL]);
		expect(await checkExists.call(production)).toBe(true);

		await remove.call(production);
		expect(pliant.subscriptions).toEqual([]);
		expect(staticData).toEqual({});
	});
});

describe('no leaks', () => {
	it('leaves no subscription behind after repeated publish/unpublish cycles', async () => {
		ctx = context({ events: ['*'] });
		for (let cycle = 0; cycle < 5; cycle++) {
			if (!(await checkExists.call(ctx))) await create.call(ctx);
			expect(pliant.subscriptions).toHaveLength(9);
			await remove.call(ctx);
			expect(pliant.subscriptions).toHaveLength(0);
		}
		expect(staticData).toEqual({});
	});

	it('never doubles subscriptions when create runs twice', async () => {
		await create.call(ctx);
		await create.call(ctx);
		expect(pliant.subscriptions).toHaveLength(2);
	});
});

describe('only its own subscriptions', () => {
	function contextAs(url: string, credentialId: string, mode: 'trigger' | 'manual' = 'trigger') {
		const hook = context({ url, mode });
		hook.getNode.mockReturnValue({ ...NODE, credentials: { pliantApi: { id: credentialId, name: credentialId } } });
		return hook;
	}

	it('a copy with the same static data publishes and unpublishes without touching the original', async () => {
		await create.call(ctx);
		const original = [...pliant.subscriptions];
		const copiedStaticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;

		staticData = copiedStaticData;
		const copy = context({ url: COPY_URL });
		expect(await checkExists.call(copy)).toBe(false);
		await create.call(copy);
		expect(pliant.subscriptions.filter((s) => s.callbackUrl === PROD_URL)).toEqual(original);
		expect(pliant.subscriptions.filter((s) => s.callbackUrl === COPY_URL)).toHaveLength(2);
		expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('left 2 stored subscription(s) alone'));
		expect((copiedStaticData.subscriptions as IDataObject).production).toMatchObject({ callbackUrl: COPY_URL });

		await remove.call(copy);
		expect(pliant.subscriptions).toEqual(original);
		expect(pliant.calls.filter((call) => call.method === 'DELETE').map((call) => call.path)).not.toEqual(
			expect.arrayContaining(original.map((s) => PATHS.subscription(s.id))),
		);
	});

	it('unpublishing a copy that was never published deletes nothing of the original', async () => {
		await create.call(ctx);
		const original = [...pliant.subscriptions];
		staticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		await remove.call(context({ url: COPY_URL }));
		expect(pliant.subscriptions).toEqual(original);
		expect(staticData).toEqual({});
	});

	it('still cleans up its own subscriptions of an older n8n base URL (the URL keeps the webhook id)', async () => {
		await create.call(context({ url: OLD_URL }));
		await create.call(ctx);
		expect(pliant.subscriptions.every((s) => s.callbackUrl === PROD_URL)).toBe(true);
	});

	it('never sends a DELETE for a stored id that is not a UUID', async () => {
		staticData.subscriptions = {
			production: { callbackUrl: OLD_URL, subscriptionIds: ['../../organizations/x'], eventTypes: [], credentialId: 'cred-1' },
		};
		await create.call(ctx);
		expect(pliant.calls.filter((call) => call.method === 'DELETE')).toEqual([]);
	});

	it('a 404 is not taken as done for an id this credential cannot see: it stays remembered for its credential', async () => {
		await create.call(contextAs(PROD_URL, 'cred-old'));
		const made = pliant.subscriptions.map((s) => s.id);
		// The new credential belongs to another Pliant account: it sees none of them.
		const hidden = pliant.subscriptions;
		pliant.subscriptions = [];
		await create.call(contextAs(PROD_URL, 'cred-new'));
		expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('n8n credential cred-old'));
		await remove.call(contextAs(PROD_URL, 'cred-new'));
		const slot = (staticData.subscriptions as IDataObject).production as IDataObject;
		expect(slot.otherCredentials).toEqual([{ credentialId: 'cred-old', subscriptionIds: made }]);

		// Back on the old credential (and its account), unpublishing deletes them.
		pliant.subscriptions = hidden;
		await remove.call(contextAs(PROD_URL, 'cred-old'));
		expect(pliant.subscriptions).toEqual([]);
		expect(staticData).toEqual({});
	});

	it('after a credential change within the same Pliant account, the old subscriptions are adopted, not doubled', async () => {
		await create.call(contextAs(PROD_URL, 'cred-old'));
		const ids = pliant.subscriptions.map((s) => s.id);
		const next = contextAs(PROD_URL, 'cred-new');
		expect(await checkExists.call(next)).toBe(false);
		await create.call(next);
		expect(pliant.subscriptions.map((s) => s.id)).toEqual(ids);
		await remove.call(next);
		expect(pliant.subscriptions).toEqual([]);
	});
});
