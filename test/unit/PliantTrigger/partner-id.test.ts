import { mock } from 'jest-mock-extended';
import type { IDataObject, IWebhookFunctions, Logger } from 'n8n-workflow';

import { PATHS } from '../../../nodes/shared/contract';
import { pliantApiRequest } from '../../../nodes/shared/http/transport';
import { partnerIdForVerified } from '../../../nodes/PliantTrigger/partner-id';
import { forgetProcessMemory } from '../../support/process-memory';

jest.mock('../../../nodes/shared/http/transport', () => ({
	...jest.requireActual('../../../nodes/shared/http/transport'),
	pliantApiRequest: jest.fn(),
}));

const request = pliantApiRequest as unknown as jest.Mock;
const ORG = 'b1f8e35c-c500-4bbf-aa20-3dc14b83ff19';
const NODE = { id: 'n1', name: 'Pliant Trigger', type: 'pliantTrigger', typeVersion: 1, position: [0, 0] as [number, number], parameters: {}, credentials: { pliantApi: { id: 'cred-1', name: 'Pliant' } } };

let staticData: IDataObject;
let logger: Logger;
let clientId: string;

function context(): IWebhookFunctions {
	const ctx = mock<IWebhookFunctions>();
	(ctx as { logger: Logger }).logger = logger;
	ctx.getWorkflowStaticData.mockReturnValue(staticData);
	ctx.getCredentials.mockImplementation(async () => ({ environment: 'custom', baseUrl: 'https://pliant.test/api', clientId }));
	return ctx;
}

beforeEach(() => {
	forgetProcessMemory();
	staticData = {};
	logger = mock<Logger>();
	clientId = 'client-a';
	request.mockReset();
	request.mockImplementation(async (options: { path: string }) => {
		if (options.path !== PATHS.organization(ORG)) throw new Error(`unexpected ${options.path}`);
		return { organizationId: ORG, partnersOrganizationId: `crm-of-${clientId}` };
	});
});

describe('partnerIdForVerified', () => {
	it("takes the signed body's ID and keeps it for the organization's later events, in the process and the node's static data", async () => {
		const added = { eventType: 'ORGANIZATION_ADDED', organizationId: ORG, partnerOrganizationId: 'crm-signed' };
		expect(await partnerIdForVerified.call(context(), NODE, added)).toBe('crm-signed');
		expect(await partnerIdForVerified.call(context(), NODE, { eventType: 'AUTHORIZATION_PENDING', organizationId: ORG })).toBe('crm-signed');
		expect(request).not.toHaveBeenCalled();
		expect(JSON.stringify(staticData)).toContain('crm-signed');
	});

	it("asks Pliant through the node's credential when nothing is known, and logs nothing when it answers", async () => {
		expect(await partnerIdForVerified.call(context(), NODE, { eventType: 'AUTHORIZATION_PENDING', organizationId: ORG })).toBe('crm-of-client-a');
		expect(request).toHaveBeenCalledTimes(1);
		expect(logger.warn).not.toHaveBeenCalled();
	});

	it('logs why the ID is null when the event names no organization', async () => {
		expect(await partnerIdForVerified.call(context(), NODE, { eventType: 'AUTHORIZATION_PENDING' })).toBeNull();
		expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('partnerOrganizationId is null for organization (none)'));
		expect(request).not.toHaveBeenCalled();
	});
});
