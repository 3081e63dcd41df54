import type { IDataObject } from 'n8n-workflow';

import { PATHS } from '../../../../nodes/shared/contract';
import { clock } from '../../../../nodes/shared/clock';
import { pliantApiRequest } from '../../../../nodes/shared/http/transport';
import {
	PARTNER_ID_FAILURE_MEMORY_MS,
	STORED_PARTNER_IDS,
	learnFromSignedBody,
	resolvePartnerOrganizationId,
} from '../../../../nodes/shared/onboarding/partner-organization';
import { forgetProcessMemory } from '../../../support/process-memory';

jest.mock('../../../../nodes/shared/http/transport', () => ({
	...jest.requireActual('../../../../nodes/shared/http/transport'),
	pliantApiRequest: jest.fn(),
}));

const request = pliantApiRequest as unknown as jest.Mock;
const ACCOUNT_A = 'https://pliant.test/api|client-a';
const ACCOUNT_B = 'https://pliant.test/api|client-b';
const ORG = 'b1f8e35c-c500-4bbf-aa20-3dc14b83ff19';
const context = {} as never;

/** Pliant's organizations: what GET /organizations/{id} answers, per account. */
let pliant: Record<string, Record<string, string | null>>;
let now: number;
/** The account the mocked request answers for. */
let account: string;
const useAccount = (which: string) => (account = which);


const resolve = async (account: string, organizationId: unknown, staticData?: IDataObject, waitMs?: number) =>
	await resolvePartnerOrganizationId.call(context, { account, organizationId, staticData, waitMs });

beforeEach(() => {
	forgetProcessMemory();
	now = Date.UTC(2026, 0, 15, 12);
	jest.spyOn(clock, 'now').mockImplementation(() => now);
	pliant = { [ACCOUNT_A]: { [ORG]: 'crm-a' }, [ACCOUNT_B]: { [ORG]: 'crm-b' } };
	request.mockReset();
	account = ACCOUNT_A;
	request.mockImplementation(async (options: { method: string; path: string }) => {
		const id = Object.keys(pliant[account]).find((org) => options.path === PATHS.organization(org));
		if (options.method !== 'GET' || id === undefined) throw new Error(`unexpected ${options.method} ${options.path}`);
		return { organizationId: id, partnersOrganizationId: pliant[account][id] };
	});
});

afterEach(() => jest.restoreAllMocks());

describe('resolvePartnerOrganizationId', () => {
	it("asks Pliant once (GET /organizations/{id} → partnersOrganizationId) and remembers the answer", async () => {
		expect(await resolve(ACCOUNT_A, ORG)).toEqual({ partnerOrganizationId: 'crm-a' });
		expect(await resolve(ACCOUNT_A, ORG)).toEqual({ partnerOrganizationId: 'crm-a' });
		expect(request).toHaveBeenCalledTimes(1);
		// optional: refused rather than queued when the rate window is busy, so other calls come first
		expect(request.mock.calls[0][0]).toMatchObject({ method: 'GET', path: PATHS.organization(ORG), optional: true });
	});

	it('single flight: callbacks of one new organization that arrive together cost one request', async () => {
		const answers = await Promise.all(Array.from({ length: 5 }, async () => await resolve(ACCOUNT_A, ORG)));
		expect(answers.map((a) => a.partnerOrganizationId)).toEqual(Array(5).fill('crm-a'));
		expect(request).toHaveBeenCalledTimes(1);
	});

	it("never gives one account's answer to another account", async () => {
		expect((await resolve(ACCOUNT_A, ORG)).partnerOrganizationId).toBe('crm-a');
		useAccount(ACCOUNT_B);
		expect((await resolve(ACCOUNT_B, ORG)).partnerOrganizationId).toBe('crm-b');
		expect(request).toHaveBeenCalledTimes(2);
	});

	it('uses what a signed ORGANIZATION_ADDED taught, without a request', async () => {
		learnFromSignedBody(ACCOUNT_A, { eventType: 'ORGANIZATION_ADDED', organizationId: ORG, partnerOrganizationId: 'crm-signed' });
		expect(await resolve(ACCOUNT_A, ORG)).toEqual({ partnerOrganizationId: 'crm-signed' });
		expect(request).not.toHaveBeenCalled();
	});

	it('keeps answers in the static data given, for this account only, so a restarted process needs no request', async () => {
		const staticData: IDataObject = {};
		await resolve(ACCOUNT_A, ORG, staticData);
		forgetProcessMemory(); // a new process: only the static data is left
		expect(await resolve(ACCOUNT_A, ORG, staticData)).toEqual({ partnerOrganizationId: 'crm-a' });
		expect(request).toHaveBeenCalledTimes(1);
		useAccount(ACCOUNT_B);
		expect((await resolve(ACCOUNT_B, ORG, staticData)).partnerOrganizationId).toBe('crm-b');
		expect(JSON.stringify(staticData)).not.toContain('client-a');
	});

	it(`keeps at most ${STORED_PARTNER_IDS} organizations in static data, the newest`, async () => {
		const staticData: IDataObject = {};
		for (let index = 0; index <= STORED_PARTNER_IDS; index++) {
			learnFromSignedBody(ACCOUNT_A, { eventType: 'ORGANIZATION_ADDED', organizationId: `org-${index}`, partnerOrganizationId: `crm-${index}` }, staticData);
		}
		const ids = (staticData.partnerOrganizationIds as { ids: Record<string, string> }).ids;
		expect(Object.keys(ids)).toHaveLength(STORED_PARTNER_IDS);
		expect(ids['org-0']).toBeUndefined();
		expect(ids[`org-${STORED_PARTNER_IDS}`]).toBe(`crm-${STORED_PARTNER_IDS}`);
	});

	it('gives null and says why when Pliant holds no partner ID, and remembers that answer', async () => {
		pliant[ACCOUNT_A][ORG] = null;
		expect(await resolve(ACCOUNT_A, ORG)).toEqual({ partnerOrganizationId: null, why: 'Pliant holds no partner organization ID for it' });
		await resolve(ACCOUNT_A, ORG);
		expect(request).toHaveBeenCalledTimes(1);
	});

	it('gives null and says why when Pliant cannot be asked, and does not ask again for a while', async () => {
		request.mockRejectedValue(new Error('Pliant is unreachable (ECONNREFUSED)'));
		const first = await resolve(ACCOUNT_A, ORG);
		expect(first.partnerOrganizationId).toBeNull();
		expect(first.why).toContain('ECONNREFUSED');
		expect((await resolve(ACCOUNT_A, ORG)).why).toContain('the last lookup failed');
		expect(request).toHaveBeenCalledTimes(1);
		now += PARTNER_ID_FAILURE_MEMORY_MS;
		await resolve(ACCOUNT_A, ORG);
		expect(request).toHaveBeenCalledTimes(2);
	});

	it('waits 2 s at most; the answer that comes later serves the next callback', async () => {
		let answer: (value: unknown) => void = () => undefined;
		request.mockImplementationOnce(async () => await new Promise((resolveLater) => (answer = resolveLater)));
		jest.spyOn(clock, 'sleep').mockImplementation(async (ms: number) => {
			expect(ms).toBe(2_000);
		});
		const late = await resolve(ACCOUNT_A, ORG);
		expect(late.partnerOrganizationId).toBeNull();
		expect(late.why).toContain('within 2 s');
		answer({ organizationId: ORG, partnersOrganizationId: 'crm-a' });
		for (let tick = 0; tick < 5; tick++) await Promise.resolve();
		expect(await resolve(ACCOUNT_A, ORG)).toEqual({ partnerOrganizationId: 'crm-a' });
		expect(request).toHaveBeenCalledTimes(1);
	});

	it('looks up nothing for an event without a UUID organization ID', async () => {
		for (const id of [undefined, '', '../leads', 42]) {
			expect((await resolve(ACCOUNT_A, id)).partnerOrganizationId).toBeNull();
		}
		expect(request).not.toHaveBeenCalled();
	});

	it('1,000 callbacks for 100 new organizations cost at most 100 requests', async () => {
		const orgs = Array.from({ length: 100 }, (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`);
		for (const org of orgs) pliant[ACCOUNT_A][org] = `crm-${org.slice(-3)}`;
		const callbacks = Array.from({ length: 1000 }, (_, index) => orgs[index % 100]);
		const answers = await Promise.all(callbacks.map(async (org) => await resolve(ACCOUNT_A, org)));
		expect(answers.every((a, index) => a.partnerOrganizationId === `crm-${callbacks[index].slice(-3)}`)).toBe(true);
		expect(request).toHaveBeenCalledTimes(100);
	});
});
