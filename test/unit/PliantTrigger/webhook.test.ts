import { mock, type MockProxy } from 'jest-mock-extended';
import type { IDataObject, IWebhookFunctions, Logger } from 'n8n-workflow';

import { PATHS } from '../../../nodes/shared/contract';
import { pliantApiRequest } from '../../../nodes/shared/http/transport';
import {
	JWKS_MIN_FETCH_INTERVAL_MS,
	JWKS_REFRESH_INTERVAL_MS,
	jwksCache,
} from '../../../nodes/PliantTrigger/jwks-cache';
import { forgetProcessMemory } from '../../support/process-memory';
import { PliantTrigger } from '../../../nodes/PliantTrigger/PliantTrigger.node';
import { nodeFor } from '../../support/fake-execute-context';
import { makeKey, signedHeaders, type TestKey } from './keys';

jest.mock('../../../nodes/shared/http/transport', () => ({
	...jest.requireActual('../../../nodes/shared/http/transport'),
	pliantApiRequest: jest.fn(),
}));

const request = pliantApiRequest as unknown as jest.Mock;
const trigger = new PliantTrigger();
const API = 'https://pliant.test/api';
/** The key cache's key for the test credential: API base and (no) client ID. */
const KEYS_OF = `${API}|`;
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const NOW_SECONDS = NOW / 1000;
const NODE = nodeFor(trigger);

let pliantKey: TestKey;
let published: TestKey[];
let logger: MockProxy<Logger>;
let staticData: IDataObject;
/** What the node's credential says now (a test edits it). */
let credentialBaseUrl: string;
let lastContext: MockProxy<IWebhookFunctions>;

interface Delivery {
	body?: unknown;
	raw?: string;
	headers?: Record<string, string>;
	events?: string[];
	options?: IDataObject;
	signWith?: TestKey[];
	timestamp?: number;
	callbackId?: string;
	mode?: 'webhook' | 'manual';
	rawBodyMissing?: boolean;
	/** What n8n's own parse (by Content-Type) made of the body. */
	parsedByN8n?: IDataObject;
	credentialId?: string;
	workflowId?: string;
	/** what n8n resolves an expression in "events" to */
	resolvedEvents?: string[];
	baseUrl?: string;
}

interface Outcome {
	result: Awaited<ReturnType<PliantTrigger['webhook']>>;
	status?: number;
	sent?: unknown;
}

let callbackSeq = 0;

async function deliver(delivery: Delivery = {}): Promise<Outcome> {
	const body = delivery.body ?? {
		eventType: 'ORGANIZATION_STATE_CHANGED',
		organizationId: 'org-1',
		statusChange: { beforeChange: 'ONBOARDING_STARTED', afterChange: 'ACTIVE' },
	};
	const raw = delivery.raw ?? JSON.stringify(body);
	const callbackId = delivery.callbackId ?? `cb-${++callbackSeq}`;
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'x-organization-id': 'org-1',
		'x-payment-program-id': 'pp-1',
		'x-callback-id': callbackId,
		'x-callback-created-at': '2026-01-15T11:59:58.123456Z',
		...signedHeaders(raw, delivery.signWith ?? [pliantKey], {
			webhookId: `msg_${callbackId}`,
			timestamp: delivery.timestamp ?? NOW_SECONDS,
		}),
		...delivery.headers,
	};

	const outcome: Partial<Outcome> = {};
	interface FakeResponse {
		status: jest.Mock;
		json: jest.Mock;
		send: jest.Mock;
		end: jest.Mock;
	}
	const response: FakeResponse = {
		status: jest.fn((code: number) => {
			outcome.status = code;
			return response;
		}),
		json: jest.fn((data: unknown) => {
			outcome.sent = data;
			return response;
		}),
		send: jest.fn(() => response),
		end: jest.fn(() => response),
	};
	const ctx = mock<IWebhookFunctions>();
	(ctx as { logger: Logger }).logger = logger;
	ctx.getNode.mockReturnValue({
		...NODE,
		parameters: { events: delivery.events ?? ['*'], ...(delivery.options ? { options: delivery.options as never } : {}) },
		credentials: { pliantApi: { id: delivery.credentialId ?? 'cred-1', name: 'Pliant' } },
	});
	ctx.getWorkflow.mockReturnValue({ id: delivery.workflowId ?? 'wf-1', name: 'Onboarding', active: true });
	ctx.getMode.mockReturnValue(delivery.mode ?? 'webhook');
	ctx.getWorkflowStaticData.mockReturnValue(staticData);
	ctx.getCredentials.mockImplementation(async () => ({ environment: 'custom', baseUrl: delivery.baseUrl ?? credentialBaseUrl }));
	ctx.getHeaderData.mockReturnValue(headers);
	ctx.getBodyData.mockReturnValue(delivery.parsedByN8n ?? ((typeof body === 'object' ? body : {}) as IDataObject));
	ctx.getRequestObject.mockReturnValue({
		headers,
		body,
		rawBody: delivery.rawBodyMissing ? undefined : Buffer.from(raw),
	} as never);
	ctx.getResponseObject.mockReturnValue(response as never);
	ctx.getNodeParameter.mockImplementation(((name: string, fallback?: unknown) => {
		if (name === 'events') return delivery.resolvedEvents ?? ['*'];
		return fallback;
	}) as IWebhookFunctions['getNodeParameter']);

	lastContext = ctx;
	outcome.result = await trigger.webhook.call(ctx);
	return outcome as Outcome;
}

function executed(outcome: Outcome): IDataObject[] {
	return (outcome.result.workflowData?.[0] ?? []).map((item) => item.json);
}

beforeEach(() => {
	jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'], now: NOW });
	pliantKey = makeKey('pliant-1');
	published = [pliantKey];
	logger = mock<Logger>();
	staticData = {};
	credentialBaseUrl = API;
	forgetProcessMemory();
	request.mockReset();
	request.mockImplementation(async (options: { method: string; path: string }) => {
		if (options.method === 'GET' && options.path === PATHS.jwks) return { keys: published.map((key) => key.jwk) };
		throw new Error(`unexpected call ${options.method} ${options.path}`);
	});
	jwksCache.store(KEYS_OF, { keys: [pliantKey.jwk] });
});

afterEach(() => jest.useRealTimers());

describe('webhook(): valid callbacks', () => {
	it('starts one execution with the callback item and answers 2xx fast, without calling Pliant', async () => {
		const outcome = await deliver({ callbackId: 'cb-one' });
		expect(outcome.status).toBeUndefined();
		expect(outcome.result.webhookResponse).toEqual({ received: true });
		expect(executed(outcome)).toEqual([
			{
				eventType: 'ORGANIZATION_STATE_CHANGED',
				organizationId: 'org-1',
				partnerOrganizationId: null,
				paymentProgramId: null,
				callbackId: 'msg_cb-one',
				webhookId: 'msg_cb-one',
				createdAt: new Date(NOW).toISOString(),
				statusChange: { beforeChange: 'ONBOARDING_STARTED', afterChange: 'ACTIVE' },
				previousStatus: 'ONBOARDING_STARTED',
				newStatus: 'ACTIVE',
				receivedAt: new Date(NOW).toISOString(),
			},
		]);
		expect(request).not.toHaveBeenCalled();
	});

	it('verifies the raw bytes, not the parsed JSON', async () => {
		const raw = '{ "eventType" : "AUTHORIZATION_GRANTED",\n "organizationId": "org-9" }';
		const outcome = await deliver({ raw, body: JSON.parse(raw) });
		expect(executed(outcome)).toHaveLength(1);
		expect(executed(outcome)[0]).toMatchObject({ eventType: 'AUTHORIZATION_GRANTED', organizationId: 'org-9' });
	});

	it('takes no field from the unsigned X-... headers', async () => {
		const outcome = await deliver({
			body: { eventType: 'AUTHORIZATION_GRANTED' },
			headers: { 'x-partner-organization-id': 'crm-4711', 'x-organization-id': 'org-other' },
		});
		expect(executed(outcome)[0]).toMatchObject({ organizationId: null, partnerOrganizationId: null, paymentProgramId: null });
	});

	it('adds headers only when asked, and never the Authorization header', async () => {
		const outcome = await deliver({
			options: { includeHeaders: true },
			headers: { authorization: 'Bearer top-secret' },
		});
		const item = executed(outcome)[0];
		expect(item.headers).toEqual({ 'content-type': 'application/json', 'x-callback-created-at': '2026-01-15T11:59:58.123456Z' });
		expect(JSON.stringify(item)).not.toContain('top-secret');
		expect(JSON.stringify(item)).not.toContain('v1a,');
		expect(executed(await deliver())[0]).not.toHaveProperty('headers');
	});

	it('accepts several signatures when one matches', async () => {
		const outcome = await deliver({ signWith: [makeKey('stranger'), pliantKey] });
		expect(executed(outcome)).toHaveLength(1);
	});

	it('treats absent options as the defaults (verify on, duplicates ignored)', async () => {
		const forged = await deliver({ options: {}, signWith: [makeKey('forger')] });
		expect(forged.status).toBe(401);
		await deliver({ options: {}, callbackId: 'same' });
		expect(executed(await deliver({ options: {}, callbackId: 'same' }))).toHaveLength(0);
	});

	it('falls back to the re-serialised body when n8n gave no raw body', async () => {
		const outcome = await deliver({ rawBodyMissing: true });
		expect(executed(outcome)).toHaveLength(1);
	});
});

describe('webhook(): rejected callbacks answer 401 and start no execution', () => {
	const cases: Array<[string, () => Delivery]> = [
		['wrong key', () => ({ signWith: [makeKey('forger')] })],
		['stale timestamp', () => ({ timestamp: NOW_SECONDS - 301 })],
		['future timestamp', () => ({ timestamp: NOW_SECONDS + 301 })],
		['missing signature header', () => ({ headers: { 'webhook-signature': '' } })],
		['missing webhook-id', () => ({ headers: { 'webhook-id': '' } })],
		['malformed signature header', () => ({ headers: { 'webhook-signature': 'v1a,not-a-signature' } })],
	];

	it.each(cases)('%s', async (_label, make) => {
		const outcome = await deliver(make());
		expect(outcome.status).toBe(401);
		expect(outcome.sent).toEqual({ received: false, error: 'Invalid signature' });
		expect(outcome.result).toEqual({ noWebhookResponse: true });
		expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('rejected a callback'));
	});

	it('tampered body', async () => {
		const body = { eventType: 'ORGANIZATION_ADDED', organizationId: 'org-1' };
		const signedRaw = JSON.stringify(body);
		const headers = signedHeaders(signedRaw, [pliantKey], { webhookId: 'msg_t', timestamp: NOW_SECONDS });
		const tampered = JSON.stringify({ ...body, organizationId: 'org-evil' });
		const outcome = await deliver({ raw: tampered, body: JSON.parse(tampered), headers });
		expect(outcome.status).toBe(401);
		expect(outcome.result).toEqual({ noWebhookResponse: true });
	});

	it('never logs the signature or body', async () => {
		await deliver({ signWith: [makeKey('forger')] });
		const logged = JSON.stringify(logger.warn.mock.calls);
		expect(logged).not.toContain('v1a,');
		expect(logged).not.toContain('org-1');
	});

	it('a stale, future or malformed request never causes a JWKS fetch', async () => {
		jest.setSystemTime(NOW + 10 * JWKS_MIN_FETCH_INTERVAL_MS);
		const now = Math.floor(Date.now() / 1000);
		await deliver({ timestamp: now - 400 });
		await deliver({ timestamp: now + 400 });
		await deliver({ timestamp: now, headers: { 'webhook-signature': 'garbage' } });
		expect(request).not.toHaveBeenCalled();
	});

	it('with verification off, accepts an unsigned callback', async () => {
		const outcome = await deliver({ options: { verifySignature: false }, headers: { 'webhook-signature': '' } });
		expect(executed(outcome)).toHaveLength(1);
	});
});

describe('webhook(): key rotation', () => {
	const nowSeconds = () => Math.floor(Date.now() / 1000);

	it('an unknown key: fetches the JWKS once, then verifies with the new key', async () => {
		jest.setSystemTime(NOW + JWKS_MIN_FETCH_INTERVAL_MS);
		const rotated = makeKey('pliant-2');
		published = [pliantKey, rotated];
		expect(executed(await deliver({ signWith: [rotated], timestamp: nowSeconds() }))).toHaveLength(1);
		expect(request).toHaveBeenCalledTimes(1);
		expect(request).toHaveBeenCalledWith({ method: 'GET', path: PATHS.jwks });
		// cached now: no more fetches
		await deliver({ signWith: [rotated], timestamp: nowSeconds() });
		expect(request).toHaveBeenCalledTimes(1);
	});

	it('forged callback, then rotation: a genuine callback retried every second is accepted within 10 s of the publication', async () => {
		jest.setSystemTime(NOW + JWKS_MIN_FETCH_INTERVAL_MS);
		const forger = makeKey('forger');
		expect((await deliver({ signWith: [forger], timestamp: nowSeconds() })).status).toBe(401);
		jest.setSystemTime(Date.now() + 100);
		const rotated = makeKey('pliant-2');
		published = [pliantKey, rotated];
		const publishedAt = Date.now();
		let acceptedAt: number | undefined;
		while (acceptedAt === undefined && Date.now() - publishedAt < 30_000) {
			// forged traffic keeps coming in between
			await deliver({ signWith: [forger], timestamp: nowSeconds() });
			if (executed(await deliver({ signWith: [rotated], timestamp: nowSeconds() })).length === 1) acceptedAt = Date.now();
			else jest.setSystemTime(Date.now() + 1000);
		}
		expect(acceptedAt).toBeDefined();
		expect(acceptedAt! - publishedAt).toBeLessThanOrEqual(JWKS_MIN_FETCH_INTERVAL_MS + 1000);
	});

	it('100 forged callbacks a minute: at most one fetch per interval, all refused', async () => {
		jest.setSystemTime(NOW + JWKS_MIN_FETCH_INTERVAL_MS);
		const forger = makeKey('forger');
		for (let index = 0; index < 100; index++) {
			expect((await deliver({ signWith: [forger], timestamp: nowSeconds() })).status).toBe(401);
			jest.setSystemTime(Date.now() + 600);
		}
		expect(request.mock.calls.length).toBeLessThanOrEqual(60_000 / JWKS_MIN_FETCH_INTERVAL_MS + 1);
		expect(request.mock.calls.length).toBeGreaterThanOrEqual(10);
	});

	it('a caller never waits for a fetch another caller started', async () => {
		jest.setSystemTime(NOW + JWKS_MIN_FETCH_INTERVAL_MS);
		const forger = makeKey('forger');
		let release: () => void = () => undefined;
		request.mockImplementationOnce(
			async () => await new Promise((resolve) => (release = () => resolve({ keys: published.map((key) => key.jwk) }))),
		);
		const first = deliver({ signWith: [forger], timestamp: nowSeconds() }); // its own fetch hangs
		const others = await Promise.all(
			Array.from({ length: 5 }, async () => await deliver({ signWith: [forger], timestamp: nowSeconds() })),
		);
		expect(others.map((outcome) => outcome.status)).toEqual([401, 401, 401, 401, 401]);
		expect(executed(await deliver())).toHaveLength(1); // genuine, known key: never waits either
		release();
		expect((await first).status).toBe(401);
		expect(request).toHaveBeenCalledTimes(1);
	});

	it('a rotated key right after activation: refused until the interval has passed, then fetched and accepted', async () => {
		const rotated = makeKey('pliant-2');
		published = [rotated];
		expect((await deliver({ signWith: [rotated] })).status).toBe(401);
		expect(request).not.toHaveBeenCalled(); // the keys were fetched just now
		jest.setSystemTime(NOW + JWKS_MIN_FETCH_INTERVAL_MS);
		expect(executed(await deliver({ signWith: [rotated], timestamp: nowSeconds() }))).toHaveLength(1);
		expect(request).toHaveBeenCalledTimes(1);
	});

	it('refreshes keys older than a minute on a valid callback, so a rotation is known before it is used', async () => {
		jest.setSystemTime(NOW + JWKS_REFRESH_INTERVAL_MS);
		const rotated = makeKey('pliant-2');
		published = [pliantKey, rotated];
		expect(executed(await deliver({ timestamp: nowSeconds() }))).toHaveLength(1);
		expect(request).toHaveBeenCalledTimes(1);
		jest.setSystemTime(Date.now() + 1000); // within the interval: no fetch would be allowed now
		expect(executed(await deliver({ signWith: [rotated], timestamp: nowSeconds() }))).toHaveLength(1);
		expect(request).toHaveBeenCalledTimes(1);
	});

	it('loads the keys from static data after a restart, without a fetch', async () => {
		forgetProcessMemory();
		staticData.signingKeys = { baseUrl: API, keys: [pliantKey.jwk] };
		expect(executed(await deliver())).toHaveLength(1);
		expect(request).not.toHaveBeenCalled();
	});

	it('fetches the keys on the first callback when nothing is cached', async () => {
		forgetProcessMemory();
		expect(executed(await deliver())).toHaveLength(1);
		expect(request).toHaveBeenCalledTimes(1);
	});

	it('answers 503 (Pliant retries) and logs when the keys cannot be loaded at all', async () => {
		forgetProcessMemory();
		request.mockRejectedValue(new Error('Pliant is unavailable right now'));
		const outcome = await deliver();
		expect(outcome.status).toBe(503);
		expect(outcome.result).toEqual({ noWebhookResponse: true });
		expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('could not refresh'));
	});
});

describe('webhook(): filtering, spellings, duplicates', () => {
	it('answers 2xx without an execution for an event type that was not selected', async () => {
		const outcome = await deliver({ events: ['ORGANIZATION_ADDED'] });
		expect(outcome.status).toBeUndefined();
		expect(outcome.result).toEqual({ webhookResponse: { received: true } });
	});

	it('runs for a selected event type', async () => {
		const outcome = await deliver({
			events: ['ORGANIZATION_ADDED'],
			body: { eventType: 'ORGANIZATION_ADDED', organizationId: 'o-1', partnerOrganizationId: 'crm-1', organizationName: 'Acme' },
		});
		expect(executed(outcome)[0]).toMatchObject({ eventType: 'ORGANIZATION_ADDED', partnerOrganizationId: 'crm-1', organizationName: 'Acme' });
	});

	it.each(['BANK_CONNECTION_STATUS_CHANGED', 'BANK_CONNECTION_STATUS_CHANGE'])(
		'accepts the bank-connection spelling %s and emits ..._CHANGED',
		async (spelling) => {
			const outcome = await deliver({
				events: ['BANK_CONNECTION_STATUS_CHANGED'],
				body: { eventType: spelling, organizationId: 'o-1', statusChange: { beforeChange: 'PENDING', afterChange: 'CONNECTED' } },
			});
			expect(executed(outcome)).toHaveLength(1);
			expect(executed(outcome)[0]).toMatchObject({ eventType: 'BANK_CONNECTION_STATUS_CHANGED', newStatus: 'CONNECTED' });
		},
	);

	it('answers 2xx without an execution for a body without an event type', async () => {
		const outcome = await deliver({ body: { hello: 'world' } });
		expect(outcome.result).toEqual({ webhookResponse: { received: true } });
	});

	it('drops a repeated callback ID with a 2xx and no execution', async () => {
		expect(executed(await deliver({ callbackId: 'cb-dup' }))).toHaveLength(1);
		const again = await deliver({ callbackId: 'cb-dup' });
		expect(again.status).toBeUndefined();
		expect(again.result).toEqual({ webhookResponse: { received: true } });
	});

	it('drops a replay that carries a fresh X-Callback-Id but the same signed webhook-id', async () => {
		expect(executed(await deliver({ callbackId: 'cb-orig' }))).toHaveLength(1);
		const replay = await deliver({ callbackId: 'cb-orig', headers: { 'x-callback-id': 'cb-fresh' } });
		expect(replay.result).toEqual({ webhookResponse: { received: true } });
	});

	it('keeps test and production memories apart', async () => {
		expect(executed(await deliver({ callbackId: 'cb-x', mode: 'manual' }))).toHaveLength(1);
		expect(executed(await deliver({ callbackId: 'cb-x', mode: 'webhook' }))).toHaveLength(1);
	});

	it('runs repeats when "Ignore Duplicates" is off', async () => {
		await deliver({ callbackId: 'cb-dup', options: { ignoreDuplicates: false } });
		expect(executed(await deliver({ callbackId: 'cb-dup', options: { ignoreDuplicates: false } }))).toHaveLength(1);
	});

	it('does not let a forged callback use up a real callback ID', async () => {
		await deliver({ callbackId: 'cb-real', signWith: [makeKey('forger')] });
		expect(executed(await deliver({ callbackId: 'cb-real' }))).toHaveLength(1);
	});

	it('lets exactly one of two concurrent repeats through', async () => {
		const outcomes = await Promise.all([deliver({ callbackId: 'cb-race' }), deliver({ callbackId: 'cb-race' })]);
		expect(outcomes.map((outcome) => executed(outcome).length).sort()).toEqual([0, 1]);
	});
});

describe('webhook(): only the verified bytes count (issue 21)', () => {
	const companyName = 'Acme&eventType=AUTHORIZATION_GRANTED&organizationId=org-victim';
	const signedBody = { eventType: 'ORGANIZATION_ADDED', organizationId: 'org-1', organizationName: companyName };

	it.each(['application/x-www-form-urlencoded', 'text/plain'])(
		'a signed callback sent as %s yields exactly the signed event for the signed organization',
		async (contentType) => {
			const outcome = await deliver({
				body: signedBody,
				headers: { 'content-type': contentType, 'x-organization-id': 'org-victim' },
				// what n8n's form parse makes of it: other fields than Pliant signed
				parsedByN8n: { '{"eventType":"ORGANIZATION_ADDED",...': '', eventType: 'AUTHORIZATION_GRANTED', organizationId: 'org-victim' },
			});
			expect(executed(outcome)).toHaveLength(1);
			expect(executed(outcome)[0]).toMatchObject({ eventType: 'ORGANIZATION_ADDED', organizationId: 'org-1', organizationName: companyName });
			expect(lastContext.getBodyData).not.toHaveBeenCalled();
		},
	);

	it.each([
		['an array', '[{"eventType":"ORGANIZATION_ADDED"}]'],
		['a string', '"ORGANIZATION_ADDED"'],
		['null', 'null'],
		['not JSON', 'eventType=ORGANIZATION_ADDED'],
	])('a signed body that is %s is acknowledged and starts nothing', async (_label, raw) => {
		const outcome = await deliver({ raw, parsedByN8n: { eventType: 'ORGANIZATION_ADDED' } });
		expect(outcome.status).toBeUndefined();
		expect(outcome.result).toEqual({ webhookResponse: { received: true } });
	});
});

describe('webhook(): bounded cost before any cryptography (issue 21)', () => {
	it('refuses a body declared larger than 256 KiB with 413, before any lookup or verification', async () => {
		const outcome = await deliver({ headers: { 'content-length': String(256 * 1024 + 1) } });
		expect(outcome.status).toBe(413);
		expect(outcome.result).toEqual({ noWebhookResponse: true });
		expect(lastContext.getCredentials).not.toHaveBeenCalled();
		expect(lastContext.getRequestObject).not.toHaveBeenCalled();
	});

	it('refuses a body larger than 256 KiB whose Content-Length lies, with 413', async () => {
		const raw = JSON.stringify({ eventType: 'ORGANIZATION_ADDED', organizationId: 'org-1', pad: 'x'.repeat(300_000) });
		const outcome = await deliver({ raw, headers: { 'content-length': '10' } });
		expect(outcome.status).toBe(413);
		expect(lastContext.getCredentials).not.toHaveBeenCalled();
	});

	it('accepts a signed body of exactly 256 KiB', async () => {
		const base = JSON.stringify({ eventType: 'ORGANIZATION_ADDED', organizationId: 'org-1', pad: '' });
		const raw = base.replace('"pad":""', `"pad":"${'x'.repeat(256 * 1024 - base.length)}"`);
		expect(Buffer.byteLength(raw)).toBe(256 * 1024);
		expect(executed(await deliver({ raw }))).toHaveLength(1);
	});

	it('verifies at most 5 signature entries: a genuine one in sixth place is not looked at', async () => {
		const strangers = Array.from({ length: 5 }, (_, index) => makeKey(`stranger-${index}`));
		expect((await deliver({ signWith: [...strangers, pliantKey] })).status).toBe(401);
		expect(executed(await deliver({ signWith: [...strangers.slice(1), pliantKey] }))).toHaveLength(1);
	});

	it('logs one rejection line a minute per node, then says how many it left out', async () => {
		const forger = makeKey('forger');
		for (let index = 0; index < 10; index++) await deliver({ signWith: [forger] });
		expect(logger.warn.mock.calls.filter(([line]) => String(line).includes('rejected a callback'))).toHaveLength(1);
		await deliver({ signWith: [forger], workflowId: 'wf-other' });
		expect(logger.warn.mock.calls.filter(([line]) => String(line).includes('rejected a callback'))).toHaveLength(2);
		jest.setSystemTime(NOW + 60_000);
		await deliver({ signWith: [forger], timestamp: NOW_SECONDS + 60 });
		const lines = logger.warn.mock.calls.map(([line]) => String(line)).filter((line) => line.includes('rejected a callback'));
		expect(lines).toHaveLength(3);
		expect(lines[2]).toContain('9 more rejected');
	});
});

describe('webhook(): the deduplication value is signed (issue 21)', () => {
	it('a replay with a fresh X-Callback-Id and other unsigned headers changed gives the same callbackId, also in a new process', async () => {
		const first = executed(await deliver({ callbackId: 'cb-signed' }))[0];
		const changed = { 'x-callback-id': 'cb-fresh', 'x-callback-created-at': '2030-01-01T00:00:00Z', 'x-organization-id': 'org-x' };
		expect(executed(await deliver({ callbackId: 'cb-signed', headers: changed }))).toHaveLength(0);
		forgetProcessMemory(); // another n8n process: no memory of the first
		jwksCache.store(KEYS_OF, { keys: [pliantKey.jwk] });
		const replay = executed(await deliver({ callbackId: 'cb-signed', headers: changed }))[0];
		expect(replay.callbackId).toBe(first.callbackId);
		expect(replay.createdAt).toBe(first.createdAt);
		expect(replay.organizationId).toBe(first.organizationId);
	});
});

describe('webhook(): per-callback work (issue 24)', () => {
	it('reads the parameters from the node, without getNodeParameter, and the node once', async () => {
		expect(executed(await deliver({ events: ['ORGANIZATION_STATE_CHANGED'], options: { includeHeaders: true } }))[0]).toHaveProperty('headers');
		expect(lastContext.getNodeParameter).not.toHaveBeenCalled();
		expect(lastContext.getNode).toHaveBeenCalledTimes(1);
	});

	it('lets n8n resolve a parameter that holds an expression', async () => {
		const outcome = await deliver({ events: '={{ ["ORGANIZATION_ADDED"] }}' as unknown as string[], resolvedEvents: ['ORGANIZATION_ADDED'] });
		expect(outcome.result).toEqual({ webhookResponse: { received: true } });
		expect(lastContext.getNodeParameter).toHaveBeenCalledWith('events', []);
	});
});

describe('webhook(): whose keys are trusted (issues 21 and 24)', () => {
	const nowSeconds = () => Math.floor(Date.now() / 1000);

	it('keys from the static data of one node are trusted for that node only', async () => {
		forgetProcessMemory();
		const planted = makeKey('planted');
		staticData.signingKeys = { baseUrl: API, keys: [planted.jwk] };
		expect(executed(await deliver({ signWith: [planted] }))).toHaveLength(1); // its own copy
		staticData = {};
		const other = await deliver({ signWith: [planted], workflowId: 'wf-other' });
		expect(other.status).toBe(401);
	});

	it('a refresh that drops a key: the callback signed by it is rejected, not accepted on the old keys', async () => {
		jest.setSystemTime(NOW + JWKS_REFRESH_INTERVAL_MS);
		published = [makeKey('pliant-2')];
		const outcome = await deliver({ timestamp: nowSeconds() });
		expect(request).toHaveBeenCalledTimes(1);
		expect(outcome.status).toBe(401);
	});

	it('no credential lookup per callback once the keys of the node are known', async () => {
		await deliver();
		await deliver();
		expect(lastContext.getCredentials).not.toHaveBeenCalled();
	});

	it('an edited credential (other environment, other keys) takes effect on its next failing callback; the old keys are refused', async () => {
		const API2 = 'https://other.pliant.test/api';
		const keyA = pliantKey;
		const keyB = makeKey('other-env');
		request.mockImplementation(async function (this: IWebhookFunctions, options: { method: string; path: string }) {
			const credentials = await this.getCredentials('pliantApi');
			if (options.path !== PATHS.jwks) throw new Error('unexpected call');
			return { keys: [credentials.baseUrl === API2 ? keyB.jwk : keyA.jwk] };
		});
		expect(executed(await deliver())).toHaveLength(1);
		credentialBaseUrl = API2; // the user edits the credential
		jest.setSystemTime(NOW + 2000);
		expect(executed(await deliver({ signWith: [keyB], timestamp: nowSeconds() }))).toHaveLength(1);
		expect((await deliver({ signWith: [keyA], timestamp: nowSeconds() })).status).toBe(401);
		jest.setSystemTime(NOW + 10_000);
		expect((await deliver({ signWith: [keyA], timestamp: nowSeconds() })).status).toBe(401);
		expect(executed(await deliver({ signWith: [keyB], timestamp: nowSeconds() }))).toHaveLength(1);
	});

	it('an edit a moment after publishing still takes effect on the first failing callback', async () => {
		const API2 = 'https://other.pliant.test/api';
		const keyB = makeKey('other-env');
		request.mockImplementation(async function (this: IWebhookFunctions, options: { method: string; path: string }) {
			const credentials = await this.getCredentials('pliantApi');
			if (options.path !== PATHS.jwks) throw new Error('unexpected call');
			return { keys: [credentials.baseUrl === API2 ? keyB.jwk : pliantKey.jwk] };
		});
		credentialBaseUrl = API2; // edited right after the publish read the credential
		jest.setSystemTime(NOW + 100);
		expect(executed(await deliver({ signWith: [keyB], timestamp: nowSeconds() }))).toHaveLength(1);
		expect((await deliver({ signWith: [pliantKey], timestamp: nowSeconds() })).status).toBe(401);
	});

	it('never uses the keys of one credential for another credential callbacks', async () => {
		const API2 = 'https://other.pliant.test/api';
		const keyB = makeKey('other-env');
		request.mockImplementation(async function (this: IWebhookFunctions) {
			const credentials = await this.getCredentials('pliantApi');
			return { keys: [credentials.baseUrl === API2 ? keyB.jwk : pliantKey.jwk] };
		});
		expect(executed(await deliver())).toHaveLength(1);
		const other = { credentialId: 'cred-2', workflowId: 'wf-2', baseUrl: API2 };
		expect((await deliver({ ...other })).status).toBe(401);
		expect(executed(await deliver({ ...other, signWith: [keyB] }))).toHaveLength(1);
		expect((await deliver({ signWith: [keyB] })).status).toBe(401);
	});
});

describe('webhook(): each callback once, whichever key repeats (issue 28)', () => {
	const CALLBACK_ID = '3f0c6a8e-2b1d-4c5e-9f7a-8b6c5d4e3f2a';

	it.each([2, 5])('%i concurrent deliveries of one X-Callback-Id under fresh webhook-ids: one execution, every one answered 2xx', async (copies) => {
		const outcomes = await Promise.all(
			Array.from({ length: copies }, async (_, index) =>
				await deliver({ callbackId: `retry-${copies}-${index}`, headers: { 'x-callback-id': CALLBACK_ID } }),
			),
		);
		expect(outcomes.map((outcome) => executed(outcome).length).reduce((a, b) => a + b)).toBe(1);
		expect(outcomes.every((outcome) => outcome.status === undefined && outcome.result.webhookResponse !== undefined)).toBe(true);
		const [item] = outcomes.flatMap(executed);
		expect(item).toMatchObject({ callbackId: CALLBACK_ID, webhookId: expect.stringMatching(/^msg_retry-/) });
	});

	it('the same signed message replayed under another X-Callback-Id: one execution', async () => {
		const first = await deliver({ callbackId: 'signed-once', headers: { 'x-callback-id': CALLBACK_ID } });
		const replay = await deliver({ callbackId: 'signed-once', headers: { 'x-callback-id': '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' } });
		expect([executed(first).length, executed(replay).length]).toEqual([1, 0]);
		expect(replay.result).toEqual({ webhookResponse: { received: true } });
	});

	it('a repeat records nothing: a replay under a new X-Callback-Id does not block that ID later', async () => {
		const other = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
		await deliver({ callbackId: 'signed-twice', headers: { 'x-callback-id': CALLBACK_ID } });
		await deliver({ callbackId: 'signed-twice', headers: { 'x-callback-id': other } });
		expect(executed(await deliver({ callbackId: 'genuine-other', headers: { 'x-callback-id': other } }))).toHaveLength(1);
	});

	it('an X-Callback-Id on a forged callback marks nothing as seen', async () => {
		await deliver({ callbackId: 'forged', signWith: [makeKey('forger')], headers: { 'x-callback-id': CALLBACK_ID } });
		expect(executed(await deliver({ callbackId: 'real', headers: { 'x-callback-id': CALLBACK_ID } }))).toHaveLength(1);
	});
});

describe('webhook(): partnerOrganizationId from trusted sources only (issue 28)', () => {
	const ORG = 'b1f8e35c-c500-4bbf-aa20-3dc14b83ff19';
	const FORGED = 'crm-FORGED-by-header';
	const state = { body: { eventType: 'ORGANIZATION_STATE_CHANGED', organizationId: ORG, statusChange: { beforeChange: 'ONBOARDING_STARTED', afterChange: 'ACTIVE' } } };
	let organizationAnswer: () => Promise<unknown>;

	const organizationLookups = () => request.mock.calls.filter(([options]) => options.path === PATHS.organization(ORG));

	beforeEach(() => {
		organizationAnswer = async () => ({ organizationId: ORG, partnersOrganizationId: 'crm-4711' });
		const jwks = request.getMockImplementation();
		request.mockImplementation(async (options: { method: string; path: string }) =>
			options.path === PATHS.organization(ORG) ? await organizationAnswer() : await jwks?.(options),
		);
	});

	it("a genuinely signed callback with a forged X-Partner-Organization-Id: the item has Pliant's ID; the forged value is nowhere", async () => {
		const outcome = await deliver({ ...state, options: { includeHeaders: true }, headers: { 'x-partner-organization-id': FORGED } });
		const [item] = executed(outcome);
		expect(item.partnerOrganizationId).toBe('crm-4711');
		expect(JSON.stringify(item)).not.toContain(FORGED);
		expect(organizationLookups()).toHaveLength(1);
		expect(logger.warn).not.toHaveBeenCalled();
	});

	it('a signed ORGANIZATION_ADDED teaches the ID: later events of the organization need no request', async () => {
		await deliver({ body: { eventType: 'ORGANIZATION_ADDED', organizationId: ORG, partnerOrganizationId: 'crm-signed' } });
		expect(executed(await deliver(state))[0].partnerOrganizationId).toBe('crm-signed');
		expect(organizationLookups()).toHaveLength(0);
	});

	it('asks once per organization, also when its callbacks arrive together', async () => {
		const outcomes = await Promise.all([1, 2, 3, 4].map(async () => await deliver(state)));
		expect(outcomes.flatMap(executed).map((item) => item.partnerOrganizationId)).toEqual(Array(4).fill('crm-4711'));
		expect(organizationLookups()).toHaveLength(1);
	});

	it('no lookup while Verify Signature is off, and none with Resolve Partner Organization ID off', async () => {
		expect(executed(await deliver({ ...state, options: { verifySignature: false } }))[0].partnerOrganizationId).toBeNull();
		expect(executed(await deliver({ ...state, options: { resolvePartnerOrganizationId: false } }))[0].partnerOrganizationId).toBeNull();
		expect(organizationLookups()).toHaveLength(0);
	});

	it('Pliant unreachable: the item carries null, a log line says why, the callback still runs', async () => {
		organizationAnswer = async () => await Promise.reject(new Error('Pliant is unavailable right now (ECONNREFUSED)'));
		const outcome = await deliver(state);
		expect(outcome.status).toBeUndefined();
		expect(executed(outcome)[0].partnerOrganizationId).toBeNull();
		expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`partnerOrganizationId is null for organization ${ORG}: .*ECONNREFUSED`)));
	});

	it('Pliant slow: the callback is answered after 2 s with null; the late answer serves the next callback', async () => {
		let answer: (value: unknown) => void = () => undefined;
		organizationAnswer = async () => await new Promise((resolve) => (answer = resolve));
		const pending = deliver(state);
		await jest.advanceTimersByTimeAsync(1_999);
		let settled = false;
		void pending.then(() => (settled = true));
		await Promise.resolve();
		expect(settled).toBe(false);
		await jest.advanceTimersByTimeAsync(1);
		const outcome = await pending;
		expect(executed(outcome)[0].partnerOrganizationId).toBeNull();
		expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('within 2 s'));
		answer({ organizationId: ORG, partnersOrganizationId: 'crm-4711' });
		await jest.advanceTimersByTimeAsync(0);
		expect(executed(await deliver(state))[0].partnerOrganizationId).toBe('crm-4711');
		expect(organizationLookups()).toHaveLength(1);
	});
});
