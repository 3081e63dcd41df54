import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import {
	CURRENCY,
	LEAD_LIMITS,
	type LeadAddress,
	type LeadCompany,
	type LeadContactPerson,
	type LeadRequest,
} from '../shared/contract';
import { FieldReader } from '../shared/fields/readers';
import { shorten } from '../shared/text';
import { COUNTRY_TABLE, INDUSTRY_TABLE } from './normalise';

/** A lead ready to send, and every mapped value that was rewritten to Pliant's spelling. */
export interface BuiltLead {
	body: LeadRequest;
	/** e.g. { country: "DEU → DE" }; empty when every value was sent as mapped. */
	normalised: Record<string, string>;
}

/** One item's parameters as n8n hands them over: expressions resolved, nothing checked yet. */
export interface LeadInput {
	companyName: unknown;
	country: unknown;
	industry: unknown;
	partnerOrganizationId: unknown;
	contactPersons: unknown;
	additionalFields: IDataObject;
}

export function readLeadInput(this: IExecuteFunctions, itemIndex: number): LeadInput {
	return {
		companyName: this.getNodeParameter('companyName', itemIndex, ''),
		country: this.getNodeParameter('country', itemIndex, ''),
		industry: this.getNodeParameter('industry', itemIndex, ''),
		partnerOrganizationId: this.getNodeParameter('partnerOrganizationId', itemIndex, ''),
		contactPersons: this.getNodeParameter('contactPersons.contactPerson', itemIndex, []),
		additionalFields: this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject,
	};
}

/** The contract body of one lead, from values the reader has checked; empty optional values left out. */
/** Checks in the order the fields appear in the node, builds in the contract's order. */
function assemble(read: FieldReader, input: LeadInput): LeadRequest {
	const extra = input.additionalFields ?? {};
	const name = read.required(
		input.companyName,
		'Company Name',
		"Enter the company's legal name, or map a field that is filled for every item.",
	);
	const country = read.oneOf(input.country, COUNTRY_TABLE, 'Country', 'country');
	const industry = read.oneOf(input.industry, INDUSTRY_TABLE, 'Industry', 'industry');
	const partnerOrganizationId = read.required(
		input.partnerOrganizationId,
		'Partner Organization ID',
		"Map your CRM's ID for this company, e.g. {{ $json.id }}; Pliant sends it back in every callback.",
	);
	const contactPersons = readContactPersons(read, input.contactPersons);

	const tradeName = readTradeName(read, extra.tradeName);
	const texts: Array<[string, string]> = [
		['legalForm', 'Legal Form'],
		['vatId', 'VAT ID'],
		['nationalRegisterId', 'National Register ID'],
		['nationalRegisterCourt', 'National Register Court'],
	];
	const optional: IDataObject = { tradeName };
	for (const [key, field] of texts) optional[key] = read.text(extra[key], field);
	optional.website = read.website(extra.website);
	const employees = read.count(extra.numberOfEmployees, 'Number of Employees');
	const spend = read.cents(extra.expectedMonthlySpend, 'Expected Monthly Spend (EUR)');
	const address = readAddress(read, extra.address, country);
	const demo = read.flag(extra.demoConductedByPartner, 'Demo Conducted by Partner');
	const notes = read.text(extra.notes, 'Notes');

	// Empty optional values are left out, never sent as "".
	const ordered: Array<[keyof LeadCompany, unknown]> = [
		['name', name],
		['tradeName', optional.tradeName],
		['legalForm', optional.legalForm],
		['country', country],
		['industry', industry],
		['website', optional.website],
		['vatId', optional.vatId],
		['nationalRegisterId', optional.nationalRegisterId],
		['nationalRegisterCourt', optional.nationalRegisterCourt],
		['numberOfEmployees', employees],
		['expectedMonthlySpend', spend === undefined ? undefined : { value: spend, currency: CURRENCY }],
		['address', address],
	];
	const company = Object.fromEntries(
		ordered.filter(([, value]) => value !== undefined && value !== ''),
	) as unknown as LeadCompany;

	const body: LeadRequest = { partnerOrganizationId, company };
	if (contactPersons.length > 0) body.contactPersons = contactPersons;
	if (demo !== undefined) body.demoConductedByPartner = demo;
	if (notes !== '') body.notes = notes;
	return body;
}

/** Pliant embosses the trade name on cards, so it has a length limit. */
function readTradeName(read: FieldReader, value: unknown): string {
	const tradeName = read.text(value, 'Trade Name');
	const tradeNameLength = [...tradeName].length;
	if (tradeNameLength > LEAD_LIMITS.tradeNameMaxLength) {
		read.fail(
			`Trade Name "${shorten(tradeName)}" has ${tradeNameLength} characters, more than the ${LEAD_LIMITS.tradeNameMaxLength} allowed`,
			`Pliant embosses the trade name on cards: shorten it to ${LEAD_LIMITS.tradeNameMaxLength} characters or leave it empty.`,
		);
	}
	return tradeName;
}

function readContactPersons(read: FieldReader, value: unknown): LeadContactPerson[] {
	if (value === undefined || value === null || value === '') return [];
	const entries = Array.isArray(value) ? value : [value];
	const people: LeadContactPerson[] = [];
	let primary: number | undefined;
	const emails = new Map<string, number>();
	entries.forEach((entry, index) => {
		const number = index + 1;
		const where = `contact person ${number}`;
		if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
			read.fail(
				`Contact person ${number} must be an object with first name, last name and email`,
				'Fill in the contact person fields, or remove the contact person.',
			);
		}
		const raw = entry as IDataObject;
		const firstName = read.text(raw.firstName, `First Name of ${where}`);
		const lastName = read.text(raw.lastName, `Last Name of ${where}`);
		const emailText = read.text(raw.email, `Email of ${where}`);
		const phoneText = read.text(raw.phoneNumber, `Phone Number of ${where}`);
		const role = read.text(raw.role, `Role of ${where}`);
		// A row whose mapped values are all empty (e.g. a CRM deal without a second contact) is skipped.
		if ([firstName, lastName, emailText, phoneText, role].every((part) => part === '')) return;
		const how = `Every contact person needs a first name, last name and email; fill it in or remove ${where}.`;
		if (firstName === '') read.fail(`First Name of ${where} is empty`, how);
		if (lastName === '') read.fail(`Last Name of ${where} is empty`, how);
		const email = read.email(emailText, where);
		const seen = emails.get(email.toLowerCase());
		if (seen !== undefined) {
			read.fail(
				`Contact persons ${seen} and ${number} have the same email "${shorten(email)}"`,
				'Give each contact person their own email address, or remove the duplicate.',
			);
		}
		emails.set(email.toLowerCase(), number);
		const phoneNumber = read.phone(phoneText, where);
		const isPrimary = read.flag(raw.isPrimary, `Primary Contact of ${where}`) ?? false;
		if (isPrimary && primary !== undefined) {
			read.fail(
				`Contact persons ${primary} and ${number} are both marked as primary contact`,
				'Mark only one contact person as the primary contact.',
			);
		}
		if (isPrimary) primary = number;
		const person: LeadContactPerson = { firstName, lastName, email };
		if (phoneNumber !== '') person.phoneNumber = phoneNumber;
		if (role !== '') person.role = role;
		person.isPrimary = isPrimary;
		people.push(person);
	});
	return people;
}

function readAddress(read: FieldReader, value: unknown, companyCountry: string): LeadAddress | undefined {
	const fields = ((value as IDataObject | undefined)?.addressFields ?? {}) as IDataObject;
	const address: LeadAddress = {};
	const street = read.text(fields.street, 'Street');
	const postalCode = read.text(fields.postalCode, 'Postal Code');
	const city = read.text(fields.city, 'City');
	if (street !== '') address.street = street;
	if (postalCode !== '') address.postalCode = postalCode;
	if (city !== '') address.city = city;
	const country = read.text(fields.country, 'Address Country');
	if (country !== '') address.country = read.oneOf(country, COUNTRY_TABLE, 'Address Country', 'addressCountry');
	if (Object.keys(address).length === 0) return undefined;
	// "Same as Company Country" (empty): an address without a country is ambiguous.
	address.country ??= companyCountry;
	return address;
}

/** The contract body for one item, or a NodeOperationError naming the field and the item. */
export function buildLeadBody(input: LeadInput, node: INode, itemIndex: number): BuiltLead {
	const read = new FieldReader(node, itemIndex);
	const body = assemble(read, input);
	return { body, normalised: read.normalised };
}
