import type { INode } from 'n8n-workflow';

import { inputError } from '../errors/failure';
import { shorten } from '../text';

/** A value can be longer than any name or code Pliant knows: rejected before any fuzzy matching. */
export const MAX_VALUE_LENGTH = 100;

export type Normalised<T> =
	| { ok: true; value: string }
	| { ok: false; closest: T[] }
	| { ok: false; tooLong: true; closest: T[] };

/** A table of accepted values (countries, industries) and how to talk about it. */
export interface OneOf<T> {
	/** "a country" */
	noun: string;
	/** "country" */
	name: string;
	/** How to fill the field, said when it is empty or too long. */
	how: string;
	/** Why a value was refused, said when it names no entry. */
	why: string;
	agentHint?: string;
	normalise: (input: string) => Normalised<T>;
	describe: (entry: T) => string;
}

// Pragmatic checks: catch typos and unmapped fields before Pliant does, never reject real data.
const EMAIL =
	/^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}$/u;
const PHONE = /^\+?[0-9 ()./-]+$/;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const MAX_EUROS_DIGITS = 13; // keeps cents within Number.MAX_SAFE_INTEGER

/**
 * Reads the fields of one item and checks them before anything is sent; every failure names
 * the field, the value and the item. Values rewritten to Pliant's spelling are recorded.
 */
export class FieldReader {
	readonly normalised: Record<string, string> = {};

	constructor(
		private readonly node: INode,
		private readonly itemIndex: number,
	) {}

	fail(message: string, description: string, agentHint?: string): never {
		throw inputError(this.node, this.itemIndex, { message, description, agentHint });
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
	note(key: string, input: string, value: string): string {
		if (input !== value) this.normalised[key] = `${input} → ${value}`;
		return value;
	}

	/** One value of a table Pliant accepts, in any spelling that names exactly one; else the closest ones. */
	oneOf<T>(value: unknown, table: OneOf<T>, field: string, key: string): string {
		const input = this.required(value, field, table.how);
		const result = table.normalise(input);
		if (result.ok) return this.note(key, input, result.value);
		if ('tooLong' in result) {
			return this.fail(
				`${field} is ${input.length} characters long, not ${table.noun}`,
				`${table.how} No ${table.name} name is longer than ${MAX_VALUE_LENGTH} characters; check what the expression maps.`,
			);
		}
		return this.fail(
			`${field} "${shorten(input)}" is not ${table.noun} Pliant accepts; did you mean ${orList(result.closest.map(table.describe))}?`,
			table.why,
			table.agentHint,
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
}

function orList(values: string[]): string {
	return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}
