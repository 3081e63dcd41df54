import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { PliantCreateLead } from '../../../nodes/PliantCreateLead/PliantCreateLead.node';
import { API, execute, failure, fakeContextFor, ORIGIN, TOKEN } from '../../support/fake-execute-context';
import { CONTRACT_LEAD, CONTRACT_LEAD_CREATED, leadParameters } from '../../support/fixtures';
import { useNock } from '../../support/nock';

const fakeContext = fakeContextFor(PliantCreateLead);

const CREATED = CONTRACT_LEAD_CREATED;
const EXISTING_ID = '0b0c1d2e-0000-4000-8000-0000000000ff';
const CONFLICT = {
	code: 'LEAD_ALREADY_EXISTS',
	message: 'A lead with partnerOrganizationId "crm-4711" already exists',
	leadId: EXISTING_ID,
};

describe('Pliant Create Lead: sending', () => {
	useNock();

	it('POSTs the contract body once, with the bearer token, and outputs the lead', async () => {
		let received: unknown;
		const scope = nock(ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
			.post('/api/leads', (body: unknown) => {
				received = body;
				return true;
			})
			.reply(201, CREATED);
		const run = fakeContext(
			leadParameters({
				country: 'Germany',
				industry: 'computer-software',
				additionalFields: { tradeName: 'Acme', expectedMonthlySpend: 19.99, website: 'acme.example' },
			}),
		);
		const output = await execute(run);
		expect(scope.isDone()).toBe(true);
		expect(received).toEqual({
			partnerOrganizationId: 'crm-4711',
			company: {
				name: 'Acme Software GmbH',
				tradeName: 'Acme',
				country: 'DE',
				industry: 'COMPUTER_SOFTWARE',
				website: 'https://acme.example',
				expectedMonthlySpend: { value: 1999, currency: 'EUR' },
			},
			contactPersons: CONTRACT_LEAD.contactPersons,
		});
		expect(output).toEqual([
			{
				json: {
					...CREATED,
					duplicate: false,
					normalised: { country: 'Germany → DE', industry: 'computer-software → COMPUTER_SOFTWARE' },
					sent: {
						companyName: 'Acme Software GmbH',
						country: 'DE',
						industry: 'COMPUTER_SOFTWARE',
						contactPersons: 1,
						fields: [
							'partnerOrganizationId',
							'company.name',
							'company.tradeName',
							'company.country',
							'company.industry',
							'company.website',
							'company.expectedMonthlySpend',
							'contactPersons',
						],
					},
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(run.requests).toHaveBeenCalledTimes(1);
		expect(run.requests.mock.calls[0][0]).toBe('pliantApi');
		expect(run.requests.mock.calls[0][1]).toMatchObject({ method: 'POST', url: `${API}/leads`, json: true });
	});

	it('never puts secrets into the output', async () => {
		nock(ORIGIN).post('/api/leads').reply(201, CREATED);
		const output = await execute(fakeContext(leadParameters()));
		const text = JSON.stringify(output);
		expect(text).not.toContain(TOKEN);
		expect(text).not.toContain('unit-secret');
	});

	describe('duplicate (409 LEAD_ALREADY_EXISTS)', () => {
		it('Return Existing Lead (default): outputs the existing lead with duplicate: true', async () => {
			const scope = nock(ORIGIN).post('/api/leads').reply(409, CONFLICT);
			const output = await execute(fakeContext(leadParameters()));
			expect(scope.isDone()).toBe(true);
			expect(output).toHaveLength(1);
			expect(output[0].pairedItem).toEqual({ item: 0 });
			expect(output[0].json).toMatchObject({
				leadId: EXISTING_ID,
				status: null,
				createdAt: null,
				partnerOrganizationId: 'crm-4711',
				duplicate: true,
				sent: { companyName: 'Acme Software GmbH', contactPersons: 1 },
			});
		});

		it('Return Existing Lead keeps status and creation time when Pliant sends them', async () => {
			nock(ORIGIN)
				.post('/api/leads')
				.reply(409, { ...CONFLICT, status: 'ONBOARDING', createdAt: '2026-01-01T00:00:00Z' });
			const [item] = await execute(fakeContext(leadParameters({ options: { onDuplicate: 'returnExisting' } })));
			expect(item.json).toMatchObject({ leadId: EXISTING_ID, status: 'ONBOARDING', createdAt: '2026-01-01T00:00:00Z' });
		});

		it('Fail: stops with a NodeApiError naming the partner organization ID, the existing lead and the item', async () => {
			const scope = nock(ORIGIN).post('/api/leads').reply(409, CONFLICT);
			const run = fakeContext(leadParameters({ options: { onDuplicate: 'fail' } }));
			const error = await failure(execute(run));
			expect(scope.isDone()).toBe(true);
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(
				`A lead with Partner Organization ID "crm-4711" already exists at Pliant (lead ${EXISTING_ID}) [item 0]`,
			);
			expect((error as NodeApiError).description).toMatch(/Return Existing Lead/);
			expect((error as NodeApiError).httpCode).toBe('409');
			expect((error as NodeApiError).context.itemIndex).toBe(0);
			expect(run.requests).toHaveBeenCalledTimes(1);
		});

		it('Fail with Continue On Fail: an error item with pairedItem and the HTTP code', async () => {
			nock(ORIGIN).post('/api/leads').reply(409, CONFLICT);
			const output = await execute(
				fakeContext(leadParameters({ options: { onDuplicate: 'fail' } }), { continueOnFail: true }),
			);
			expect(output).toEqual([
				{
					json: expect.objectContaining({
						error: expect.stringContaining('already exists at Pliant'),
						httpCode: '409',
					}) as IDataObject,
					pairedItem: { item: 0 },
				},
			]);
		});

		it('another 409 (not a duplicate lead) is an error whatever On Duplicate says', async () => {
			nock(ORIGIN).post('/api/leads').reply(409, { code: 'ILLEGAL_STATUS_TRANSITION', message: 'no' });
			const error = await failure(execute(fakeContext(leadParameters())));
			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe('Pliant reported a conflict');
		});
	});

	describe('never sends a lead twice', () => {
		it('a 400 from Pliant is reported with its details, sent once', async () => {
			const scope = nock(ORIGIN)
				.post('/api/leads')
				.reply(400, {
					code: 'ILLEGAL_ARGUMENTS_PROVIDED',
					message: 'Invalid lead',
					details: [{ field: 'company.vatId', message: 'is not a valid VAT ID' }],
				});
			const run = fakeContext(leadParameters());
			const error = await failure(execute(run));
			expect(scope.isDone()).toBe(true);
			expect(error).toBeInstanceOf(NodeApiError);
			expect((error as NodeApiError).description).toContain('company.vatId: is not a valid VAT ID');
			expect(run.requests).toHaveBeenCalledTimes(1);
		});

		it('a 500 (Pliant may have stored the lead) is not retried', async () => {
			let posts = 0;
			// a second POST would find no mock, which useNock() reports
			nock(ORIGIN)
				.post('/api/leads')
				.reply(() => {
					posts++;
					return [500, { message: 'boom' }];
				});
			const error = await failure(execute(fakeContext(leadParameters())));
			expect(error).toBeInstanceOf(NodeApiError);
			expect(posts).toBe(1);
		});

		it('a connection reset after sending is not retried', async () => {
			let posts = 0;
			const scope = nock(ORIGIN)
				.post('/api/leads')
				.replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
			scope.on('request', () => posts++);
			const error = await failure(execute(fakeContext(leadParameters())));
			expect(error).toBeInstanceOf(NodeApiError);
			expect(posts).toBe(1);
		});

		it('a failed item under Continue On Fail is not sent again, and later items still go', async () => {
			const posts: string[] = [];
			nock(ORIGIN)
				.post('/api/leads')
				.times(3)
				.reply((_uri, body) => {
					const id = (body as IDataObject).partnerOrganizationId as string;
					posts.push(id);
					return id === 'b' ? [500, { message: 'boom' }] : [201, { ...CREATED, partnerOrganizationId: id }];
				});
			const output = await execute(
				fakeContext(leadParameters(), {
					perItem: [{ partnerOrganizationId: 'a' }, { partnerOrganizationId: 'b' }, { partnerOrganizationId: 'c' }],
					continueOnFail: true,
				}),
			);
			expect(posts.sort()).toEqual(['a', 'b', 'c']);
			expect(output.map((item) => [item.json.partnerOrganizationId ?? item.json.httpCode, item.pairedItem])).toEqual([
				['a', { item: 0 }],
				['500', { item: 1 }],
				['c', { item: 2 }],
			]);
		});
	});

	it('sends at most 4 items at once and outputs them in input order', async () => {
		let inFlight = 0;
		let maxInFlight = 0;
		nock(ORIGIN)
			.post('/api/leads')
			.times(20)
			.reply(async (_uri, body) => {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				const id = (body as IDataObject).partnerOrganizationId as string;
				// Answers take varying time, so completion order differs from input order.
				await sleep(id.endsWith('3') ? 15 : 2);
				inFlight--;
				return [201, { ...CREATED, leadId: `lead-${id}`, partnerOrganizationId: id }];
			});
		const perItem = Array.from({ length: 20 }, (_, index) => ({ partnerOrganizationId: `p${index}` }));
		const output = await execute(fakeContext(leadParameters(), { perItem }));
		expect(maxInFlight).toBeGreaterThan(1);
		expect(maxInFlight).toBeLessThanOrEqual(4);
		expect(output.map((item) => item.json.leadId)).toEqual(perItem.map((item) => `lead-${item.partnerOrganizationId}`));
		expect(output.map((item) => item.pairedItem)).toEqual(perItem.map((_, index) => ({ item: index })));
	});
});

describe('Pliant Create Lead: whole batches', () => {
	useNock();

	const five = [0, 1, 2, 3, 4].map((index) => ({
		partnerOrganizationId: `p${index}`,
		companyName: index === 0 ? '' : `Company ${index}`,
	}));

	/** Accepts exactly `count` leads (a further POST finds no mock, which useNock() reports). */
	function acceptAll(posts: string[], count: number) {
		nock(ORIGIN)
			.post('/api/leads')
			.times(count)
			.reply((_uri, body) => {
				const id = (body as IDataObject).partnerOrganizationId as string;
				posts.push(id);
				return [201, { ...CREATED, leadId: `lead-${id}`, partnerOrganizationId: id }];
			});
	}

	it('one invalid item of 5: nothing is sent, the error names the field and the item', async () => {
		// no mock: a lead sent anyway is a request useNock() reports
		const error = await failure(execute(fakeContext(leadParameters(), { perItem: five })));
		expect(error.message).toBe('Company Name is empty [item 0]');
	});

	it('with Continue On Fail: 4 leads and 1 error item, pairedItem on all 5', async () => {
		const posts: string[] = [];
		acceptAll(posts, 4);
		const output = await execute(fakeContext(leadParameters(), { perItem: five, continueOnFail: true }));
		expect(posts.sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
		expect(output.map((item) => item.pairedItem)).toEqual(five.map((_, index) => ({ item: index })));
		expect(output[0].json.error).toBe('Company Name is empty [item 0]');
		expect(output.slice(1).map((item) => item.json.leadId)).toEqual(['lead-p1', 'lead-p2', 'lead-p3', 'lead-p4']);
	});

	it('a 500 on item 3 of 6: the error lists the leads already created', async () => {
		const created: string[] = [];
		// 4 at a time: p4 and p5 go out only if a worker was free before p3's answer came back
		nock(ORIGIN)
			.persist()
			.post('/api/leads')
			.reply((_uri, body) => {
				const id = (body as IDataObject).partnerOrganizationId as string;
				if (id === 'p3') return [500, { code: 'INTERNAL_SERVER_ERROR', message: 'boom' }];
				created.push(id);
				return [201, { ...CREATED, leadId: `lead-${id}`, partnerOrganizationId: id }];
			});
		const perItem = Array.from({ length: 6 }, (_, index) => ({ partnerOrganizationId: `p${index}` }));
		const error = await failure(execute(fakeContext(leadParameters(), { perItem })));
		expect(error.message).toMatch(/^Pliant is unavailable right now \[item 3\]; leads already at Pliant/);
		expect(created.length).toBeGreaterThanOrEqual(3);
		for (const id of created) expect(error.message).toContain(`${id} → lead-${id}`);
		expect((error as NodeApiError).description).toContain('p0 → lead-p0');
	});

	it('reports every value it normalised, and only those', async () => {
		acceptAll([], 2);
		const output = await execute(
			fakeContext(leadParameters(), {
				perItem: [
					{ partnerOrganizationId: 'a', country: 'DEU', industry: 'computer software' },
					{ partnerOrganizationId: 'b', country: 'DE', industry: 'COMPUTER_SOFTWARE' },
				],
			}),
		);
		expect(output[0].json.normalised).toEqual({ country: 'DEU → DE', industry: 'computer software → COMPUTER_SOFTWARE' });
		expect(output[1].json.normalised).toBeUndefined();
	});

	it('a lost answer to the POST says the lead may exist and a re-run is safe, never "check the base URL"', async () => {
		nock(ORIGIN).post('/api/leads').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
		const error = await failure(execute(fakeContext(leadParameters())));
		expect(error.message).toMatch(/^Pliant may have created the lead for Partner Organization ID "crm-4711"/);
		expect(error.message).toMatch(/\[item 0\]$/);
		expect((error as NodeApiError).description).toMatch(/Running this item again is safe/);
	});
});
