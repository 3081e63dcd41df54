import { NodeOperationError } from 'n8n-workflow';
import nock from 'nock';

import { isOrganizationId } from '../../../nodes/PliantOnboardingStatus/organization-id';
import { toIsoDate } from '../../../nodes/PliantOnboardingStatus/sync-from-date';
import { PliantOnboardingStatus } from '../../../nodes/PliantOnboardingStatus/PliantOnboardingStatus.node';
import { API, execute, fakeContextFor } from '../../support/fake-execute-context';
import { ORG_ID } from '../../support/fixtures';
import { useNock } from '../../support/nock';

const fakeContext = fakeContextFor(PliantOnboardingStatus);

describe('isOrganizationId', () => {
	it.each([ORG_ID, ORG_ID.toUpperCase(), '00000000-0000-0000-0000-000000000000'])(
		'accepts %s',
		(id) => {
			expect(isOrganizationId(id)).toBe(true);
		},
	);

	it.each([
		'crm-4711',
		'b1f8e35c-c500-4bbf-aa20-3dc14b83ff1',
		'b1f8e35c-c500-4bbf-aa20-3dc14b83ff199',
		'b1f8e35cc5004bbfaa203dc14b83ff19',
		'g1f8e35c-c500-4bbf-aa20-3dc14b83ff19',
		`${ORG_ID}/risk`,
		'../organizations',
		`{${ORG_ID}}`,
	])('rejects %s', (id) => {
		expect(isOrganizationId(id)).toBe(false);
	});
});

describe('toIsoDate', () => {
	it.each([
		['2026-01-01', '2026-01-01'],
		['2026-01-01T00:00:00', '2026-01-01'],
		// the date as written, not moved to UTC
		['2026-01-01T00:30:00+02:00', '2026-01-01'],
		['2026-01-31T23:59:59.123456789Z', '2026-01-31'],
		['  2024-02-29 ', '2024-02-29'],
		[new Date('2026-03-04T12:00:00Z'), '2026-03-04'],
		[{ toISODate: () => '2026-05-06' }, '2026-05-06'],
	])('reads %p as %s', (input, expected) => {
		expect(toIsoDate(input)).toBe(expected);
	});

	it.each([
		'2026-02-30',
		'2025-02-29',
		'2026-13-01',
		'2026-1-1',
		'01.02.2026',
		'yesterday',
		'2026-01-01X',
		new Date('not a date'),
		20260101,
		true,
		{},
	])('rejects %p', (input) => {
		expect(toIsoDate(input)).toBeUndefined();
	});
});

// No mock answers these: a request sent anyway is one useNock() reports.
describe('validation before any request', () => {
	useNock();

	it.each([
		['get', ''],
		['get', '   '],
		['getOnboardingDetails', ''],
		['activateAuthorization', ''],
	])(
		'%s with an empty Organization ID fails naming the field and the item',
		async (operation, id) => {
			const run = fakeContext({ operation, organizationId: id });
			const error = await execute(run).catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(NodeOperationError);
			expect((error as NodeOperationError).message).toBe('Organization ID is empty [item 0]');
			expect((error as NodeOperationError).description).toContain('{{ $json.organizationId }}');
			expect((error as NodeOperationError).context.itemIndex).toBe(0);
			expect(run.requests).not.toHaveBeenCalled();
		},
	);

	it('treats an expression that resolved to undefined or null as empty', async () => {
		for (const organizationId of [undefined, null]) {
			const run = fakeContext({ operation: 'get' }, { perItem: [{ organizationId }] });
			await expect(execute(run)).rejects.toThrow('Organization ID is empty [item 0]');
			expect(run.requests).not.toHaveBeenCalled();
		}
	});

	it.each(['get', 'getOnboardingDetails', 'activateAuthorization'])(
		'%s with a non-UUID fails naming the field, the value and the item',
		async (operation) => {
			const run = fakeContext(
				{ operation },
				{ perItem: [{ organizationId: ORG_ID }, { organizationId: 'crm-4711' }] },
			);
			const error = (await execute(run).catch((caught: unknown) => caught)) as NodeOperationError;
			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(
				'Organization ID "crm-4711" is not a valid Pliant organization ID [item 1]',
			);
			expect(error.description).toContain('Partner Organization ID filter');
			expect(error.context.itemIndex).toBe(1);
			// the whole batch is checked before anything is sent: item 0 is not sent either
			expect(run.requests).not.toHaveBeenCalled();
		},
	);

	it('never sends a path built from an ID with slashes', async () => {
		const run = fakeContext({ operation: 'get', organizationId: `${ORG_ID}/../../subscriptions` });
		await expect(execute(run)).rejects.toThrow(/is not a valid Pliant organization ID \[item 0\]/);
		expect(run.requests).not.toHaveBeenCalled();
	});

	it('shortens a very long value in the message', async () => {
		const run = fakeContext({ operation: 'get', organizationId: 'x'.repeat(500) });
		const error = (await execute(run).catch((caught: unknown) => caught)) as Error;
		expect(error.message.length).toBeLessThan(150);
	});

	it('activateAuthorization with a bad Sync From Date fails naming the field and the item, nothing sent', async () => {
		const run = fakeContext({
			operation: 'activateAuthorization',
			organizationId: ORG_ID,
			additionalFields: { syncFromDate: '2026-02-30' },
		});
		const error = (await execute(run).catch((caught: unknown) => caught)) as NodeOperationError;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('Sync From Date "2026-02-30" is not a valid date [item 0]');
		expect(error.context.itemIndex).toBe(0);
		expect(run.requests).not.toHaveBeenCalled();
	});

	it('under Continue On Fail, an invalid item becomes an error item and the others go on', async () => {
		const scope = nock(API)
			.get(`/organizations/${ORG_ID}`)
			.times(2)
			.reply(200, { organizationId: ORG_ID, name: 'Acme', status: 'ACTIVE' });
		const run = fakeContext(
			{ operation: 'get', simplify: true },
			{
				perItem: [
					{ organizationId: ORG_ID },
					{ organizationId: 'nope' },
					{ organizationId: ORG_ID },
				],
				continueOnFail: true,
			},
		);
		const output = await execute(run);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json).toMatchObject({ organizationId: ORG_ID, stage: 'Active' });
		expect(output[1].json).toEqual({
			error: 'Organization ID "nope" is not a valid Pliant organization ID [item 1]',
			description: expect.stringContaining('UUIDs'),
		});
		expect(output[2].json).toMatchObject({ organizationId: ORG_ID });
		expect(run.requests).toHaveBeenCalledTimes(2);
		expect(scope.isDone()).toBe(true);
	});
});
