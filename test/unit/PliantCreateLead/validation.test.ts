import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PliantCreateLead } from '../../../nodes/PliantCreateLead/PliantCreateLead.node';
import { execute, fakeContextFor, ORIGIN } from '../../support/fake-execute-context';
import { leadParameters } from '../../support/fixtures';
import { useNock } from '../../support/nock';
import { MALFORMED } from '../../support/invalid-leads';

const fakeContext = fakeContextFor(PliantCreateLead);

describe('validation: a malformed item fails with field and item named, and nothing is sent', () => {
	useNock();

	it('has at least 40 malformed inputs', () => {
		expect(MALFORMED.length).toBeGreaterThanOrEqual(40);
	});

	it.each(MALFORMED)('%s: stops the run with a NodeOperationError', async (_what, overrides, message) => {
		const run = fakeContext(leadParameters(overrides));
		const error = await execute(run).then(
			() => undefined,
			(thrown: unknown) => thrown,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		const nodeError = error as NodeOperationError;
		expect(nodeError.message).toMatch(message);
		expect(nodeError.message).toMatch(/ \[item 0\]$/);
		expect(nodeError.context.itemIndex).toBe(0);
		expect(nodeError.description).toEqual(expect.any(String));
		expect(String(nodeError.description).length).toBeGreaterThan(10);
		expect(run.requests).not.toHaveBeenCalled();
	});

	it.each(MALFORMED)('%s: with Continue On Fail, each item becomes an error item', async (_what, overrides, message) => {
		const run = fakeContext(leadParameters(overrides), { items: 3, continueOnFail: true });
		const output = await execute(run);
		expect(output).toHaveLength(3);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(String(item.json.error)).toMatch(message);
			expect(String(item.json.error)).toMatch(new RegExp(` \\[item ${index}\\]$`));
			expect(item.json.description).toEqual(expect.any(String));
		});
		expect(run.requests).not.toHaveBeenCalled();
	});

	it('sends the valid items and only those when one item in the middle is malformed', async () => {
		const sent: string[] = [];
		nock(ORIGIN)
			.post('/api/leads')
			.times(2)
			.reply((_uri, body) => {
				sent.push(String((body as IDataObject).partnerOrganizationId));
				return [201, { leadId: 'never', status: 'RECEIVED', createdAt: '2026-01-01T00:00:00Z' }];
			});
		const run = fakeContext(leadParameters(), {
			perItem: [{ partnerOrganizationId: 'a' }, { partnerOrganizationId: 'b', country: 'Atlantis' }, { partnerOrganizationId: 'c' }],
			continueOnFail: true,
		});
		const output = await execute(run);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[0].json.leadId).toBe('never');
		expect(String(output[1].json.error)).toMatch(/^Country "Atlantis" .* \[item 1\]$/);
		expect(output[2].json.leadId).toBe('never');
		expect(sent.sort()).toEqual(['a', 'c']);
		const sentIds = run.requests.mock.calls.map(([, request]) => (request.body as IDataObject).partnerOrganizationId);
		expect(sentIds.sort()).toEqual(['a', 'c']);
	});
});
