import nock from 'nock';

import { PliantOnboardingStatus } from '../../../nodes/PliantOnboardingStatus/PliantOnboardingStatus.node';
import { useNock } from '../../support/nock';
import { API, execute, fakeContextFor } from '../../support/fake-execute-context';

const fakeContext = fakeContextFor(PliantOnboardingStatus);
const byPartnerId = { mode: 'partnerOrganizationId', value: 'crm-new' };
const NONE = { organizations: [], hasNextPage: false };

describe('"Not found" as data (If Partner ID Not Found)', () => {
	useNock();

	it.each(['get', 'getOnboardingDetails'])('%s: Output Not Found Item gives {found: false} and reads nothing more', async (operation) => {
		const lookup = nock(API).get('/organizations').query(true).reply(200, NONE);
		const [item] = await execute(
			fakeContext({ operation, organizationId: byPartnerId, options: { partnerIdNotFound: 'output' } }),
		);
		expect(item.json).toEqual({
			partnerOrganizationId: 'crm-new',
			found: false,
			message: expect.stringMatching(/No Pliant organization has partner organization ID "crm-new" yet/),
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(lookup.isDone()).toBe(true);
	});

	it.each(['get', 'getOnboardingDetails'])('%s: failing stays the default', async (operation) => {
		nock(API).get('/organizations').query(true).reply(200, NONE);
		await expect(execute(fakeContext({ operation, organizationId: byPartnerId }))).rejects.toThrow(
			/^No Pliant organization has partner organization ID "crm-new" \[item 0\]$/,
		);
	});

	it('never for Activate Authorization: the operation has no such option, and a missing organization fails', async () => {
		const activate = new PliantOnboardingStatus().description.properties.filter((property) =>
			property.displayOptions?.show?.operation?.includes('activateAuthorization'),
		);
		const names = activate.flatMap((property) => [property.name, ...((property.options ?? []) as Array<{ name: string }>).map((o) => o.name)]);
		expect(names).not.toContain('partnerIdNotFound');

		nock(API).get('/organizations').query(true).reply(200, NONE);
		const run = fakeContext({
			operation: 'activateAuthorization',
			organizationId: byPartnerId,
			options: { partnerIdNotFound: 'output' },
		});
		await expect(execute(run)).rejects.toThrow(/No Pliant organization has partner organization ID "crm-new"/);
	});

	it('an unknown value of the option fails before any request', async () => {
		const run = fakeContext({ operation: 'get', organizationId: byPartnerId, options: { partnerIdNotFound: 'skip' } });
		await expect(execute(run)).rejects.toThrow(/^Unknown If Partner ID Not Found option "skip" \[item 0\]$/);
		expect(run.requests).not.toHaveBeenCalled();
	});
});
