/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, never published */
/**
 * Pliant's rate limit after a restart (`npm run test:reliability`): the emulator's window for
 * the client is already 80% used (720 of 900, as by a run before n8n restarted), and a fresh
 * n8n sends 1,000 leads. The run must end with 0 failed items and no lead sent twice, and
 * after the first 429 the package must not run into the limit again: it honours Retry-After
 * and paces the whole credential for the rest of the window.
 *
 * The window is one minute instead of Pliant's five (same 900 requests), so the case takes
 * about two minutes instead of ten; the logic does not depend on the window's length.
 */
import {
	createWorkflow,
	leadsWorkflow,
	pliantCredential,
	startBenchEmulator,
	startBenchStack,
	type BenchStack,
	type RunningEmulator,
} from '../../bench/lib/stack';
import type { EmulatorClient, LedgerEntry } from '../../scripts/lib/emulator-client';
import { DEFAULT_N8N_VERSION, installFromEnv, installN8n, makeWorkDir, nodeOutput, packedTarball } from '../../scripts/lib/n8n';

jest.setTimeout(900_000);

const LIMIT = { requests: 900, windowMs: 60_000 };
const PREFILLED = 720;
const LEADS = 1000;
const CRED = { id: 'relRateLimit0001', name: 'Pliant (rate limit)' };

let stack: BenchStack;
let emulator: RunningEmulator;
let control: EmulatorClient;

beforeAll(async () => {
	const install = installFromEnv() ?? (await installN8n(process.env.N8N_E2E_VERSION || DEFAULT_N8N_VERSION));
	const workDir = makeWorkDir(`rate-limit-${install.version}`);
	const tgz = packedTarball(workDir);
	({ emulator, control } = await startBenchEmulator({ rateLimit: LIMIT, log: () => undefined }));
	stack = await startBenchStack({
		install,
		tgz,
		workDir,
		credentials: [
			pliantCredential({ ...CRED, emulator, rateLimit: { requests: LIMIT.requests, windowSeconds: LIMIT.windowMs / 1000 } }),
		],
		ports: { from: 5740, to: 5749 },
	});
}, 900_000);

afterAll(async () => {
	await stack?.stop();
	await emulator?.stop();
});

test(`${LEADS} leads into a window already ${PREFILLED}/${LIMIT.requests} used: 0 failed, 0 duplicates, the limit not hit again after the first 429`, async () => {
	const prefix = `rel-rate-${Date.now().toString(36)}`;
	const id = await createWorkflow(stack.n8n, leadsWorkflow({ credential: CRED, count: LEADS, prefix }));
	await control.fillRateWindow(PREFILLED);
	const started = Date.now();
	const run = await stack.n8n.execute(id, 600_000);
	const seconds = Math.round((Date.now() - started) / 1000);

	expect(run.data.resultData.error?.message).toBeUndefined();
	const out = nodeOutput(run, 'Create Lead');
	expect(out).toHaveLength(LEADS);
	expect(out.filter((i) => i.error !== undefined)).toEqual([]);
	expect(out.filter((i) => typeof i.leadId === 'string' && i.duplicate === false)).toHaveLength(LEADS);

	const calls = (await control.ledger()).filter(
		(e: LedgerEntry) =>
			e.method === 'POST' &&
			e.path.endsWith('/leads') &&
			String((e.body as { partnerOrganizationId?: string } | undefined)?.partnerOrganizationId ?? '').startsWith(`${prefix}-`),
	);
	const created = calls.filter((e) => e.status === 201);
	const ids = created.map((e) => String((e.body as { partnerOrganizationId: string }).partnerOrganizationId));
	expect(ids).toHaveLength(LEADS);
	expect(new Set(ids).size).toBe(LEADS);
	expect(calls.filter((e) => e.status === 409)).toEqual([]);
	const held = [...emulator.state.leads.values()].filter((l) => l.partnerOrganizationId.startsWith(`${prefix}-`));
	expect(held).toHaveLength(LEADS);

	// Pliant said 429 once (the requests already in flight then got it too), never afterwards
	const limited = calls.filter((e) => e.status === 429);
	expect(limited.length).toBeGreaterThanOrEqual(1);
	const firstAt = Date.parse(String(limited[0].at));
	const firstRetry = calls.find((e) => Date.parse(String(e.at)) > firstAt + 1000);
	expect(firstRetry).toBeDefined();
	expect(limited.filter((e) => Date.parse(String(e.at)) > firstAt + 1000)).toEqual([]);
	expect(limited.length).toBeLessThanOrEqual(4); // Create Lead sends 4 items at once

	// and within every window, what Pliant accepted stayed under its limit
	const acceptedAt = created.map((e) => Date.parse(String(e.at))).sort((a, b) => a - b);
	let first = 0;
	for (let last = 0; last < acceptedAt.length; last++) {
		while (acceptedAt[last] - acceptedAt[first] >= LIMIT.windowMs) first++;
		expect(last - first + 1 + (acceptedAt[last] - started < LIMIT.windowMs ? PREFILLED : 0)).toBeLessThanOrEqual(LIMIT.requests);
	}
	process.stderr.write(`[rate-limit] ${LEADS} leads with the window ${PREFILLED}/${LIMIT.requests} used: ${seconds} s, ${limited.length} × 429\n`);
});
