import nock from 'nock';

import { PliantOnboardingStatus } from '../../../../nodes/PliantOnboardingStatus/PliantOnboardingStatus.node';
import { useNock } from '../../../support/nock';
import { API, execute, fakeContextFor } from '../../../support/fake-execute-context';

const fakeContext = fakeContextFor(PliantOnboardingStatus);

describe('Get Many: every parameter checked before the first request', () => {
	useNock();

	it.each([['0'], ['-3'], ['2.5'], ['many'], [''], [true]])(
		'an invalid Limit (%p) on item 1 of 3 stops the run before any request',
		async (limit) => {
			const run = fakeContext({ operation: 'getMany', returnAll: false, limit: 5 }, { perItem: [{}, { limit }, {}] });
			await expect(execute(run)).rejects.toThrow(/^Limit ".*" is not a whole number of at least 1 \[item 1\]$/);
			expect(run.requests).not.toHaveBeenCalled();
		},
	);

	it('under Continue On Fail the invalid item is an error item and the valid ones are read', async () => {
		nock(API).get('/organizations').query(true).times(2).reply(200, { organizations: [], hasNextPage: false });
		const run = fakeContext(
			{ operation: 'getMany', returnAll: false, limit: 5 },
			{ perItem: [{}, { limit: 'many' }, {}], continueOnFail: true },
		);
		const output = await execute(run);
		expect(output.map((item) => [item.pairedItem, Boolean(item.json.error)])).toEqual([[{ item: 1 }, true]]);
		expect(run.requests).toHaveBeenCalledTimes(2);
	});
});
