import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import {
	CURRENCY,
	LEAD_LIMITS,
	type LeadAddress,
	type LeadCompany,
	type LeadContactPerson,
	type LeadRequest,
} from '../shared/contract';
import type { Failure } from '../shared/errors/failure';
import { FieldReader } from '../shared/fields/readers';
import { shorten } from '../shared/text';
import { Checks } from './checks';
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

/**
 * The contract body of one lead, from values the reader has checked; empty optional values
 * left out. Checks in the order the fields appear in the node, builds in the contract's order.
 */
function assemble(read: FieldReader, input: LeadInput, checks: Checks): LeadRequest {
	const check = <T>(reading: () => T): T | undefined => checks.check(reading);
	const extra = input.additionalFields ?? {};
	const name = check(() =>
		read.required(input.companyName, 'Company Name', "Enter the company's legal name, or map a field that is filled for every item."),
	);
	const country = check(() => read.oneOf(input.country, COUNTRY_TABLE, 'Country', 'country')) ?? '';
	const industry = check(() => read.oneOf(input.industry, INDUSTRY_TABLE, 'Industry', 'industry'));
	const partnerOrganizationId =
		check(() =>
			read.required(
				input.partnerOrganizationId,
				'Partner Organization ID',
				"Map your CRM's ID for this company, e.g. {{ $json.id }}; Pliant sends it back in every callback.",
			),
		) ?? '';
	const contactPersons = readContactPersons(read, input.contactPersons, checks);

	const texts: Array<[string, string]> = [
		['legalForm', 'Legal Form'],
		['vatId', 'VAT ID'],
		['nationalRegisterId', 'National Register ID'],
		['nationalRegisterCourt', 'National Register Court'],
	];
	const optional: IDataObject = { tradeName: check(() => readTradeName(read, extra.tradeName)) };
	for (const [key, field] of texts) optional[key] = check(() => read.text(extra[key], field));
	optional.website = check(() => read.website(extra.website));
	const employees = check(() => read.count(extra.numberOfEmployees, 'Number of Employees'));
	const spend = check(() => read.cents(extra.expectedMonthlySpend, 'Expected Monthly Spend (EUR)'));
	const address = readAddress(read, extra.address, country, checks);
	const demo = check(() => read.flag(extra.demoConductedByPartner, 'Demo Conducted by Partner'));
	const notes = check(() => read.text(extra.notes, 'Notes')) ?? '';

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

/** One contact person, checked field by field; undefined when the row is empty (skipped). */
function readContactPerson(read: FieldReader, entry: unknown, number: number, checks: Checks): LeadContactPerson | undefined {
	const where = `contact person ${number}`;
	if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
		read.fail(
			`Contact person ${number} must be an object with first name, last name and email`,
			'Fill in the contact person fields, or remove the contact person.',
		);
	}
	const raw = entry as IDataObject;
	const text = (value: unknown, field: string) => checks.check(() => read.text(value, `${field} of ${where}`)) ?? '';
	const firstName = text(raw.firstName, 'First Name');
	const lastName = text(raw.lastName, 'Last Name');
	const emailText = text(raw.email, 'Email');
	const phoneText = text(raw.phoneNumber, 'Phone Number');
	const role = text(raw.role, 'Role');
	// A row whose mapped values are all empty (e.g. a CRM deal without a second contact) is skipped.
	if ([firstName, lastName, emailText, phoneText, role].every((part) => part === '')) return undefined;
	const how = `Every contact person needs a first name, last name and email; fill it in or remove ${where}.`;
	if (firstName === '') checks.check(() => read.fail(`First Name of ${where} is empty`, how));
	if (lastName === '') checks.check(() => read.fail(`Last Name of ${where} is empty`, how));
	const email = checks.check(() => read.email(emailText, where)) ?? '';
	const phoneNumber = checks.check(() => read.phone(phoneText, where)) ?? '';
	const isPrimary = checks.check(() => read.flag(raw.isPrimary, `Primary Contact of ${where}`)) ?? false;
	const person: LeadContactPerson = { firstName, lastName, email };
	if (phoneNumber !== '') person.phoneNumber = phoneNumber;
	if (role !== '') person.role = role;
	person.isPrimary = isPrimary;
	return person;
}

function readContactPersons(read: FieldReader, value: unknown, checks: Checks): LeadContactPerson[] {
	if (value === undefined || value === null || value === '') return [];
	const entries = Array.isArray(value) ? value : [value];
	const people: LeadContactPerson[] = [];
	let primary: number | undefined;
	const emails = new Map<string, number>();
	entries.forEach((entry, index) => {
		const number = index + 1;
		const person = checks.check(() => readContactPerson(read, entry, number, checks));
		if (person === undefined) return;
		const seen = person.email === '' ? undefined : emails.get(person.email.toLowerCase());
		if (seen !== undefined) {
			checks.check(() =>
				read.fail(
					`Contact persons ${seen} and ${number} have the same email "${shorten(person.email)}"`,
					'Give each contact person their own email address, or remove the duplicate.',
				),
			);
		}
		if (person.email !== '') emails.set(person.email.toLowerCase(), number);
		if (person.isPrimary && primary !== undefined) {
			checks.check(() =>
				read.fail(
					`Contact persons ${primary} and ${number} are both marked as primary contact`,
					'Mark only one contact person as the primary contact.',
				),
			);
		}
		if (person.isPrimary) primary ??= number;
		people.push(person);
	});
	return people;
}

function readAddress(read: FieldReader, value: unknown, companyCountry: string, checks: Checks): LeadAddress | undefined {
	const fields = ((value as IDataObject | undefined)?.addressFields ?? {}) as IDataObject;
	const address: LeadAddress = {};
	const text = (raw: unknown, field: string) => checks.check(() => read.text(raw, field)) ?? '';
	const street = text(fields.street, 'Street');
	const postalCode = text(fields.postalCode, 'Postal Code');
	const city = text(fields.city, 'City');
	if (street !== '') address.street = street;
	if (postalCode !== '') address.postalCode = postalCode;
	if (city !== '') address.city = city;
	const country = text(fields.country, 'Address Country');
	const code = country === '' ? undefined : checks.check(() => read.oneOf(country, COUNTRY_TABLE, 'Address Country', 'addressCountry'));
	if (code !== undefined) address.country = code;
	if (Object.keys(address).length === 0) return undefined;
	// "Same as Company Country" (empty): an address without a country is ambiguous.
	address.country ??= companyCountry;
	return address;
}

/** A lead ready to send, or (collecting) every problem found in the item; its normalisations either way. */
export interface CheckedLead extends BuiltLead {
	problems: Failure[];
}

/**
 * The contract body for one item. By default the first problem throws a NodeOperationError
 * naming the field and the item; with `collect` (a dry run) every problem is returned instead.
 */
export function buildLeadBody(input: LeadInput, node: INode, itemIndex: number, collect = false): CheckedLead {
	const read = new FieldReader(node, itemIndex);
	const checks = new Checks(collect);
	const body = assemble(read, input, checks);
	return { body, normalised: read.normalised, problems: checks.problems };
}
