/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests of the dev emulator, never published */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { isLoopback } from '../../../emulator/http';
import { startEmulator } from '../../../emulator/server';
import { CREDENTIALS, Harness, httpCall, validLead } from './helpers';

describe('emulator: control API', () => {
	let harness: Harness;

	beforeEach(async () => {
		harness = await Harness.start();
	});
	afterEach(() => harness.stop());

	it('GET /health gives the URLs and the credential values', async () => {
		const result = await harness.control('GET', '/health');
		expect(result.body).toEqual({
			status: 'ok',
			url: harness.emu.url,
			tokenUrl: `${harness.emu.url}/oauth/token`,
			apiBaseUrl: `${harness.emu.url}/api`,
			controlUrl: `${harness.emu.url}/_emulator`,
			clientId: 'emulator-client',
			audience: 'pliant-emulator',
		});
		expect(harness.emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	});

	it('GET /state shows leads, organizations, subscriptions and counters', async () => {
		const organizationId = await harness.createOrganization();
		await harness.api('POST', '/subscriptions/bulk-upsert', {
			subscriptions: [{ eventType: 'ORGANIZATION_ADDED', callbackUrl: 'http://127.0.0.1:9/x' }],
		});
		const state = (await harness.control('GET', '/state')).body;
		expect(state.leads).toHaveLength(1);
		expect(state.organizations[0]).toMatchObject({
			organization: { organizationId },
			step: 1,
			detailsShared: true,
			authorizationStatus: 'NONE',
		});
		expect(state.subscriptions).toHaveLength(1);
		expect(state.counters).toMatchObject({
			tokenRequests: 1,
			rateLimited: 0,
			requestsByRoute: {
				'POST /oauth/token': 1,
				'POST /api/leads': 1,
				'POST /api/subscriptions/bulk-upsert': 1,
			},
		});
		expect(state.keys).toHaveLength(1);
		// the library exposes the same state object
		expect(harness.emu.state.leads.size).toBe(1);
	});

	it('GET /ledger filters by path, method and since', async () => {
		await harness.createLead();
		await harness.api('GET', '/organizations');
		const all = (await harness.control('GET', '/ledger')).body.entries;
		expect(
			all.map((entry: { method: string; path: string }) => `${entry.method} ${entry.path}`),
		).toEqual(['POST /oauth/token', 'POST /api/leads', 'GET /api/organizations']);
		expect((await harness.control('GET', '/ledger?method=get')).body.entries).toHaveLength(1);
		expect((await harness.control('GET', `/ledger?since=${all[1].seq}`)).body.entries).toHaveLength(
			1,
		);
		expect(await harness.control('DELETE', '/ledger')).toMatchObject({ status: 204 });
		expect((await harness.control('GET', '/ledger')).body.entries).toEqual([]);
	});

	it('POST /reset forgets data and keeps tokens and keys unless asked', async () => {
		await harness.createOrganization();
		const kid = (await harness.control('GET', '/keys')).body.current;
		const reset = await harness.control('POST', '/reset');
		expect(reset.body).toEqual({ reset: true, tokensKept: true, keys: [kid] });
		const state = (await harness.control('GET', '/state')).body;
		expect(state.leads).toEqual([]);
		expect(state.organizations).toEqual([]);
		expect(state.counters.tokenRequests).toBe(0);
		expect((await harness.api('GET', '/organizations')).status).toBe(200);

		const full = await harness.control('POST', '/reset', { tokens: true, keys: true });
		expect(full.body.tokensKept).toBe(false);
		expect(full.body.keys).not.toEqual([kid]);
		expect((await harness.api('GET', '/organizations')).status).toBe(401);
	});

	it('GET/POST /config reads and changes the runtime configuration strictly', async () => {
		const before = (await harness.control('GET', '/config')).body;
		expect(before.clientSecret).toBe('***');
		expect(JSON.stringify((await harness.control('GET', '/state')).body)).not.toContain(
			'emulator-secret',
		);
		expect(before).toMatchObject({
			clientId: 'emulator-client',
			rateLimit: { requests: 900, windowMs: 300000 },
			tokenQuota: { perHour: 42 },
			onboardingDelayMs: 0,
		});
		const after = await harness.control('POST', '/config', {
			delivery: { retries: 1 },
			onboardingDelayMs: 5,
		});
		expect(after.body.delivery).toMatchObject({ retries: 1, backoffMs: 1000 });
		expect(after.body.onboardingDelayMs).toBe(5);
		const bad = await harness.control('POST', '/config', { clientSecret: 'x' });
		expect(bad.status).toBe(400);
		expect(bad.body.details).toEqual([{ field: 'clientSecret', message: 'is not a known field' }]);
	});

	it('onboard and advance accept the partner ids too; unknown ids are 404', async () => {
		const lead = validLead();
		await harness.createLead(lead);
		const onboarded = await harness.control('POST', `/leads/${lead.partnerOrganizationId}/onboard`);
		expect(onboarded.status).toBe(200);
		const advanced = await harness.control(
			'POST',
			`/organizations/${lead.partnerOrganizationId}/advance`,
		);
		expect(advanced.body).toMatchObject({ organizationId: onboarded.body.organizationId, step: 2 });
		expect((await harness.control('POST', '/leads/nope/onboard')).status).toBe(404);
		expect((await harness.control('POST', '/organizations/nope/complete')).status).toBe(404);
		expect(
			(await harness.control('POST', '/organizations/nope/details-shared', { shared: false }))
				.status,
		).toBe(404);
	});

	it('details-shared needs a boolean', async () => {
		const organizationId = await harness.createOrganization();
		expect(
			(
				await harness.control('POST', `/organizations/${organizationId}/details-shared`, {
					shared: 'no',
				})
			).status,
		).toBe(400);
	});

	it('unknown control paths are 404, wrong methods 405', async () => {
		expect((await harness.control('GET', '/nope')).status).toBe(404);
		expect((await harness.control('GET', '/reset')).status).toBe(405);
	});

	it('only answers loopback addresses', () => {
		expect(isLoopback('127.0.0.1')).toBe(true);
		expect(isLoopback('::1')).toBe(true);
		expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
		expect(isLoopback('10.0.0.5')).toBe(false);
		expect(isLoopback(undefined)).toBe(false);
	});
});

describe('emulator: --state file', () => {
	let dir: string;

	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'pliant-emulator-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	it('keeps leads, organizations, subscriptions, tokens and keys across a restart', async () => {
		const file = join(dir, 'state.json');
		const first = new Harness(await startEmulator({ port: 0, stateFile: file }));
		const lead = validLead();
		await first.createLead(lead);
		await first.control('POST', `/leads/${lead.partnerOrganizationId}/onboard`);
		await first.api('POST', '/subscriptions/bulk-upsert', {
			subscriptions: [{ eventType: 'ORGANIZATION_ADDED', callbackUrl: 'http://127.0.0.1:9/x' }],
		});
		const token = await first.accessToken();
		const jwks = (await first.api('GET', '/partner-management/signing/jwks.json')).body;
		await first.stop();
		expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
			version: 1,
			leads: [{ partnerOrganizationId: lead.partnerOrganizationId }],
		});

		const second = await startEmulator({ port: 0, stateFile: file });
		try {
			const auth = { authorization: `Bearer ${token}` };
			const organizations = await httpCall(
				'GET',
				`${second.apiBaseUrl}/organizations`,
				undefined,
				auth,
			);
			expect(organizations.status).toBe(200);
			expect(organizations.body.organizations).toHaveLength(1);
			expect(organizations.body.organizations[0].partnersOrganizationId).toBe(
				lead.partnerOrganizationId,
			);
			const subscriptions = await httpCall(
				'GET',
				`${second.apiBaseUrl}/subscriptions`,
				undefined,
				auth,
			);
			expect(subscriptions.body.subscriptions).toHaveLength(1);
			const again = await httpCall(
				'GET',
				`${second.apiBaseUrl}/partner-management/signing/jwks.json`,
				undefined,
				auth,
			);
			expect(again.body).toEqual(jwks);
			const duplicate = await httpCall('POST', `${second.apiBaseUrl}/leads`, lead, auth);
			expect(duplicate.status).toBe(409);
			// the token quota history survives too
			expect(
				(await httpCall('POST', second.tokenUrl, CREDENTIALS)).headers['auth0-client-quota-limit'],
			).toMatch(/r=40;/);
		} finally {
			await second.stop();
		}
	});
});
