import { mock } from 'jest-mock-extended';
import type { IExecuteFunctions, INode, Logger } from 'n8n-workflow';

import { MAX_ORGANIZATION_PAGES, readOrganizationPages } from '../../../../nodes/shared/onboarding/organization-pages';
import { pliantApiRequest } from '../../../../nodes/shared/http/transport';

jest.mock('../../../../nodes/shared/http/transport', () => ({
	...jest.requireActual('../../../../nodes/shared/http/transport'),
	pliantApiRequest: jest.fn(),
}));

const request = pliantApiRequest as unknown as jest.Mock;
const uuid = (n: number) => `b1f8e35c-c500-4bbf-aa20-${String(n).padStart(12, '0')}`;

function context() {
	const ctx = mock<IExecuteFunctions>();
	ctx.getNode.mockReturnValue({ name: 'Pliant', type: 'pliant', typeVersion: 1, position: [0, 0], parameters: {} } as INode);
	(ctx as { logger: Logger }).logger = mock<Logger>();
	return ctx;
}

beforeEach(() => request.mockReset());

describe('readOrganizationPages', () => {
	it('leaves out organizations whose ID is not a UUID, and says so', async () => {
		request.mockResolvedValueOnce({
			organizations: [{ organizationId: uuid(1) }, { organizationId: '../../leads' }, { organizationId: 42 }, {}],
			hasNextPage: false,
		});
		const ctx = context();
		const found = await readOrganizationPages.call(ctx, { wanted: Infinity, pageSize: 1000 });
		expect(found.map((o) => o.organizationId)).toEqual([uuid(1)]);
		expect(ctx.logger.warn).toHaveBeenCalledWith(expect.stringContaining('3 organization(s) without a valid organizationId'));
	});

	it(`stops after ${MAX_ORGANIZATION_PAGES} pages of a server that always says there is more, with a clear error`, async () => {
		let n = 0;
		request.mockImplementation(async () => ({ organizations: [{ organizationId: uuid(++n) }], hasNextPage: true }));
		await expect(readOrganizationPages.call(context(), { wanted: Infinity, pageSize: 1 })).rejects.toThrow(
			`Pliant still reported more organizations after ${MAX_ORGANIZATION_PAGES} pages (${MAX_ORGANIZATION_PAGES} kept); stopped reading`,
		);
		expect(request).toHaveBeenCalledTimes(MAX_ORGANIZATION_PAGES);
	});
});
