import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	CURRENCY,
	LEAD_LIMITS,
	type LeadAddress,
	type LeadCompany,
	type LeadContactPerson,
	type LeadRequest,
} from '../shared/contract';
import { COUNTRIES } from '../shared/fields/countries';
import { shorten } from '../shared/text';
import { AGENT_HINT } from '../shared/execution/tool-mode';
import {
	MAX_VALUE_LENGTH,
	describeCountry,
	describeIndustry,
	normaliseCountry,
	normaliseIndustry,
} from './normalise';

/** A lead ready to send, and every mapped value that was rewritten to Pliant's spelling. */
export interface BuiltLead {
	body: LeadRequest;
	/** e.g. { country: "DEU → DE" }; empty when every value was sent as mapped. */
	normalised: Record<string, string>;
}

/** For AI agents, who cannot pick from the node's lists: what to pass instead. */
const AGENT_HINTS = {
	country: `Pass an ISO 3166-1 alpha-2 code or the English name of a country Pliant accepts: ${COUNTRIES.map((country) => country.code).join(', ')}.`,
	industry:
		'Pass one of the closest values above, or another Pliant industry value such as COMPUTER_SOFTWARE (its name, "Computer Software", works too).',
};

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

// Pragmatic checks: catch typos and unmapped fields before Pliant does, never reject real data.
const EMAIL =
	/^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}$/u;
const PHONE = /^\+?[0-9 ()./-]+$/;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const MAX_EUROS_DIGITS = 13; // keeps cents within Number.MAX_SAFE_INTEGER

/** Builds and checks one lead; every failure names the field and the item, nothing is sent. */
class LeadBuilder {
	readonly normalised: Record<string, string> = {};

	constructor(
		private readonly node: INode,
		private readonly itemIndex: number,
	) {}

	fail(message: string, description: string, agentHint?: string): never {
		const error = new NodeOperationError(this.node, `${message} [item ${this.itemIndex}]`, {
			description,
			itemIndex: this.itemIndex,
		});
		if (agentHint) error.context[AGENT_HINT] = agentHint;
		throw error;
	}

	/** A trimmed string; '' when empty. Numbers are accepted (CRM IDs often are numbers). */
	text(value: unknown, field: string): string {
		if (value === undefined || value === null) return '';
		if (typeof value === 'string') return value.trim();
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
		if (typeof value === 'boolean') return String(value);
		return this.fail(
			`${field} must be text, not ${Array.isArray(value) ? 'a list' : typeof value}`,
			`Map ${field} to a single text value, e.g. {{ $json.name }} rather than a whole object or list.`,
		);
	}

	required(value: unknown, field: string, how: string): string {
		const text = this.text(value, field);
		if (text === '') this.fail(`${field} is empty`, how);
		return text;
	}

	flag(value: unknown, field: string): boolean | undefined {
		if (value === undefined || value === null || value === '') return undefined;
		if (typeof value === 'boolean') return value;
		const text = String(value).trim().toLowerCase();
		if (text === 'true') return true;
		if (text === 'false') return false;
		return this.fail(
			`${field} must be true or false, not "${shorten(String(value))}"`,
			`Switch ${field} on or off, or map it to a boolean such as {{ $json.isPrimary === true }}.`,
		);
	}

	/** Records that a mapped value was sent in Pliant's spelling, for the item's output. */
	private note(key: string, input: string, value: string): string {
		if (input !== value) this.normalised[key] = `${input} → ${value}`;
		return value;
	}

	country(value: unknown, field: string, key: string): string {
		const how = `Choose a country from the list, or map an English country name or ISO code such as "Germany", "DE" or "DEU".`;
		const input = this.required(value, field, how);
		const result = normaliseCountry(input);
		if (result.ok) return this.note(key, input, result.value);
		if ('tooLong' in result) {
			return this.fail(`${field} is ${input.length} characters long, not a country`, `${how} No country name is longer than ${MAX_VALUE_LENGTH} characters; check what the expression maps.`);
		}
		return this.fail(
			`${field} "${shorten(input)}" is not a country Pliant accepts; did you mean ${orList(result.closest.map(describeCountry))}?`,
			'Pliant accepts only the 68 countries in the Country list. Map an English country name, its ISO 3166-1 alpha-2 or alpha-3 code, or pick one from the list; other spellings are not guessed.',
			AGENT_HINTS.country,
		);
	}

	industry(value: unknown): string {
		const how = 'Choose an industry from the list, or map a value such as "Computer Software" or "COMPUTER_SOFTWARE".';
		const input = this.required(value, 'Industry', how);
		const result = normaliseIndustry(input);
		if (result.ok) return this.note('industry', input, result.value);
		if ('tooLong' in result) {
			return this.fail(`Industry is ${input.length} characters long, not an industry`, `${how} No industry name is longer than ${MAX_VALUE_LENGTH} characters; check what the expression maps.`);
		}
		return this.fail(
			`Industry "${shorten(input)}" is not an industry Pliant accepts; did you mean ${orList(result.closest.map(describeIndustry))}?`,
			"Pliant accepts only the industries in the Industry list. Map one of them by name (\"Computer Software\") or by value (\"COMPUTER_SOFTWARE\"); HubSpot's company industry values work as they are. Other spellings are not guessed.",
			AGENT_HINTS.industry,
		);
	}

	email(value: unknown, where: string): string {
		const email = this.required(
			value,
			`Email of ${where}`,
			'Every contact person needs an email address; remove the contact person or map an email.',
		);
		if (email.length > 254 || !EMAIL.test(email)) {
			this.fail(
				`Invalid email "${shorten(email)}" in ${where}`,
				'Use a complete address such as name@company.com, without spaces or display names.',
			);
		}
		return email;
	}

	phone(value: unknown, where: string): string {
		const phone = this.text(value, `Phone Number of ${where}`);
		const digits = phone.replace(/\D/g, '').length;
		if (phone !== '' && (!PHONE.test(phone) || digits < 5 || digits > 20)) {
			this.fail(
				`Invalid phone number "${shorten(phone)}" in ${where}`,
				'Use digits with an optional leading +, spaces, dashes or brackets, e.g. +49 30 123456.',
			);
		}
		return phone;
	}

	website(value: unknown): string {
		const text = this.text(value, 'Website');
		if (text === '') return '';
		// CRMs often store "www.acme.de": assume https, as a browser would.
		const website = URL_SCHEME.test(text) ? text : `https://${text}`;
		let url: URL | undefined;
		try {
			url = new URL(website);
		} catch {
			url = undefined;
		}
		const valid =
			url !== undefined &&
			/^https?:$/.test(url.protocol) &&
			url.hostname.includes('.') &&
			!/\s/.test(website) &&
			url.username === '' &&
			url.password === '';
		if (!valid) {
			this.fail(
				`Invalid website URL "${shorten(text)}"`,
				'Use the company website as http(s) URL or domain, e.g. https://acme.com or acme.com, without user names or passwords.',
			);
		}
		return website;
	}

	/** A whole number ≥ 0, from a number or a numeric string; undefined when left empty. */
	count(value: unknown, field: string): number | undefined {
		if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
			return undefined;
		}
		const number = typeof value === 'string' ? Number(value.trim()) : value;
		if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
			this.fail(
				`${field} must be a whole number of 0 or more, not "${shorten(String(value))}"`,
				`Enter ${field} as a plain number such as 120, without separators or text.`,
			);
		}
		return number as number;
	}

	/** Euros (number or "1234.56") to integer cents, by decimal digits so 19.99 is 1999 exactly. */
	cents(value: unknown, field: string): number | undefined {
		if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
			return undefined;
		}
		const how = `Enter ${field} in euros as a number of 0 or more, e.g. 25000 or 19.99 (a dot for decimals, no currency sign or thousands separator).`;
		let text: string;
		if (typeof value === 'number') {
			if (!Number.isFinite(value)) return this.fail(`${field} must be a number, not ${String(value)}`, how);
			if (Math.abs(value) >= 10 ** MAX_EUROS_DIGITS) this.fail(`${field} is too large: ${value}`, how);
			// String() is exact for what was typed (19.99 → "19.99"), but uses exponents below 1e-6.
			text = Math.abs(value) < 1e-6 ? value.toFixed(7) : String(value);
		} else if (typeof value === 'string') {
			text = value.trim();
		} else {
			return this.fail(`${field} must be a number, not ${Array.isArray(value) ? 'a list' : typeof value}`, how);
		}
		const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
		if (!match || (match[2] === '' && !match[3])) {
			return this.fail(`${field} must be a number, not "${shorten(text)}"`, how);
		}
		if (match[1] === '-' && /[1-9]/.test(text)) {
			this.fail(`${field} must not be negative, got "${shorten(text)}"`, how);
		}
		const whole = match[2].replace(/^0+(?=\d)/, '');
		if (whole.length > MAX_EUROS_DIGITS) this.fail(`${field} is too large: "${shorten(text)}"`, how);
		const fraction = (match[3] ?? '').padEnd(3, '0');
		// Round half up on the third decimal: amounts computed in expressions carry float noise.
		const roundUp = fraction[2] >= '5' ? 1 : 0;
		return Number(whole || '0') * 100 + Number(fraction.slice(0, 2)) + roundUp;
	}

	contactPersons(value: unknown): LeadContactPerson[] {
		if (value === undefined || value === null || value === '') return [];
		const entries = Array.isArray(value) ? value : [value];
		const people: LeadContactPerson[] = [];
		let primary: number | undefined;
		const emails = new Map<string, number>();
		entries.forEach((entry, index) => {
			const number = index + 1;
			const where = `contact person ${number}`;
			if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
				this.fail(
					`Contact person ${number} must be an object with first name, last name and email`,
					'Fill in the contact person fields, or remove the contact person.',
				);
			}
			const raw = entry as IDataObject;
			const firstName = this.text(raw.firstName, `First Name of ${where}`);
			const lastName = this.text(raw.lastName, `Last Name of ${where}`);
			const emailText = this.text(raw.email, `Email of ${where}`);
			const phoneText = this.text(raw.phoneNumber, `Phone Number of ${where}`);
			const role = this.text(raw.role, `Role of ${where}`);
			// A row whose mapped values are all empty (e.g. a CRM deal without a second contact) is skipped.
			if ([firstName, lastName, emailText, phoneText, role].every((part) => part === '')) return;
			const how = `Every contact person needs a first name, last name and email; fill it in or remove ${where}.`;
			if (firstName === '') this.fail(`First Name of ${where} is empty`, how);
			if (lastName === '') this.fail(`Last Name of ${where} is empty`, how);
			const email = this.email(emailText, where);
			const seen = emails.get(email.toLowerCase());
			if (seen !== undefined) {
				this.fail(
					`Contact persons ${seen} and ${number} have the same email "${shorten(email)}"`,
					'Give each contact person their own email address, or remove the duplicate.',
				);
			}
			emails.set(email.toLowerCase(), number);
			const phoneNumber = this.phone(phoneText, where);
			const isPrimary = this.flag(raw.isPrimary, `Primary Contact of ${where}`) ?? false;
			if (isPrimary && primary !== undefined) {
				this.fail(
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

	address(value: unknown, companyCountry: string): LeadAddress | undefined {
		const fields = ((value as IDataObject | undefined)?.addressFields ?? {}) as IDataObject;
		const address: LeadAddress = {};
		const street = this.text(fields.street, 'Street');
		const postalCode = this.text(fields.postalCode, 'Postal Code');
		const city = this.text(fields.city, 'City');
		if (street !== '') address.street = street;
		if (postalCode !== '') address.postalCode = postalCode;
		if (city !== '') address.city = city;
		const country = this.text(fields.country, 'Address Country');
		if (country !== '') address.country = this.country(country, 'Address Country', 'addressCountry');
		if (Object.keys(address).length === 0) return undefined;
		// "Same as Company Country" (empty): an address without a country is ambiguous.
		address.country ??= companyCountry;
		return address;
	}

	/** Checks in the order the fields appear in the node, builds in the contract's order. */
	build(input: LeadInput): LeadRequest {
		const extra = input.additionalFields ?? {};
		const name = this.required(
			input.companyName,
			'Company Name',
			"Enter the company's legal name, or map a field that is filled for every item.",
		);
		const country = this.country(input.country, 'Country', 'country');
		const industry = this.industry(input.industry);
		const partnerOrganizationId = this.required(
			input.partnerOrganizationId,
			'Partner Organization ID',
			"Map your CRM's ID for this company, e.g. {{ $json.id }}; Pliant sends it back in every callback.",
		);
		const contactPersons = this.contactPersons(input.contactPersons);

		const tradeName = this.text(extra.tradeName, 'Trade Name');
		const tradeNameLength = [...tradeName].length;
		if (tradeNameLength > LEAD_LIMITS.tradeNameMaxLength) {
			this.fail(
				`Trade Name "${shorten(tradeName)}" has ${tradeNameLength} characters, more than the ${LEAD_LIMITS.tradeNameMaxLength} allowed`,
				`Pliant embosses the trade name on cards: shorten it to ${LEAD_LIMITS.tradeNameMaxLength} characters or leave it empty.`,
			);
		}
		const texts: Array<[string, string]> = [
			['legalForm', 'Legal Form'],
			['vatId', 'VAT ID'],
			['nationalRegisterId', 'National Register ID'],
			['nationalRegisterCourt', 'National Register Court'],
		];
		const optional: IDataObject = { tradeName };
		for (const [key, field] of texts) optional[key] = this.text(extra[key], field);
		optional.website = this.website(extra.website);
		const employees = this.count(extra.numberOfEmployees, 'Number of Employees');
		const spend = this.cents(extra.expectedMonthlySpend, 'Expected Monthly Spend (EUR)');
		const address = this.address(extra.address, country);
		const demo = this.flag(extra.demoConductedByPartner, 'Demo Conducted by Partner');
		const notes = this.text(extra.notes, 'Notes');

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
}

function orList(values: string[]): string {
	return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/** The contract body for one item, or a NodeOperationError naming the field and the item. */
export function buildLeadBody(input: LeadInput, node: INode, itemIndex: number): BuiltLead {
	const builder = new LeadBuilder(node, itemIndex);
	const body = builder.build(input);
	return { body, normalised: builder.normalised };
}
