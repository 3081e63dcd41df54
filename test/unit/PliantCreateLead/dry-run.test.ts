import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PliantCreateLead } from '../../../nodes/PliantCreateLead/PliantCreateLead.node';
import { buildLeadBody, type LeadInput } from '../../../nodes/PliantCreateLead/lead-body';
import { useNock } from '../../support/nock';
import { execute, fakeContextFor, nodeFor, type FakeRun } from '../../support/fake-execute-context';
import { CONTRACT_LEAD, leadParameters } from '../../support/fixtures';
import { MALFORMED } from '../../support/invalid-leads';

const fakeContext = fakeContextFor(PliantCreateLead);

/** Every MALFORMED row's overrides, with Dry Run kept on where a row sets its own Options. */
function dryRow(overrides: IDataObject): IDataObject {
	const options = overrides.options as IDataObject | undefined;
	return options ? { ...overrides, options: { ...options, dryRun: true } } : overrides;
}

function dryRun(perItem: IDataObject[], continueOnFail = false, overrides: IDataObject = {}): FakeRun {
	return fakeContext(leadParameters({ options: { dryRun: true }, ...overrides }), { perItem, continueOnFail });
}

function toErrorOutput(run: FakeRun): FakeRun {
	run.context.getNode().onError = 'continueErrorOutput';
	return run;
}

describe('Dry Run', () => {
	useNock();
	// no mock answers a POST: any request a dry run sent fails the test through useNock()

	it('over every kind of invalid lead: one item per row, each naming its field and its item; nothing sent', async () => {
		const rows = [{}, ...MALFORMED.map(([, overrides]) => dryRow(overrides))];
		const run = dryRun(rows);
		const output = await execute(run);
		expect(output).toHaveLength(rows.length);
		expect(output.map((item) => item.pairedItem)).toEqual(rows.map((_, item) => ({ item })));
		expect(output[0].json).toMatchObject({ dryRun: true, valid: true });
		MALFORMED.forEach(([what, , message], index) => {
			const { json } = output[index + 1];
			const problems = json.problems as string[];
			expect({ what, problems }).toEqual({ what, problems: [expect.stringMatching(message)] });
			expect(String(json.error)).toContain(problems[0]);
			expect(String(json.error)).toMatch(new RegExp(` \\[item ${index + 1}\\]$`));
		});
		expect(run.requests).not.toHaveBeenCalled();
	});

	it('lists every problem of a row, not only the first, each naming its field', async () => {
		const row = {
			companyName: '',
			country: 'Narnia',
			industry: '',
			contactPersons: { contactPerson: [{ firstName: '', lastName: 'Lovelace', email: 'nope', phoneNumber: 'call me' }] },
			additionalFields: { website: 'not a website', numberOfEmployees: -1 },
			options: { dryRun: true, timeout: 'soon' },
		};
		const [item] = await execute(dryRun([row]));
		expect(item.json.problems).toEqual([
			'Company Name is empty',
			expect.stringMatching(/^Country "Narnia" is not a country Pliant accepts/),
			'Industry is empty',
			'First Name of contact person 1 is empty',
			'Invalid email "nope" in contact person 1',
			'Invalid phone number "call me" in contact person 1',
			'Invalid website URL "not a website"',
			'Number of Employees must be a whole number of 0 or more, not "-1"',
			'Timeout must be a number of seconds above 0, not "soon"',
		]);
		expect(String(item.json.error)).toMatch(/^Lead not valid, 9 problems: Company Name is empty; .* \[item 0\]$/);
		expect(item.json.description).toMatch(/^Dry Run: nothing was sent\./);
	});

	it('a valid row shows the exact body that would be sent, what was normalised and why', async () => {
		const row = { country: 'DEU', industry: 'computer software', additionalFields: { website: 'acme.example' } };
		const [item] = await execute(dryRun([row]));
		const input = { ...leadParameters(row), contactPersons: CONTRACT_LEAD.contactPersons } as unknown as LeadInput;
		const { body } = buildLeadBody(input, nodeFor(new PliantCreateLead()), 0);
		expect(item.json).toEqual({
			dryRun: true,
			valid: true,
			partnerOrganizationId: CONTRACT_LEAD.partnerOrganizationId,
			body,
			normalised: {
				country: 'DEU → DE',
				industry: 'computer software → COMPUTER_SOFTWARE',
				website: 'acme.example → https://acme.example',
			},
			whyNormalised: {
				country: expect.stringMatching(/ISO 3166-1 alpha-2/),
				industry: expect.stringMatching(/industry values/),
				website: expect.stringMatching(/https:\/\//),
			},
		});
		expect(body.company.website).toBe('https://acme.example');
	});

	it('never stops on input; with the error output the invalid rows carry the error, the valid ones do not', async () => {
		const rows = [{}, { industry: 'Fintech' }, {}];
		const stopping = await execute(dryRun(rows));
		expect(stopping.map((item) => Boolean(item.json.error))).toEqual([false, true, false]);
		expect(stopping.map((item) => item.error)).toEqual([undefined, undefined, undefined]);

		const routed = await execute(toErrorOutput(dryRun(rows, true)));
		expect(routed.map((item) => item.error === undefined)).toEqual([true, false, true]);
		expect(routed[1].error).toBeInstanceOf(NodeOperationError);
		expect(routed[1].pairedItem).toEqual({ item: 1 });
	});

	it('is off by default: the same invalid row stops a normal run at its first problem', async () => {
		const run = fakeContext(leadParameters({ companyName: '', industry: '' }));
		await expect(execute(run)).rejects.toThrow(/^Company Name is empty \[item 0\]$/);
	});
});
