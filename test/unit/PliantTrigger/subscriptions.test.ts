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
const STAGING_URL = 'https://staging.n8n.example/webhook/7f0c/webhook';

/** A tiny in-memory Pliant behind the mocked pliantApiRequest. */
class FakePliant {
	subscriptions: Subscription[] = [];
	calls: Array<{ method: string; path: string; body?: IDataObject }> = [];
	private seq = 0;
	failDelete = new Set<string>();
	limitReached = false;
	/** The next bulk upsert creates its subscriptions, then fails with this status (a crash, a 429). */
	failAfterUpsert?: number;

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
			if (this.failAfterUpsert) {
				for (const item of wanted) this.add(item.eventType, item.callbackUrl);
				const status = this.failAfterUpsert;
				this.failAfterUpsert = undefined;
				throw httpError(status, { message: 'try again later' });
			}
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

function context(options: { url?: string; mode?: 'webhook' | 'manual' | 'trigger' | 'internal'; events?: string[]; params?: IDataObject; credentialId?: string } = {}) {
	const hook = mock<IHookFunctions>();
	hook.getNodeWebhookUrl.mockReturnValue(options.url ?? PROD_URL);
	hook.getMode.mockReturnValue(options.mode ?? 'trigger');
	hook.getWorkflowStaticData.mockReturnValue(staticData);
	hook.getNode.mockReturnValue(options.credentialId ? { ...NODE, credentials: { pliantApi: { id: options.credentialId, name: options.credentialId } } } : NODE);
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


const record = (mode: 'production' | 'test' = 'production') => (staticData.subscriptions as IDataObject | undefined)?.[mode] as IDataObject | undefined;
const idsAt = (url: string) => pliant.subscriptions.filter((s) => s.callbackUrl === url).map((s) => s.id);
const deleted = () => pliant.calls.filter((call) => call.method === 'DELETE').map((call) => call.path.split('/').pop());

describe('checkExists', () => {
	it('is true after its own create, and writes nothing', async () => {
		await create.call(ctx);
		pliant.calls = [];
		expect(await checkExists.call(ctx)).toBe(true);
		expect(pliant.writes()).toEqual([]);
	});

	it('does not take subscriptions at this URL that it did not record as its own', async () => {
		pliant.add('ORGANIZATION_ADDED', PROD_URL);
		pliant.add('AUTHORIZATION_GRANTED', PROD_URL);
		expect(await checkExists.call(ctx)).toBe(false);
		expect(pliant.writes()).toEqual([]);
		expect(staticData).toEqual({});
	});

	it('warms the JWKS cache with the bearer-token request when its subscriptions exist', async () => {
		await create.call(ctx);
		forgetProcessMemory();
		request.mockClear();
		expect(await checkExists.call(ctx)).toBe(true);
		expect(request).toHaveBeenCalledWith({ method: 'GET', path: PATHS.jwks });
		expect(jwksCache.keys(`${API}|`)).toHaveLength(1);
		expect(staticData.signingKeys).toEqual({ baseUrl: API, client: expect.any(String), keys: [KEY.jwk] });
	});

	it('returns false when one of its subscriptions is gone, and deletes nothing', async () => {
		await create.call(ctx);
		pliant.subscriptions.pop();
		expect(await checkExists.call(ctx)).toBe(false);
		expect(pliant.writes()).toHaveLength(1); // create's upsert only
	});

	it('returns false when an event type is no longer selected', async () => {
		await create.call(ctx);
		expect(await checkExists.call(context({ events: ['ORGANIZATION_ADDED'] }))).toBe(false);
	});

	it('returns false when the record is of another URL or another credential', async () => {
		await create.call(context({ url: OLD_URL }));
		expect(await checkExists.call(ctx)).toBe(false);
		expect(await checkExists.call(context({ url: OLD_URL, credentialId: 'cred-2' }))).toBe(false);
		expect(await checkExists.call(context({ url: OLD_URL }))).toBe(true);
	});

	it('refuses, in checkExists and create, when no event type is selected', async () => {
		await expect(checkExists.call(context({ events: [] }))).rejects.toThrow('Select at least one event');
		await expect(create.call(context({ events: [] }))).rejects.toThrow('Select at least one event');
		expect(pliant.writes()).toEqual([]);
	});

	it('treats "All Onboarding Events" as all nine event types', async () => {
		ctx = context({ events: ['*'] });
		await create.call(ctx);
		expect(pliant.subscriptions).toHaveLength(9);
		expect(await checkExists.call(ctx)).toBe(true);
	});

	it('does not fail when the keys cannot be loaded yet (webhook() fetches them itself)', async () => {
		await create.call(ctx);
		request.mockImplementation(async (options: { path: string }) => {
			if (options.path === PATHS.jwks) throw httpError(503, {});
			return await pliant.handle(options as never);
		});
		expect(await checkExists.call(ctx)).toBe(true);
		expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('signing keys'));
	});
});

describe('create', () => {
	it('bulk-upserts the selected event types for this URL and records every ID it created', async () => {
		expect(await create.call(ctx)).toBe(true);
		const upsert = pliant.calls.find((call) => call.path === PATHS.subscriptionsBulkUpsert);
		expect(upsert?.body).toEqual({
			subscriptions: [
				{ eventType: 'AUTHORIZATION_GRANTED', callbackUrl: PROD_URL },
				{ eventType: 'ORGANIZATION_ADDED', callbackUrl: PROD_URL },
			],
		});
		expect(record()).toEqual({
			state: 'registered',
			callbackUrl: PROD_URL,
			credentialId: 'cred-1',
			eventTypes: ['AUTHORIZATION_GRANTED', 'ORGANIZATION_ADDED'],
			own: idsAt(PROD_URL),
		});
	});

	it('records the URL as registering, with what it held, before the upsert', async () => {
		const other = pliant.add('ORGANIZATION_ADDED', PROD_URL);
		let atUpsert: IDataObject | undefined;
		request.mockImplementation(async (options: { method: string; path: string; body?: IDataObject }) => {
			if (options.path === PATHS.subscriptionsBulkUpsert) atUpsert = JSON.parse(JSON.stringify(record())) as IDataObject;
			return await pliant.handle(options);
		});
		await create.call(ctx);
		expect(atUpsert).toMatchObject({ state: 'registering', callbackUrl: PROD_URL, own: [], listedBefore: [other.id] });
	});

	it('fetches the signing keys before registering anything', async () => {
		await create.call(ctx);
		expect(request.mock.calls[0][0]).toEqual({ method: 'GET', path: PATHS.jwks });
	});

	it('registers only the missing event types; what the URL already held is not its own', async () => {
		const existing = pliant.add('ORGANIZATION_ADDED', PROD_URL);
		await create.call(ctx);
		const upsert = pliant.calls.find((call) => call.path === PATHS.subscriptionsBulkUpsert);
		expect(upsert?.body).toEqual({ subscriptions: [{ eventType: 'AUTHORIZATION_GRANTED', callbackUrl: PROD_URL }] });
		expect(record()?.own).toEqual(idsAt(PROD_URL).filter((id) => id !== existing.id));
		await remove.call(ctx);
		expect(pliant.subscriptions).toEqual([existing]);
	});

	it('fails clearly when Pliant does not confirm a subscription', async () => {
		request.mockImplementation(async (options: { method: string; path: string; body?: IDataObject }) => {
			if (options.path === PATHS.subscriptionsBulkUpsert) return { subscriptions: [] };
			return await pliant.handle(options);
		});
		await expect(create.call(ctx)).rejects.toThrow('Pliant did not confirm the subscription for AUTHORIZATION_GRANTED, ORGANIZATION_ADDED');
	});

	it('subscribes all nine event types for "All Onboarding Events"', async () => {
		await create.call(context({ events: ['*'] }));
		expect(pliant.subscriptions.map((s) => s.eventType)).toEqual([...EVENT_TYPES]);
	});

	it('removes its own subscriptions of event types no longer selected, and no one else\'s', async () => {
		await create.call(context({ events: ['ORGANIZATION_ADDED', 'AUTHORIZATION_GRANTED', 'DIRECT_DEBIT_STATUS_CHANGED'] }));
		const foreign = pliant.add('DIRECT_DEBIT_STATUS_CHANGED', OTHER_URL);
		await create.call(ctx);
		expect(pliant.subscriptions.map((s) => s.eventType).sort()).toEqual(['AUTHORIZATION_GRANTED', 'DIRECT_DEBIT_STATUS_CHANGED', 'ORGANIZATION_ADDED']);
		expect(pliant.subscriptions).toContainEqual(foreign);
		expect(record()?.own).toEqual(idsAt(PROD_URL));
	});

	it('keeps an own ID it could not delete and retries it on the next delete', async () => {
		await create.call(context({ events: ['ORGANIZATION_ADDED', 'AUTHORIZATION_GRANTED', 'DIRECT_DEBIT_STATUS_CHANGED'] }));
		const stale = pliant.subscriptions.find((s) => s.eventType === 'DIRECT_DEBIT_STATUS_CHANGED') as Subscription;
		pliant.failDelete.add(stale.id);
		await create.call(ctx);
		expect(logger.error).toHaveBeenCalledWith(expect.stringContaining(stale.id));
		expect(record()?.own).toContain(stale.id);
		expect(await checkExists.call(ctx)).toBe(false);

		pliant.failDelete.clear();
		await remove.call(ctx);
		expect(pliant.subscriptions).toEqual([]);
		expect(staticData).toEqual({});
	});

	it('explains the 42-per-event-type limit, naming the event type, and stays "registering" with nothing of its own', async () => {
		for (let index = 0; index < 42; index++) pliant.add('ORGANIZATION_ADDED', `https://n8n.example/webhook/other-${index}/webhook`);
		pliant.limitReached = true;
		const error = (await create.call(ctx).catch((caught: unknown) => caught)) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Pliant allows at most 42 subscriptions per event type, and Organization Added (ORGANIZATION_ADDED) has reached it');
		expect(error.description).toMatch(/unpublish workflows/i);
		expect(error.context.pliant).toMatchObject({ status: 409, body: { code: 'SUBSCRIPTION_LIMIT_REACHED' } });
		expect(record()).toMatchObject({ state: 'registering', own: [] });
		await remove.call(ctx);
		expect(pliant.subscriptions).toHaveLength(42);
		expect(staticData).toEqual({});
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
		await create.call(context({ params: { verifySignature: false } }));
		expect(request).not.toHaveBeenCalledWith({ method: 'GET', path: PATHS.jwks });
	});

	it('never doubles subscriptions when create runs twice', async () => {
		await create.call(ctx);
		await create.call(ctx);
		expect(pliant.subscriptions).toHaveLength(2);
		expect(record()?.own).toHaveLength(2);
	});
});

describe('a crash or a refusal in the middle leaks nothing', () => {
	it.each([
		['a 503 after Pliant created them (a crash)', 503],
		['a 429 after Pliant created them', 429],
	])('%s: they are deleted at once, and the record still knows', async (_name, status) => {
		pliant.failAfterUpsert = status;
		await expect(create.call(ctx)).rejects.toThrow();
		expect(record()).toMatchObject({ state: 'registering', listedBefore: [] });
		expect(pliant.subscriptions).toEqual([]); // deleted at once: n8n may not keep a failed publish's static data
		await remove.call(ctx);
		expect(pliant.subscriptions).toEqual([]);
		expect(staticData).toEqual({});
	});

	it('when the clean-up cannot run either, the next delete removes them', async () => {
		pliant.failAfterUpsert = 503;
		request.mockImplementation(async (options: { method: string; path: string; body?: IDataObject }) => {
			if (options.method === 'GET' && options.path === PATHS.subscriptions && pliant.writes().length > 0) throw httpError(503, {});
			return await pliant.handle(options);
		});
		await expect(create.call(ctx)).rejects.toThrow();
		expect(pliant.subscriptions).toHaveLength(2);
		request.mockImplementation(pliant.handle);
		await remove.call(ctx);
		expect(pliant.subscriptions).toEqual([]);
		expect(staticData).toEqual({});
	});

	it('a 429 while subscribing: the next publish completes without doubling, and owns them', async () => {
		const before = pliant.add('ORGANIZATION_ADDED', PROD_URL); // someone else's at the same URL
		pliant.failAfterUpsert = 429;
		await expect(create.call(ctx)).rejects.toThrow();
		expect(pliant.subscriptions).toEqual([before]);
		await create.call(ctx);
		expect(pliant.subscriptions).toHaveLength(2);
		expect(record()).toMatchObject({ state: 'registered', own: idsAt(PROD_URL).filter((id) => id !== before.id) });
		expect(record()).not.toHaveProperty('listedBefore');
	});
});

describe('delete', () => {
	it('deletes every own ID, clears the static data and returns true', async () => {
		await create.call(ctx);
		const ids = pliant.subscriptions.map((s) => s.id);
		pliant.calls = [];
		expect(await remove.call(ctx)).toBe(true);
		expect(deleted().sort()).toEqual([...ids].sort());
		expect(pliant.subscriptions).toEqual([]);
		expect(staticData).toEqual({});
	});

	it('counts 404 and "no longer listed" as done', async () => {
		await create.call(ctx);
		pliant.subscriptions = [];
		expect(await remove.call(ctx)).toBe(true);
		expect(logger.error).not.toHaveBeenCalled();
		expect(staticData).toEqual({});
	});

	it('logs a failure, keeps the ID as "unregistering" for the next attempt', async () => {
		await create.call(ctx);
		const [first] = pliant.subscriptions;
		pliant.failDelete.add(first.id);
		expect(await remove.call(ctx)).toBe(true);
		expect(logger.error).toHaveBeenCalledWith(expect.stringContaining(first.id));
		expect(record()).toMatchObject({ state: 'unregistering', own: [first.id] });
		pliant.failDelete.clear();
		await remove.call(ctx);
		expect(pliant.subscriptions).toEqual([]);
		expect(staticData).toEqual({});
	});

	it('without a record (static data lost, or a copy with the same webhook ID) deletes nothing', async () => {
		await create.call(ctx);
		const original = [...pliant.subscriptions];
		for (const key of Object.keys(staticData)) delete staticData[key];
		await remove.call(ctx);
		expect(pliant.subscriptions).toEqual(original);
	});

	it('deletes nothing when Pliant cannot be asked, and keeps the IDs', async () => {
		await create.call(ctx);
		const ids = pliant.subscriptions.map((s) => s.id);
		request.mockImplementation(async (options: { method: string; path: string }) => {
			if (options.method === 'GET') throw httpError(503, {});
			return await pliant.handle(options as never);
		});
		await remove.call(ctx);
		expect(deleted()).toEqual([]);
		expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('none was deleted'));
		expect(record()).toMatchObject({ state: 'unregistering', own: ids });

		request.mockImplementation(pliant.handle);
		await remove.call(ctx);
		expect(pliant.subscriptions).toEqual([]);
		expect(staticData).toEqual({});
	});
});

describe('test and production URLs', () => {
	it('keeps separate subscriptions and records for each', async () => {
		const production = context({ url: PROD_URL, mode: 'trigger' });
		const test = context({ url: TEST_URL, mode: 'manual' });
		await create.call(production);
		expect(await checkExists.call(test)).toBe(false);
		await create.call(test);
		expect(idsAt(PROD_URL)).toHaveLength(2);
		expect(idsAt(TEST_URL)).toHaveLength(2);
		expect(Object.keys(staticData.subscriptions as IDataObject).sort()).toEqual(['production', 'test']);

		await remove.call(test);
		expect(pliant.subscriptions.map((s) => s.callbackUrl)).toEqual([PROD_URL, PROD_URL]);
		expect(await checkExists.call(production)).toBe(true);
		await remove.call(production);
		expect(pliant.subscriptions).toEqual([]);
		expect(staticData).toEqual({});
	});

	it('n8n removes the test URL in "internal" mode (both lines): only the test subscriptions go', async () => {
		const production = context({ url: PROD_URL, mode: 'trigger' });
		await create.call(production);
		await create.call(context({ url: TEST_URL, mode: 'manual' }));
		await remove.call(context({ url: TEST_URL, mode: 'internal' }));
		expect(pliant.subscriptions.map((s) => s.callbackUrl)).toEqual([PROD_URL, PROD_URL]);
		expect(Object.keys(staticData.subscriptions as IDataObject)).toEqual(['production']);
		expect(await checkExists.call(production)).toBe(true);
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
});

describe('only its own subscriptions, on this n8n', () => {
	it('a copy with the same static data (new webhook ID) publishes and unpublishes without touching the original', async () => {
		await create.call(ctx);
		const original = [...pliant.subscriptions];
		staticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		const copy = context({ url: COPY_URL });
		expect(await checkExists.call(copy)).toBe(false);
		await create.call(copy);
		expect(pliant.subscriptions.filter((s) => s.callbackUrl === PROD_URL)).toEqual(original);
		expect(idsAt(COPY_URL)).toHaveLength(2);
		expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('left 2 stored subscription(s) alone'));
		await remove.call(copy);
		expect(pliant.subscriptions).toEqual(original);
		expect(deleted()).not.toEqual(expect.arrayContaining([original[0].id]));
	});

	it('a copy with the original\'s webhook ID and no static data neither takes nor deletes the original\'s', async () => {
		const originalData = staticData;
		await create.call(context({ events: ['*'] }));
		const original = [...pliant.subscriptions];
		staticData = {};
		const copy = context({ events: ['*'] });
		if (!(await checkExists.call(copy))) await create.call(copy);
		expect(pliant.subscriptions).toEqual(original);
		await remove.call(copy);
		expect(pliant.subscriptions).toEqual(original);
		expect(deleted()).toEqual([]);
		staticData = originalData;
		expect(await checkExists.call(context({ events: ['*'] }))).toBe(true);
	});

	it('another origin with the same webhook ID and static data (a staging copy) leaves the first\'s alone, and says so once', async () => {
		await create.call(ctx);
		const first = [...pliant.subscriptions];
		staticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		const staging = context({ url: STAGING_URL });
		expect(await checkExists.call(staging)).toBe(false);
		await create.call(staging);
		expect(idsAt(STAGING_URL)).toHaveLength(2);
		expect(pliant.subscriptions.filter((s) => s.callbackUrl === PROD_URL)).toEqual(first);
		const said = logger.warn.mock.calls.filter(([line]) => String(line).includes('registered at another URL'));
		expect(said).toHaveLength(1);
		expect(said[0][0]).toContain(first[0].id);
		expect(said[0][0]).toContain('Remove Subscriptions at Earlier URLs');

		expect(await checkExists.call(staging)).toBe(true);
		await create.call(staging);
		await remove.call(staging);
		expect(logger.warn.mock.calls.filter(([line]) => String(line).includes('registered at another URL'))).toHaveLength(1);
		expect(pliant.subscriptions).toEqual(first);
		expect(deleted()).not.toEqual(expect.arrayContaining([first[0].id]));
		expect(deleted()).not.toEqual(expect.arrayContaining([first[1].id]));
	});

	it('a moved instance removes its subscriptions at earlier URLs only when asked', async () => {
		await create.call(context({ url: OLD_URL }));
		const stale = idsAt(OLD_URL);
		const foreign = pliant.add('ORGANIZATION_ADDED', OTHER_URL);
		await create.call(ctx);
		expect(idsAt(OLD_URL)).toEqual(stale);
		expect(record()).toMatchObject({ callbackUrl: PROD_URL, earlier: stale });

		const moved = context({ params: { removeEarlierUrls: true } });
		expect(await checkExists.call(moved)).toBe(false);
		await create.call(moved);
		expect(idsAt(OLD_URL)).toEqual([]);
		expect(pliant.subscriptions).toContainEqual(foreign);
		expect(record()).not.toHaveProperty('earlier');
		expect(await checkExists.call(moved)).toBe(true);
	});

	it('never sends a DELETE for a recorded ID that is not a UUID', async () => {
		staticData.subscriptions = {
			production: { state: 'registered', callbackUrl: PROD_URL, own: ['../../organizations/x'], eventTypes: [], credentialId: 'cred-1' },
		};
		await create.call(ctx);
		await remove.call(ctx);
		expect(pliant.calls.some((call) => call.path.includes('organizations'))).toBe(false);
	});

	it('a credential change to another account neither leaks nor forgets: hidden IDs stay recorded for their credential', async () => {
		await create.call(context({ credentialId: 'cred-old' }));
		const made = pliant.subscriptions.map((s) => s.id);
		const hidden = pliant.subscriptions;
		pliant.subscriptions = []; // the new credential's account sees none of them
		await create.call(context({ credentialId: 'cred-new' }));
		expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('n8n credential cred-old'));
		await remove.call(context({ credentialId: 'cred-new' }));
		expect(record()).toMatchObject({ state: 'unregistered', otherCredentials: [{ credentialId: 'cred-old', ids: made }] });

		pliant.subscriptions = hidden; // back on the old credential and its account
		await remove.call(context({ credentialId: 'cred-old' }));
		expect(pliant.subscriptions).toEqual([]);
		expect(staticData).toEqual({});
	});

	it('a credential change within the same account keeps the subscriptions as its own, not doubled', async () => {
		await create.call(context({ credentialId: 'cred-old' }));
		const ids = pliant.subscriptions.map((s) => s.id);
		const next = context({ credentialId: 'cred-new' });
		expect(await checkExists.call(next)).toBe(false);
		await create.call(next);
		expect(pliant.subscriptions.map((s) => s.id)).toEqual(ids);
		expect(record()).toMatchObject({ credentialId: 'cred-new', own: ids });
		await remove.call(next);
		expect(pliant.subscriptions).toEqual([]);
	});
});

describe('every transition of the lifecycle', () => {
	type State = 'unregistered' | 'registering' | 'registered' | 'unregistering';
	type Fault = 'none' | 'crash after upsert' | '429 after upsert' | 'limit' | 'DELETE fails' | 'listing fails';
	const stateOf = () => (record()?.state as State | undefined) ?? 'unregistered';

	async function reach(state: State): Promise<void> {
		if (state === 'registering') {
			pliant.failAfterUpsert = 503;
			await create.call(ctx).catch(() => undefined);
		}
		if (state === 'registered' || state === 'unregistering') await create.call(ctx);
		if (state === 'unregistering') {
			pliant.failDelete.add(pliant.subscriptions[pliant.subscriptions.length - 1].id);
			await remove.call(ctx);
			pliant.failDelete.clear();
		}
		expect(stateOf()).toBe(state);
	}

	function inject(fault: Fault): void {
		if (fault === 'crash after upsert') pliant.failAfterUpsert = 503;
		if (fault === '429 after upsert') pliant.failAfterUpsert = 429;
		if (fault === 'limit') pliant.limitReached = true;
		if (fault === 'DELETE fails') for (const s of pliant.subscriptions) pliant.failDelete.add(s.id);
		if (fault === 'listing fails') {
			request.mockImplementation(async (options: { method: string; path: string }) => {
				if (options.path === PATHS.subscriptions) throw httpError(503, {});
				return await pliant.handle(options as never);
			});
		}
	}

	const table: Array<[State, 'create' | 'delete', Fault, State]> = [
		['unregistered', 'create', 'none', 'registered'],
		['unregistered', 'create', 'crash after upsert', 'registering'],
		['unregistered', 'create', '429 after upsert', 'registering'],
		['unregistered', 'create', 'limit', 'registering'],
		['unregistered', 'delete', 'none', 'unregistered'],
		['registering', 'create', 'none', 'registered'],
		['registering', 'create', 'listing fails', 'registering'],
		['registered', 'create', 'listing fails', 'registered'],
		['registering', 'delete', 'none', 'unregistered'],
		['registering', 'delete', 'listing fails', 'unregistering'],
		['registered', 'create', 'none', 'registered'],
		['registered', 'delete', 'none', 'unregistered'],
		['registered', 'delete', 'DELETE fails', 'unregistering'],
		['registered', 'delete', 'listing fails', 'unregistering'],
		['unregistering', 'create', 'none', 'registered'],
		['unregistering', 'delete', 'none', 'unregistered'],
		['unregistering', 'delete', 'DELETE fails', 'unregistering'],
	];

	it.each(table)('%s --%s (%s)--> %s, and a healthy unpublish after it leaves nothing behind', async (from, action, fault, to) => {
		ctx = context({ events: ['*'] });
		const others = pliant.add('ORGANIZATION_ADDED', PROD_URL); // not this node's: must survive everything
		await reach(from);
		inject(fault);
		await (action === 'create' ? create : remove).call(ctx).catch(() => undefined);
		expect(stateOf()).toBe(to);

		request.mockImplementation(pliant.handle);
		pliant.failDelete.clear();
		pliant.limitReached = false;
		await remove.call(ctx);
		expect(pliant.subscriptions).toEqual([others]);
		expect(staticData).toEqual({});
	});
});
