/* eslint-disable @n8n/community-nodes/no-restricted-imports -- bench/test tooling, never published */
/**
 * Issue 28's figures:
 *  - the partner-ID lookup (the Pliant Trigger's `resolvePartnerOrganizationId`, on by default)
 *    with a warm cache costs no throughput: workflow A (on) against D (off) in the callback
 *    benchmark's interleaved rounds, median of the per-round ratios;
 *  - 1,000 callbacks for 100 organizations the trigger has never seen cost at most 100
 *    organization requests and no 429 (emulator ledger);
 *  - a forged callback to the trigger costs n8n the CPU of a request with a wrong header value
 *    to n8n's own Webhook node with header auth (interleaved rounds, median of per-round ratios).
 * The organizations are created in the emulator (lead, then onboarding) before any workflow is
 * published, so no ORGANIZATION_ADDED callback teaches the trigger their partner IDs.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

import { cpuMsOf } from './callbacks';
import { forgedCallback } from './forged-flood';
import { median, postAll, signedCallbacks, type CallbackRequest } from './lib/load';
import type { RunningEmulator } from './lib/stack';
import type { EmulatorClient } from '../scripts/lib/emulator-client';
import type { ExecutionCounter } from '../scripts/lib/executions';
import { waitFor, type Log } from '../scripts/lib/n8n';

/** The trigger's option (issue 28); older builds ignore the parameter. */
export const LOOKUP_OPTION = 'resolvePartnerOrganizationId';

export interface PartnerLookupResult {
	/** the installed package knows the option: without it, A and D are the same trigger */
	optionInPackage: boolean;
	/** organizations the callbacks of the interleaved rounds are about (warmed before the rounds) */
	warmOrganizations: number;
	/** per round of the on/off phase (A D D A or D A A D, nothing between): A (lookup on) finished/s over D (off) */
	onOffRoundRatios: number[];
	/** callbacks per batch of the on/off phase (two batches of A and two of D a round) */
	onOffCallbacksPerBatch?: number;
	newOrganizations?: NewOrganizationsResult;
}

export interface NewOrganizationsResult {
	organizations: number;
	callbacks: number;
	accepted: number;
	/** GET /organizations/{id} for these organizations, as the emulator saw them */
	organizationRequests: number;
	/** 429 answers of the emulator during this step (any route) */
	responses429: number;
	executions: number;
}

export interface ForgedVsHeaderAuthResult {
	rounds: number;
	perRound: number;
	/** n8n CPU ms per request, over all rounds */
	forgedCpuMs: number;
	headerAuthCpuMs: number;
	/** per round: forged CPU / header-auth CPU */
	roundRatios: number[];
	forgedAccepted: number;
	headerAuthAccepted: number;
}

/** Whether the installed package's trigger has the option (its compiled description names it). */
export function packageKnowsLookupOption(userFolder: string): boolean {
	const dir = path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-pliant', 'dist', 'nodes', 'PliantTrigger');
	if (!fs.existsSync(dir)) return false;
	return fs.readdirSync(dir).some((f) => f.endsWith('.js') && fs.readFileSync(path.join(dir, f), 'utf8').includes(LOOKUP_OPTION));
}

/** `count` organizations in the emulator (a lead each, onboarded): their organization IDs. */
export async function seedOrganizations(emulator: RunningEmulator, control: EmulatorClient, count: number, prefix: string): Promise<string[]> {
	const tokenRes = await fetch(emulator.tokenUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ client_id: emulator.clientId, client_secret: emulator.clientSecret, audience: emulator.audience, grant_type: 'client_credentials' }),
	});
	if (!tokenRes.ok) throw new Error(`emulator token: HTTP ${tokenRes.status}`);
	const { access_token: token } = (await tokenRes.json()) as { access_token: string };
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		const res = await fetch(`${emulator.apiBaseUrl}/leads`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: JSON.stringify({
				partnerOrganizationId: `${prefix}-${i}`,
				company: { name: `Bench Organization ${i} GmbH`, country: 'DE', industry: 'ACCOUNTING' },
				contactPersons: [{ firstName: 'Ada', lastName: 'Lovelace', email: `org${i}@bench.example` }],
			}),
		});
		if (res.status !== 201) throw new Error(`emulator lead ${prefix}-${i}: HTTP ${res.status} ${await res.text()}`);
		const { leadId } = (await res.json()) as { leadId: string };
		ids.push(await control.onboard(leadId));
	}
	return ids;
}

/**
 * 1,000 callbacks (by default) for organizations the trigger has never seen, each organization's
 * callbacks sent together (so only single flight keeps it at one request), to the trigger with
 * the lookup on; counts the organization requests and 429s the emulator saw meanwhile.
 */
export async function runNewOrganizations(o: {
	url: string;
	workflowId: string;
	db: ExecutionCounter;
	emulator: RunningEmulator;
	control: EmulatorClient;
	organizationIds: string[];
	perOrganization: number;
	concurrency: number;
	log: Log;
}): Promise<NewOrganizationsResult> {
	const ordered = o.organizationIds.flatMap((id) => Array<string>(o.perOrganization).fill(id));
	const requests = await signedCallbacks(o.control, ordered.length, { organizationIds: ordered });
	const seqBefore = o.emulator.state.ledger.at(-1)?.seq ?? 0;
	const afterId = await o.db.maxId();
	const batch = await postAll(o.url, requests, o.concurrency);
	const accepted = batch.results.filter((r) => r.status >= 200 && r.status < 300).length;
	const counts = await waitFor(`${accepted} executions for new organizations`, async () => {
		const c = await o.db.counts(o.workflowId, afterId);
		return c.finished >= accepted ? c : undefined;
	}, 10 * 60_000, 200);
	const wanted = new Set(o.organizationIds);
	const ledger = o.emulator.state.ledger.filter((e) => e.seq > seqBefore);
	const organizationRequests = ledger.filter((e) => e.method === 'GET' && wanted.has(decodeURIComponent(e.path.split('/').pop() ?? ''))).length;
	const result = { organizations: o.organizationIds.length, callbacks: requests.length, accepted, organizationRequests, responses429: ledger.filter((e) => e.status === 429).length, executions: counts.success };
	o.log(`[bench] new organizations: ${result.callbacks} callbacks for ${result.organizations}: ${result.organizationRequests} organization requests, ${result.responses429} × 429, ${result.executions} executions`);
	return result;
}

/** A request to n8n's Webhook node with header auth, carrying a wrong value (n8n answers 403). */
export function wrongHeaderRequest(headerName: string): CallbackRequest {
	const id = randomUUID();
	return { id, body: JSON.stringify({ eventType: 'ORGANIZATION_ADDED', organizationId: id }), headers: { 'content-type': 'application/json', [headerName]: `wrong-${id}` } };
}

/**
 * Forged callbacks (one foreign signature, fresh headers) to the trigger against wrong header
 * values to the header-auth Webhook, `perRound` each per round, the order alternating.
 */
export async function runForgedVsHeaderAuth(o: {
	triggerUrl: string;
	headerAuthUrl: string;
	headerName: string;
	pids: number[];
	rounds: number;
	perRound: number;
	concurrency: number;
	log: Log;
}): Promise<ForgedVsHeaderAuthResult> {
	const sides = [
		{ key: 'forged', url: o.triggerUrl, make: () => forgedCallback(1, false), cpu: 0, accepted: 0, perRound: [] as number[] },
		{ key: 'headerAuth', url: o.headerAuthUrl, make: () => wrongHeaderRequest(o.headerName), cpu: 0, accepted: 0, perRound: [] as number[] },
	];
	for (let round = 0; round < o.rounds; round++) {
		for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
			const requests = Array.from({ length: o.perRound }, side.make); // built before the CPU is counted
			const cpu0 = cpuMsOf(o.pids);
			const batch = await postAll(side.url, requests, o.concurrency);
			const cpu = cpuMsOf(o.pids) - cpu0;
			side.cpu += cpu;
			side.perRound[round] = cpu / o.perRound;
			side.accepted += batch.results.filter((r) => r.status >= 200 && r.status < 300).length;
		}
	}
	const [forged, headerAuth] = sides;
	const roundRatios = forged.perRound.map((f, i) => f / headerAuth.perRound[i]);
	const result = {
		rounds: o.rounds,
		perRound: o.perRound,
		forgedCpuMs: forged.cpu / (o.rounds * o.perRound),
		headerAuthCpuMs: headerAuth.cpu / (o.rounds * o.perRound),
		roundRatios,
		forgedAccepted: forged.accepted,
		headerAuthAccepted: headerAuth.accepted,
	};
	o.log(`[bench] n8n CPU per forged callback ${result.forgedCpuMs.toFixed(1)} ms, per wrong header ${result.headerAuthCpuMs.toFixed(1)} ms (median ratio ${median(roundRatios).toFixed(2)}×)`);
	return result;
}
