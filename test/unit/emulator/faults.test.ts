import { expandFault, routeMatches } from '../../../emulator/faults';
import { Harness, httpCall, validLead, CREDENTIALS } from './helpers';

describe('emulator: fault rules', () => {
	it('expands a rule into one action per request: resets first, then statuses', () => {
		expect(
			expandFault({ route: 'POST /api/leads', statuses: [503, 429], resetConnection: 1 }).map(
				(a) => (a.kind === 'status' ? a.status : a.kind),
			),
		).toEqual(['reset', 503, 429]);
		expect(expandFault({ route: 'GET /api/organizations', delayMs: 5, times: 2 })).toHaveLength(2);
	});

	it('matches routes with :params and *', () => {
		expect(routeMatches('GET /api/organizations/:id', 'GET', '/api/organizations/abc')).toBe(true);
		expect(routeMatches('GET /api/organizations/:id', 'GET', '/api/organizations')).toBe(false);
		expect(routeMatches('* /api/subscriptions/*', 'DELETE', '/api/subscriptions/x')).toBe(true);
		expect(routeMatches('POST /api/leads', 'GET', '/api/leads')).toBe(false);
	});
});

describe('emulator: fault injection', () => {
	let harness: Harness;

	beforeEach(async () => {
		harness = await Harness.start();
	});
	afterEach(() => harness.stop());

	it('answers the statuses in order, then behaves normally', async () => {
		const added = await harness.control('POST', '/faults', {
			route: 'POST /api/leads',
			statuses: [503, 429],
			retryAfterSeconds: 2,
		});
		expect(added.body.added).toBe(2);
		const lead = validLead();
		const first = await harness.api('POST', '/leads', lead);
		expect(first.status).toBe(503);
		expect(first.body).toEqual({ code: 'SERVICE_UNAVAILABLE', message: expect.any(String) });
		expect(first.headers['retry-after']).toBe('2');
		const second = await harness.api('POST', '/leads', lead);
		expect(second.status).toBe(429);
		expect(second.body).toEqual({
			error: 'Sending more than 900 requests in 5 minutes is not allowed',
		});
		expect(second.headers['retry-after']).toBe('2');
		const third = await harness.api('POST', '/leads', lead);
		expect(third.status).toBe(201);
		// the faulted requests did not create anything
		const state = await harness.control('GET', '/state');
		expect(state.body.leads).toHaveLength(1);
		expect(state.body.counters.faultsInjected).toBe(2);
		const ledger = await harness.control('GET', '/ledger?path=/api/leads');
		expect(
			ledger.body.entries.map((entry: { status: number; fault?: string }) => [
				entry.status,
				entry.fault,
			]),
		).toEqual([
			[503, 'status 503'],
			[429, 'status 429'],
			[201, undefined],
		]);
	});

	it('only touches the named route', async () => {
		await harness.control('POST', '/faults', {
			route: 'GET /api/organizations/:id',
			statuses: [500],
		});
		expect((await harness.api('GET', '/organizations')).status).toBe(200);
		const faulted = await harness.api('GET', '/organizations/abc');
		expect(faulted.status).toBe(500);
		expect((await harness.api('GET', '/organizations/abc')).status).toBe(404);
	});

	it('can return a custom body, and works on the token endpoint', async () => {
		await harness.control('POST', '/faults', [
			{ route: 'POST /oauth/token', statuses: [429] },
			{ route: 'GET /api/subscriptions', statuses: [409], body: { code: 'CUSTOM' } },
		]);
		const token = await httpCall('POST', harness.emu.tokenUrl, CREDENTIALS);
		expect(token.status).toBe(429);
		expect(token.body).toEqual({
			error: 'too_many_requests',
			error_description: 'Client quota exceeded',
		});
		const custom = await harness.api('GET', '/subscriptions');
		expect(custom.status).toBe(409);
		expect(custom.body).toEqual({ code: 'CUSTOM' });
	});

	it('resetConnection drops the socket without processing', async () => {
		await harness.control('POST', '/faults', { route: 'POST /api/leads', resetConnection: 1 });
		const lead = validLead();
		await expect(harness.api('POST', '/leads', lead)).rejects.toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
		expect((await harness.control('GET', '/state')).body.leads).toHaveLength(0);
		// next attempt goes through
		expect((await harness.api('POST', '/leads', lead)).status).toBe(201);
	});

	it('resetConnection with processBeforeReset: Pliant processed it, the answer got lost', async () => {
		await harness.control('POST', '/faults', {
			route: 'POST /api/leads',
			resetConnection: 1,
			processBeforeReset: true,
		});
		const lead = validLead();
		await expect(harness.api('POST', '/leads', lead)).rejects.toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
		const state = await harness.control('GET', '/state');
		expect(state.body.leads).toHaveLength(1);
		// a blind retry now meets the duplicate check: why creates must not be retried
		const retry = await harness.api('POST', '/leads', lead);
		expect(retry.status).toBe(409);
		expect(retry.body.leadId).toBe(state.body.leads[0].leadId);
		const ledger = await harness.control('GET', '/ledger?path=/api/leads');
		expect(ledger.body.entries[0]).toMatchObject({ status: null, fault: 'reset-after-processing' });
	});

	it('delayMs alone delays `times` requests, which then succeed; it is recorded in the ledger', async () => {
		await harness.control('POST', '/faults', {
			route: 'GET /api/subscriptions',
			delayMs: 30,
			times: 2,
		});
		for (let index = 0; index < 3; index++)
			expect((await harness.api('GET', '/subscriptions')).status).toBe(200);
		const ledger = await harness.control('GET', '/ledger?path=/api/subscriptions');
		expect(ledger.body.entries.map((entry: { fault?: string }) => entry.fault)).toEqual([
			'delay 30ms',
			'delay 30ms',
			undefined,
		]);
	});

	it('delayMs combined with statuses delays each faulted answer', async () => {
		await harness.control('POST', '/faults', {
			route: 'GET /api/subscriptions',
			delayMs: 10,
			statuses: [504],
		});
		expect((await harness.api('GET', '/subscriptions')).status).toBe(504);
		const ledger = await harness.control('GET', '/ledger?path=/api/subscriptions');
		expect(ledger.body.entries[0].fault).toBe('delay 10ms, status 504');
	});

	it('lists and clears pending faults', async () => {
		await harness.control('POST', '/faults', {
			faults: [
				{ route: 'POST /api/leads', statuses: [500, 500] },
				{ route: 'GET /api/organizations', statuses: [503] },
			],
		});
		expect((await harness.control('GET', '/faults')).body.faults).toHaveLength(3);
		const cleared = await harness.control('DELETE', '/faults?route=POST%20/api/leads');
		expect(cleared.body).toEqual({ removed: 2 });
		expect((await harness.control('DELETE', '/faults')).body).toEqual({ removed: 1 });
		expect((await harness.api('GET', '/organizations')).status).toBe(200);
	});

	it('rejects malformed fault rules', async () => {
		for (const body of [
			{ route: 'leads', statuses: [500] },
			{ route: 'POST /api/leads' },
			{ route: 'POST /api/leads', statuses: [99] },
			{ route: 'POST /api/leads', statuses: [500], bogus: 1 },
		]) {
			const result = await harness.control('POST', '/faults', body);
			expect(result.status).toBe(400);
		}
	});

	it('a delayed request still ends cleanly when the emulator stops', async () => {
		await harness.control('POST', '/faults', { route: 'GET /api/subscriptions', delayMs: 60_000 });
		const pending = harness.api('GET', '/subscriptions').then(
			(result) => result.status,
			() => 'closed',
		);
		// wait until the emulator holds the request
		for (let tries = 0; tries < 100; tries++) {
			const ledger = await harness.control('GET', '/ledger?path=/api/subscriptions');
			if (ledger.body.entries.length === 1) break;
		}
		await harness.stop();
		// stop() closes every connection before the held request resumes: it never gets an answer
		expect(await pending).toBe('closed');
	});
});
