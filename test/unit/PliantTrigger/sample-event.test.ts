import { mock } from 'jest-mock-extended';
import type { IDataObject, IHookFunctions, IHttpRequestOptions, IWebhookFunctions, Logger } from 'n8n-workflow';

import { clock } from '../../../nodes/shared/clock';
import { PATHS } from '../../../nodes/shared/contract';
import { pliantApiRequest } from '../../../nodes/shared/http/transport';
import { PliantTrigger } from '../../../nodes/PliantTrigger/PliantTrigger.node';
import { DELIVERY_WAITS_MS, SAMPLE_HEADER, SAMPLE_TTL_MS, pendingSamples } from '../../../nodes/PliantTrigger/sample-delivery';
import { SAMPLE_ORGANIZATION_ID } from '../../../nodes/PliantTrigger/sample-bodies';
import { nodeFor } from '../../support/fake-execute-context';
import { fakeWaits, forgetProcessMemory } from '../../support/process-memory';

jest.mock('../../../nodes/shared/http/transport', () => ({
	...jest.requireActual('../../../nodes/shared/http/transport'),
	pliantApiRequest: jest.fn(),
}));

const request = pliantApiRequest as unknown as jest.Mock;
const trigger = new PliantTrigger();
const { checkExists, create, delete: remove } = trigger.webhookMethods.default;
const TEST_URL = 'https://n8n.example/webhook-test/7f0c/webhook';
const PROD_URL = 'https://n8n.example/webhook/7f0c/webhook';
const NODE = { ...nodeFor(trigger), webhookId: '7f0c' };

type Mode = 'manual' | 'trigger' | 'webhook' | 'internal';
let posts: IHttpRequestOptions[];
let postFails: number;
let subscriptions: Array<{ id: string; eventType: string; callbackUrl: string }>;

function params(events: string[], options: IDataObject) {
	return ((name: string, fallback?: unknown) =>
		name === 'events' ? events : name === 'options' ? options : fallback) as never;
}

function hook(mode: Mode, events = ['ORGANIZATION_ADDED', 'AUTHORIZATION_GRANTED'], options: IDataObject = { verifySignature: false }) {
	const ctx = mock<IHookFunctions>();
	ctx.getMode.mockReturnValue(mode);
	ctx.getNode.mockReturnValue(NODE);
	ctx.getWorkflow.mockReturnValue({ id: 'wf-1', active: mode !== 'manual' });
	ctx.getNodeWebhookUrl.mockReturnValue(mode === 'manual' ? TEST_URL : PROD_URL);
	ctx.getInstanceBaseUrl.mockReturnValue('http://localhost:5690/');
	ctx.getWorkflowStaticData.mockReturnValue({});
	ctx.getNodeParameter.mockImplementation(params(events, options));
	const httpRequest = jest.fn(async (options: IHttpRequestOptions) => {
		posts.push(options);
		if (postFails-- > 0) throw new Error('404 test webhook not registered yet');
		return { received: true };
	});
	(ctx as { helpers: unknown }).helpers = { httpRequest };
	(ctx as { logger: Logger }).logger = mock<Logger>();
	return ctx;
}

/** How n8n calls delete(): in its "internal" mode for both URLs (webhook.service's deleteWebhook). */
function removal(url: 'test' | 'production') {
	const ctx = hook('internal');
	ctx.getNodeWebhookUrl.mockReturnValue(url === 'test' ? TEST_URL : PROD_URL);
	return ctx;
}

function webhookCall(mode: Mode, headers: Record<string, string>, options: IDataObject = {}) {
	const ctx = mock<IWebhookFunctions>();
	const response: { status: jest.Mock; json: jest.Mock } = { status: jest.fn(), json: jest.fn() };
	response.status.mockReturnValue(response);
	response.json.mockReturnValue(response);
	ctx.getMode.mockReturnValue(mode);
	ctx.getNode.mockReturnValue(NODE);
	ctx.getWorkflow.mockReturnValue({ id: 'wf-1', active: mode !== 'manual' });
	ctx.getHeaderData.mockReturnValue(headers);
	ctx.getBodyData.mockReturnValue({ sample: true, eventType: 'ORGANIZATION_ADDED' });
	ctx.getRequestObject.mockReturnValue({ headers, rawBody: Buffer.from('{"sample":true,"eventType":"ORGANIZATION_ADDED"}') } as never);
	ctx.getResponseObject.mockReturnValue(response as never);
	ctx.getWorkflowStaticData.mockReturnValue({});
	ctx.getCredentials.mockResolvedValue({ environment: 'custom', baseUrl: 'https://pliant.test/api' });
	ctx.getNodeParameter.mockImplementation(params(['ORGANIZATION_ADDED'], options));
	(ctx as { logger: Logger }).logger = mock<Logger>();
	return { run: async () => await trigger.webhook.call(ctx), response };
}

/** Lets the fire-and-forget delivery run to its end (its waits are instant). */
async function settle(): Promise<void> {
	for (let i = 0; i < 50; i++) await Promise.resolve();
}

async function listenForTestEvent(events?: string[], options?: IDataObject): Promise<string | undefined> {
	await create.call(hook('manual', events, options));
	await settle();
	return posts.at(-1)?.headers?.[SAMPLE_HEADER] as string | undefined;
}

let waits: ReturnType<typeof fakeWaits>;
beforeEach(() => {
	forgetProcessMemory();
	pendingSamples.clear();
	posts = [];
	postFails = 0;
	subscriptions = [];
	waits = fakeWaits();
	request.mockReset();
	request.mockImplementation(async ({ method, path, body }: { method: string; path: string; body?: IDataObject }) => {
		if (method === 'GET' && path === PATHS.subscriptions) return { subscriptions };
		if (method === 'POST' && path === PATHS.subscriptionsBulkUpsert) {
			const wanted = (body as { subscriptions: Array<{ eventType: string; callbackUrl: string }> }).subscriptions;
			subscriptions.push(...wanted.map((s, i) => ({ id: `sub-${i}`, ...s })));
			return { subscriptions };
		}
		if (method === 'GET' && path === PATHS.jwks) throw new Error('no keys in this test');
		throw new Error(`unexpected ${method} ${path}`);
	});
});
afterEach(() => waits.restore());

describe('sample event on "Listen for test event"', () => {
	it('posts one sample to the test URL with a 256-bit nonce, and the test webhook emits it in the real item shape', async () => {
		const nonce = await listenForTestEvent();
		expect(posts).toHaveLength(1);
		expect(posts[0]).toMatchObject({ method: 'POST', url: TEST_URL });
		expect(nonce).toMatch(/^[0-9a-f]{64}$/);

		const { run } = webhookCall('manual', { [SAMPLE_HEADER]: nonce as string });
		const result = await run();
		const item = result.workflowData?.[0][0].json as IDataObject;
		expect(item).toMatchObject({
			sample: true,
			eventType: 'ORGANIZATION_ADDED',
			organizationId: SAMPLE_ORGANIZATION_ID,
			partnerOrganizationId: 'crm-sample-0001',
			organizationName: 'Sample Company GmbH',
			paymentProgramId: null,
		});
		expect(Object.keys(item)).toEqual(expect.arrayContaining(['callbackId', 'createdAt', 'receivedAt']));
		// a sample's own ID (the item builder takes callbackId from a UUID X-Callback-Id or the webhook-id)
		expect(item.callbackId).toMatch(/^sample-[0-9a-f]{16}$/);
		expect(result.webhookResponse).toEqual({ received: true });
	});

	it('shows the first event type the user picked, with its status change', async () => {
		const nonce = await listenForTestEvent(['DIRECT_DEBIT_STATUS_CHANGED', 'ORGANIZATION_ADDED']);
		const item = (await webhookCall('manual', { [SAMPLE_HEADER]: nonce as string }).run()).workflowData?.[0][0].json;
		expect(item).toMatchObject({ eventType: 'DIRECT_DEBIT_STATUS_CHANGED', previousStatus: 'PENDING', newStatus: 'ACTIVE', sample: true });
	});

	it('is single use: the same nonce again goes through the signature check and is refused', async () => {
		const nonce = await listenForTestEvent();
		await webhookCall('manual', { [SAMPLE_HEADER]: nonce as string }).run();
		const again = webhookCall('manual', { [SAMPLE_HEADER]: nonce as string });
		const result = await again.run();
		expect(result.workflowData).toBeUndefined();
		expect(again.response.status).toHaveBeenCalledWith(expect.any(Number));
	});

	it('refuses a wrong nonce and an expired one', async () => {
		const nonce = await listenForTestEvent();
		const wrong = `${nonce?.slice(0, 63)}${nonce?.endsWith('0') ? '1' : '0'}`;
		expect((await webhookCall('manual', { [SAMPLE_HEADER]: wrong }).run()).workflowData).toBeUndefined();
		const later = jest.spyOn(clock, 'now').mockReturnValue(Date.now() + SAMPLE_TTL_MS + 1);
		expect((await webhookCall('manual', { [SAMPLE_HEADER]: nonce as string }).run()).workflowData).toBeUndefined();
		later.mockRestore();
	});

	it('retries while n8n has not routed the test URL yet, then tries n8n\'s own local address', async () => {
		postFails = 1;
		await listenForTestEvent();
		expect(posts.map((post) => post.url)).toEqual([TEST_URL, 'http://localhost:5690/webhook-test/7f0c/webhook']);
		expect(waits.waits).toEqual([DELIVERY_WAITS_MS[0]]);
	});

	it('follows no redirect, and tries no host or port n8n was not configured with', async () => {
		postFails = Number.MAX_SAFE_INTEGER;
		await listenForTestEvent();
		expect(posts.every((post) => post.disableFollowRedirect === true)).toBe(true);
		expect(new Set(posts.map((post) => post.url))).toEqual(new Set([TEST_URL, 'http://localhost:5690/webhook-test/7f0c/webhook']));
		expect(waits.waits).toEqual(DELIVERY_WAITS_MS);
	});

	it('offers a sample when the test subscriptions already existed (checkExists)', async () => {
		const [a, b] = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];
		subscriptions.push(
			{ id: a, eventType: 'ORGANIZATION_ADDED', callbackUrl: TEST_URL },
			{ id: b, eventType: 'AUTHORIZATION_GRANTED', callbackUrl: TEST_URL },
		);
		const ctx = hook('manual');
		const own = { state: 'registered', callbackUrl: TEST_URL, eventTypes: ['AUTHORIZATION_GRANTED', 'ORGANIZATION_ADDED'], own: [a, b] };
		ctx.getWorkflowStaticData.mockReturnValue({ subscriptions: { test: own } });
		expect(await checkExists.call(ctx)).toBe(true);
		await settle();
		expect(posts).toHaveLength(1);
	});

	it('sends nothing when "Send Sample on Test" is off', async () => {
		await listenForTestEvent(undefined, { verifySignature: false, sampleOnTest: false });
		expect(posts).toEqual([]);
	});
});

describe('a production (published) trigger never emits a sample', () => {
	it('offers none when published', async () => {
		await create.call(hook('trigger'));
		await checkExists.call(hook('trigger'));
		await settle();
		expect(posts).toEqual([]);
		expect(pendingSamples.size).toBe(0);
	});

	it('refuses a valid test-session nonce at the production URL, with or without signature checks', async () => {
		const nonce = await listenForTestEvent();
		for (const options of [{}, { verifySignature: false }]) {
			const result = await webhookCall('webhook', { [SAMPLE_HEADER]: nonce as string }, options).run();
			const items = (result.workflowData?.[0] ?? []).map((item) => item.json);
			expect(items.every((item) => item.sample === undefined)).toBe(true);
		}
		// The test session still has its sample: production did not even consume it.
		expect(pendingSamples.size).toBe(1);
	});
});

describe('the delivery ends with its test session', () => {
	/** The package's next wait runs `during` first (as if it happened while waiting), then ends at once. */
	function duringNextWait(during: () => Promise<unknown>): { signals: Array<AbortSignal | undefined> } {
		const signals: Array<AbortSignal | undefined> = [];
		const instant = (clock.sleep as jest.Mock).getMockImplementation() as (ms: number) => Promise<void>;
		(clock.sleep as jest.Mock).mockImplementationOnce(async (ms: number, signal?: AbortSignal) => {
			signals.push(signal);
			await during();
			await instant(ms);
		});
		return { signals };
	}

	it('delete() before the first delivery attempt: no POST is ever sent, and the wait was cut short', async () => {
		const ctx = hook('manual');
		const first = duringNextWait(async () => await remove.call(removal('test')));
		await create.call(ctx);
		await settle();

		expect(posts).toEqual([]);
		expect(waits.waits).toEqual([DELIVERY_WAITS_MS[0]]);
		expect(first.signals[0]?.aborted).toBe(true);
		expect(pendingSamples.size).toBe(0);
		// Ended, not failed: no "could not deliver" warning either.
		expect(ctx.logger.warn).not.toHaveBeenCalledWith(expect.stringContaining('sample'));
	});

	it('delete() while a POST is in flight aborts that request and tries no other target', async () => {
		const ctx = hook('manual');
		let inFlight: AbortSignal | undefined;
		(ctx.helpers.httpRequest as jest.Mock).mockImplementationOnce(async (options: IHttpRequestOptions) => {
			posts.push(options);
			inFlight = options.abortSignal as AbortSignal;
			await remove.call(removal('test'));
			throw new Error('aborted');
		});
		await create.call(ctx);
		await settle();

		expect(posts.map((post) => post.url)).toEqual([TEST_URL]);
		expect(inFlight?.aborted).toBe(true);
		expect(waits.waits).toEqual([DELIVERY_WAITS_MS[0]]);
	});

	it('stops once the sample was taken, without aborting the request that took it', async () => {
		const ctx = hook('manual');
		let taken: AbortSignal | undefined;
		(ctx.helpers.httpRequest as jest.Mock).mockImplementationOnce(async (options: IHttpRequestOptions) => {
			posts.push(options);
			taken = options.abortSignal as AbortSignal;
			await webhookCall('manual', { [SAMPLE_HEADER]: String(options.headers?.[SAMPLE_HEADER]) }).run();
			throw new Error('answer lost on the way back');
		});
		await create.call(ctx);
		await settle();

		expect(posts).toHaveLength(1);
		expect(taken?.aborted).toBe(false);
		expect(pendingSamples.size).toBe(0);
		// n8n removes the test webhook after the run: nothing left to cancel, nothing thrown.
		expect(await remove.call(removal('test'))).toBe(true);
	});

	it('a production delete leaves the test session alone', async () => {
		duringNextWait(async () => await remove.call(removal('production')));
		await create.call(hook('manual'));
		await settle();
		expect(posts).toHaveLength(1);
	});

	it('listening again replaces the session: the old delivery stops, the new one delivers', async () => {
		const ctx = hook('manual');
		duringNextWait(async () => await create.call(hook('manual')));
		await create.call(ctx);
		await settle();

		expect(posts).toHaveLength(1);
		const nonce = posts[0].headers?.[SAMPLE_HEADER] as string;
		expect(pendingSamples.get('wf-1|7f0c')?.nonce.toString('hex')).toBe(nonce);
	});

	it('stops when its time is up', async () => {
		postFails = Number.MAX_SAFE_INTEGER;
		const ctx = hook('manual');
		duringNextWait(async () => {
			jest.spyOn(clock, 'now').mockReturnValue(Date.now() + SAMPLE_TTL_MS + 1);
		});
		await create.call(ctx);
		await settle();
		expect(posts).toEqual([]);
	});
});
