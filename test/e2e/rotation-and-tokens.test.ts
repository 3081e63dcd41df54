/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, never published */
/**
 * Key rotation and token single-flight in a real n8n (scripts/e2e.sh runs this file once per
 * n8n line: 2.41.1 on Node 24, 1.123.50 on Node 20) against the local emulator:
 * - two credentials of one client share one token within a run;
 * - a token revoked in the middle of a 60-lead run costs exactly one new token;
 * - a forged callback cannot delay a key rotation: Pliant's callback signed with the new key
 *   is accepted within 10 s of the publication;
 * - 100 forged callbacks a minute cause at most a fixed number of JWKS fetches, and genuine
 *   callbacks keep being accepted.
 */
import { randomBytes, randomUUID } from 'crypto';

import { JWKS_MIN_FETCH_INTERVAL_MS } from '../../nodes/PliantTrigger/jwks-cache';
import { PATHS } from '../../nodes/shared/contract';
import {
	activateAndWait,
	createWorkflow,
	installedTypeVersion,
	leadsWorkflow,
	pliantTriggerWorkflow,
	type WorkflowSpec,
} from '../../bench/lib/stack';
import type { Delivery, LedgerEntry } from '../../scripts/lib/emulator-client';
import { emulatorCredential, nodeOutput, sleep, waitFor } from '../../scripts/lib/n8n';
import { startStack, type Stack } from './harness';

jest.setTimeout(240_000);

const version = process.env.N8N_E2E_VERSION || '2.41.1';

const CRED_A = { id: 'keysCredentialA1', name: 'Pliant A (same client)' };
const CRED_B = { id: 'keysCredentialB1', name: 'Pliant B (same client)' };
const TRIGGER_HOOK = 'c0ffee00-0000-4000-8000-00000000e014';
const JWKS_PATH = `/api${PATHS.jwks}`;

let stack: Stack;

function credential(spec: { id: string; name: string }): object {
	return emulatorCredential({ emulatorUrl: stack.emulator.url, ...spec });
}

const tokenRequests = (ledger: LedgerEntry[]) =>
	ledger.filter((e) => e.method === 'POST' && e.path.endsWith('/oauth/token')).length;
const jwksFetches = (ledger: LedgerEntry[]) => ledger.filter((e) => e.method === 'GET' && e.path === JWKS_PATH);

/** Leads for two Create Lead nodes: one per credential, both of the same Pliant client. */
function twoCredentialsWorkflow(prefix: string): WorkflowSpec {
	const spec = leadsWorkflow({ credential: CRED_A, count: 4, prefix, name: `two credentials ${prefix}` });
	const createA = spec.nodes.find((n) => n.name === 'Create Lead')!;
	const createB = {
		...createA,
		id: randomUUID(),
		name: 'Create Lead B',
		position: [440, 200] as [number, number],
		parameters: { ...createA.parameters, partnerOrganizationId: '={{ $json.partnerOrganizationId }}-b' },
		credentials: { pliantApi: CRED_B },
	};
	spec.nodes.push(createB);
	(spec.connections as Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>).Leads.main[0].push({
		node: 'Create Lead B',
		type: 'main',
		index: 0,
	});
	return spec;
}

function eventBody(organizationId: string): string {
	return JSON.stringify({
		eventType: 'ORGANIZATION_STATE_CHANGED',
		organizationId,
		statusChange: { beforeChange: 'ONBOARDING_STARTED', afterChange: 'ACTIVE' },
	});
}

/** A callback with well-formed, fresh Standard Webhooks headers and a signature by nobody's key. */
async function postForged(url: string): Promise<number> {
	const res = await fetch(url, {
		method: 'POST',
		body: eventBody('org-forged'),
		headers: {
			'content-type': 'application/json',
			'x-callback-id': randomUUID(),
			'webhook-id': `msg_${randomUUID()}`,
			'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
			'webhook-signature': `v1a,${randomBytes(64).toString('base64')}`,
		},
	});
	await res.text();
	return res.status;
}

/** Fires one signed event to the trigger through the emulator (which retries like Pliant) and waits for its outcome. */
async function fireGenuine(url: string, organizationId: string): Promise<Delivery> {
	const fired = (await stack.control.event({
		eventType: 'ORGANIZATION_STATE_CHANGED',
		organizationId,
		callbackUrl: url,
		statusChange: { beforeChange: 'ONBOARDING_STARTED', afterChange: 'ACTIVE' },
	})) as { callbacks: Array<{ callbackId: string }> };
	const callbackId = fired.callbacks[0].callbackId;
	return await waitFor(
		`delivery of ${callbackId}`,
		async () => {
			const delivery = (await stack.control.deliveries()).find((d) => d.callbackId === callbackId);
			return delivery && delivery.state !== 'pending' ? delivery : undefined;
		},
		60_000,
		200,
	);
}

/** When the delivery's first 2xx attempt happened (ms), if any. */
function acceptedAt(delivery: Delivery): number | undefined {
	const log = (delivery.attemptLog ?? []) as Array<{ at: string; status: number | null }>;
	const ok = log.find((a) => typeof a.status === 'number' && a.status >= 200 && a.status < 300);
	return ok ? Date.parse(ok.at) : undefined;
}

describe(`n8n ${version}: key rotation and token single-flight`, () => {
	beforeAll(async () => {
		stack = await startStack({ importExamples: false });
		await stack.n8n.importCredentials([credential(CRED_A), credential(CRED_B)]);
	}, 900_000);

	afterAll(async () => {
		await stack?.stop();
	});

	test('two credentials of the same client: one token request in total for a run of both', async () => {
		const before = tokenRequests(await stack.control.ledger());
		const id = await createWorkflow(stack.n8n, twoCredentialsWorkflow(`two-${Date.now().toString(36)}`));
		const run = await stack.n8n.execute(id);
		expect(run.data.resultData.error?.message).toBeUndefined();
		expect(nodeOutput(run, 'Create Lead').filter((i) => typeof i.leadId === 'string')).toHaveLength(4);
		expect(nodeOutput(run, 'Create Lead B').filter((i) => typeof i.leadId === 'string')).toHaveLength(4);
		expect(tokenRequests(await stack.control.ledger()) - before).toBe(1);
	});

	test('a token revoked after item 20 of 60: exactly one new token request, every lead created once', async () => {
		const prefix = `revoke-${Date.now().toString(36)}`;
		const id = await createWorkflow(stack.n8n, leadsWorkflow({ credential: CRED_A, count: 60, prefix }));
		const before = await stack.control.ledger();
		await stack.control.expireTokens(20);
		const run = await stack.n8n.execute(id);
		expect(run.data.resultData.error?.message).toBeUndefined();
		const out = nodeOutput(run, 'Create Lead');
		expect(out).toHaveLength(60);
		expect(out.filter((i) => typeof i.leadId === 'string' && i.duplicate === false)).toHaveLength(60);

		const ledger = await stack.control.ledger();
		const seqBefore = Math.max(0, ...before.map((e) => Number(e.seq ?? 0)));
		const during = ledger.filter((e) => Number(e.seq ?? 0) > seqBefore);
		expect(during.filter((e) => e.path.endsWith('/oauth/token'))).toHaveLength(1);
		expect(during.filter((e) => e.status === 401).length).toBeGreaterThanOrEqual(1);
		const created = during.filter((e) => e.method === 'POST' && e.path.endsWith('/leads') && e.status === 201);
		const ids = created.map((e) => String((e.body as { partnerOrganizationId?: string }).partnerOrganizationId));
		expect(ids).toHaveLength(60);
		expect(new Set(ids).size).toBe(60);
	});

	describe('trigger', () => {
		let url: string;

		beforeAll(async () => {
			const typeVersion = installedTypeVersion(stack.n8n.userFolder, 'PliantTrigger');
			const id = await createWorkflow(
				stack.n8n,
				pliantTriggerWorkflow({ webhookId: TRIGGER_HOOK, credential: CRED_A, typeVersion, name: 'rotation trigger' }),
			);
			url = stack.n8n.webhookUrl(TRIGGER_HOOK);
			await activateAndWait(stack.n8n, id, url);
			// a genuine callback goes through (the activation may still be fetching the keys)
			const first = await fireGenuine(url, 'org-warm');
			expect(first.state).toBe('delivered');
		});

		test('forged callback, then rotation: the callback signed with the new key is accepted within 10 s', async () => {
			expect(await postForged(url)).toBe(401);
			await stack.control.rotateKeys(true);
			const rotatedAt = Date.now();
			const delivery = await fireGenuine(url, 'org-rotated');
			expect(delivery.state).toBe('delivered');
			const at = acceptedAt(delivery);
			expect(at).toBeDefined();
			expect(at! - rotatedAt).toBeLessThan(10_000);
		});

		test('100 forged callbacks a minute: at most one JWKS fetch per interval; genuine callbacks still accepted', async () => {
			const before = await stack.control.ledger();
			const seqBefore = Math.max(0, ...before.map((e) => Number(e.seq ?? 0)));
			const started = Date.now();
			const genuine: Array<Promise<Delivery>> = [];
			const statuses: number[] = [];
			for (let i = 0; i < 100; i++) {
				statuses.push(await postForged(url));
				if (i % 20 === 10) genuine.push(fireGenuine(url, `org-genuine-${i}`));
				const next = started + (i + 1) * 600;
				await sleep(Math.max(0, next - Date.now()));
			}
			const elapsed = Date.now() - started;
			expect(statuses.every((s) => s === 401)).toBe(true);
			const delivered = await Promise.all(genuine);
			for (const delivery of delivered) {
				expect(delivery.state).toBe('delivered');
				expect(delivery.statuses).toEqual([200]);
			}
			const fetches = jwksFetches(await stack.control.ledger()).filter((e) => Number(e.seq ?? 0) > seqBefore);
			// the fixed number: one per interval, so at most 13 in any minute
			expect(fetches.length).toBeLessThanOrEqual(Math.ceil(elapsed / JWKS_MIN_FETCH_INTERVAL_MS) + 1);
			const at = fetches.map((e) => Date.parse(String(e.at))).sort((a, b) => a - b);
			const perMinute = Math.max(...at.map((start) => at.filter((t) => t >= start && t < start + 60_000).length));
			expect(perMinute).toBeLessThanOrEqual(60_000 / JWKS_MIN_FETCH_INTERVAL_MS + 1);
		});
	});
});
