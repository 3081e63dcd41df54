import { leadForAgent, leadHints } from '../../../nodes/PliantCreateLead/tool-output';

describe("Create Lead's own outcome hints", () => {
	it('say how many leads already existed and how many had values normalised, with an example', () => {
		expect(
			leadHints([
				{ leadId: 'a', duplicate: true },
				{ leadId: 'b', duplicate: false, normalised: { country: 'Germany → DE' } },
				{ leadId: 'c', duplicate: true },
			]),
		).toEqual([
			'2 of 3 leads already existed at Pliant: returned as existing (duplicate: true)',
			'1 of 3 leads had values normalised (see normalised), e.g. country: Germany → DE',
		]);
	});

	it('say nothing when every lead was new and sent as mapped', () => {
		expect(leadHints([{ leadId: 'a', duplicate: false }])).toEqual([]);
	});
});

describe('Create Lead for an agent', () => {
	it('keeps the IDs, status, duplicate flag and normalisations, and says what happened', () => {
		expect(
			leadForAgent({ leadId: 'a', status: 'RECEIVED', partnerOrganizationId: 'crm-1', duplicate: true, sent: { fields: [] } }),
		).toEqual({
			leadId: 'a',
			status: 'RECEIVED',
			partnerOrganizationId: 'crm-1',
			duplicate: true,
			message: expect.stringMatching(/already existed at Pliant: this is that lead, no new lead was created/),
		});
	});
});
