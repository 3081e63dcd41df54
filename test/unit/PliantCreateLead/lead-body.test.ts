import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PliantCreateLead } from '../../../nodes/PliantCreateLead/PliantCreateLead.node';
import { summariseLead } from '../../../nodes/PliantCreateLead/create-lead';
import { buildLeadBody, type LeadInput } from '../../../nodes/PliantCreateLead/lead-body';
import { nodeFor } from '../../support/fake-execute-context';
import {
	CONTRACT_LEAD,
	CONTRACT_LEAD_ADDITIONAL_FIELDS,
	CONTRACT_LEAD_REQUIRED,
} from '../../support/fixtures';

const NODE = nodeFor(new PliantCreateLead());

/** The contract example's required fields, no contact persons, and `additionalFields`. */
function input(overrides: Partial<LeadInput> = {}, additionalFields: IDataObject = {}): LeadInput {
	return {
		companyName: CONTRACT_LEAD.company.name,
		country: CONTRACT_LEAD.company.country,
		industry: CONTRACT_LEAD.company.industry,
		partnerOrganizationId: CONTRACT_LEAD.partnerOrganizationId,
		contactPersons: [],
		additionalFields,
		...overrides,
	};
}

function build(overrides: Partial<LeadInput> = {}, additionalFields: IDataObject = {}, itemIndex = 0) {
	return buildLeadBody(input(overrides, additionalFields), NODE, itemIndex).body;
}

function company(additionalFields: IDataObject) {
	return build({}, additionalFields).company;
}

describe('buildLeadBody: mapping', () => {
	it('maps every field of the node to the contract body (the contract example)', () => {
		const body = build({ contactPersons: CONTRACT_LEAD.contactPersons }, CONTRACT_LEAD_ADDITIONAL_FIELDS);
		expect(body).toEqual(CONTRACT_LEAD);
		// The contract's field order, so the emulator's ledger reads like the contract.
		expect(Object.keys(body)).toEqual(Object.keys(CONTRACT_LEAD));
		expect(Object.keys(body.company)).toEqual(Object.keys(CONTRACT_LEAD.company));
	});

	it('sends only the required fields when nothing else is filled', () => {
		expect(build()).toEqual(CONTRACT_LEAD_REQUIRED);
	});

	it('omits empty optional strings instead of sending ""', () => {
		const body = build(
			{ contactPersons: [{ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.example', phoneNumber: '', role: '  ' }] },
			{
				tradeName: '',
				legalForm: ' ',
				website: '',
				vatId: '',
				nationalRegisterId: '',
				nationalRegisterCourt: '',
				notes: '   ',
				numberOfEmployees: '',
				expectedMonthlySpend: '',
				address: { addressFields: { street: '', postalCode: '', city: '', country: '' } },
			},
		);
		expect(body).toEqual({
			...CONTRACT_LEAD_REQUIRED,
			contactPersons: [{ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.example', isPrimary: false }],
		});
		expect(JSON.stringify(body)).not.toContain('""');
	});

	it('trims text and accepts numeric IDs from expressions', () => {
		const body = build({ companyName: '  Acme  ', partnerOrganizationId: 4711 }, { tradeName: ' Acme ' });
		expect(body.company.name).toBe('Acme');
		expect(body.company.tradeName).toBe('Acme');
		expect(body.partnerOrganizationId).toBe('4711');
	});

	it('normalises mapped country and industry spellings to the contract values', () => {
		const body = build(
			{ country: 'Deutschland', industry: 'Computer Software' },
			{ address: { addressFields: { city: 'Prague', country: 'Czech Republic' } } },
		);
		expect(body.company.country).toBe('DE');
		expect(body.company.industry).toBe('COMPUTER_SOFTWARE');
		expect(body.company.address).toEqual({ city: 'Prague', country: 'CZ' });
	});

	it('fills the address country from the company when left at "Same as Company Country"', () => {
		expect(company({ address: { addressFields: { street: 'Ring 1', city: 'Wien', country: '' } } }).address).toEqual({
			street: 'Ring 1',
			city: 'Wien',
			country: 'DE',
		});
		expect(
			build({ country: 'AT' }, { address: { addressFields: { city: 'Wien' } } }).company.address,
		).toEqual({ city: 'Wien', country: 'AT' });
		expect(company({ address: {} }).address).toBeUndefined();
	});

	it.each([
		[0, 0],
		[19.99, 1999],
		[0.1, 10],
		[0.29, 29],
		[1.005, 101],
		[0.1 + 0.2, 30],
		[25000, 2500000],
		[1234567.89, 123456789],
		[4.35, 435],
		[8.2, 820],
		[0.015, 2],
		[0.0049, 0],
		[1e-7, 0],
		['19.99', 1999],
		[' 250.5 ', 25050],
		['.5', 50],
		['7.', 700],
		['+12', 1200],
		['-0', 0],
		['0019.90', 1990],
		[9999999999999.99, 999999999999999],
	])('expected monthly spend %p EUR → %p cents, exactly', (euros, cents) => {
		const spend = company({ expectedMonthlySpend: euros }).expectedMonthlySpend;
		expect(spend).toEqual({ value: cents, currency: 'EUR' });
		expect(Number.isInteger(spend?.value)).toBe(true);
	});

	it.each([
		[0, 0],
		[120, 120],
		['45', 45],
		[' 7 ', 7],
	])('number of employees %p → %p', (value, expected) => {
		expect(company({ numberOfEmployees: value }).numberOfEmployees).toBe(expected);
	});

	it.each([
		['https://acme.example', 'https://acme.example'],
		['http://acme.example/about?x=1', 'http://acme.example/about?x=1'],
		['acme.example', 'https://acme.example'],
		['www.acme.de', 'https://www.acme.de'],
		['  HTTPS://Acme.Example  ', 'HTTPS://Acme.Example'],
		['münchen-gmbh.de', 'https://münchen-gmbh.de'],
	])('website %p is sent as %p', (website, expected) => {
		expect(company({ website }).website).toBe(expected);
	});

	it('accepts a trade name of exactly 20 characters, counted as characters (not bytes)', () => {
		expect(company({ tradeName: 'A'.repeat(20) }).tradeName).toHaveLength(20);
		expect(company({ tradeName: 'Müller & Söhne Kärnt' }).tradeName).toBe('Müller & Söhne Kärnt');
	});

	it('maps contact persons, booleans from expressions and skips rows whose mapped values are all empty', () => {
		const body = build({
			contactPersons: [
				{ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.example', isPrimary: 'true' },
				{ firstName: '', lastName: '', email: '', phoneNumber: '', role: '', isPrimary: false },
				{ firstName: 'Grace', lastName: 'Hopper', email: 'Grace.Hopper@Acme.Example', role: 'CEO', isPrimary: 'false' },
				{ firstName: 'Alan', lastName: 'Turing', email: 'alan+pliant@acme.co.uk', phoneNumber: '+44 (20) 7946-0958' },
			],
		});
		expect(body.contactPersons).toEqual([
			{ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.example', isPrimary: true },
			{ firstName: 'Grace', lastName: 'Hopper', email: 'Grace.Hopper@Acme.Example', role: 'CEO', isPrimary: false },
			{
				firstName: 'Alan',
				lastName: 'Turing',
				email: 'alan+pliant@acme.co.uk',
				phoneNumber: '+44 (20) 7946-0958',
				isPrimary: false,
			},
		]);
	});

	it('accepts a single contact person object (a mapped expression) as well as a list', () => {
		const body = build({ contactPersons: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.example' } });
		expect(body.contactPersons).toHaveLength(1);
	});

	it('maps demo conducted by partner, true or false, and leaves it out when not set', () => {
		expect(build({}, { demoConductedByPartner: true }).demoConductedByPartner).toBe(true);
		expect(build({}, { demoConductedByPartner: 'false' }).demoConductedByPartner).toBe(false);
		expect(build()).not.toHaveProperty('demoConductedByPartner');
	});

	it('names the item in a validation error, with itemIndex and a description', () => {
		let caught: unknown;
		try {
			build({ companyName: '' }, {}, 7);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(NodeOperationError);
		const error = caught as NodeOperationError;
		expect(error.message).toBe('Company Name is empty [item 7]');
		expect(error.context.itemIndex).toBe(7);
		expect(error.description).toMatch(/legal name/);
	});
});

describe('summariseLead', () => {
	it('summarises what was sent without repeating the body', () => {
		const body = build(
			{ contactPersons: [{ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.example' }] },
			{ tradeName: 'Acme', notes: 'x'.repeat(5000) },
		);
		const summary = summariseLead(body);
		expect(summary).toEqual({
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
				'contactPersons',
				'notes',
			],
		});
		expect(JSON.stringify(summary).length).toBeLessThan(400);
	});
});
