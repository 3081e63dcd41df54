import type { IExecuteFunctions } from 'n8n-workflow';

import { inputError } from '../errors/failure';
import { shorten } from '../text';

/**
 * Readers for node options, used in `prepare` so that an impossible value (mapped by an
 * expression, or from an edited workflow file) fails before anything is sent, naming the
 * option and the item.
 */

/** One of an option's values; `choices` maps each value to its display name. */
export function readChoice<C extends Readonly<Record<string, string>>>(
	context: IExecuteFunctions,
	parameter: string,
	itemIndex: number,
	choices: C,
	fallback: keyof C & string,
	field: string,
): keyof C & string {
	const isChoice = (candidate: unknown): candidate is keyof C & string =>
		typeof candidate === 'string' && Object.prototype.hasOwnProperty.call(choices, candidate);
	const value = context.getNodeParameter(parameter, itemIndex, fallback) as unknown;
	if (isChoice(value)) return value;
	const known = Object.entries<string>(choices).map(([key, name]) => `"${name}" (${key})`);
	throw inputError(context.getNode(), itemIndex, {
		message: `Unknown ${field} option "${shorten(String(value))}"`,
		description: `Use ${known.join(' or ')}.`,
	});
}

/** A switch: true or false (a mapped "true"/"false" too). */
export function readSwitch(
	this: IExecuteFunctions,
	parameter: string,
	itemIndex: number,
	fallback: boolean,
	field: string,
): boolean {
	const value = this.getNodeParameter(parameter, itemIndex, fallback) as unknown;
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	if (value === undefined || value === null || value === '') return fallback;
	throw inputError(this.getNode(), itemIndex, {
		message: `${field} must be true or false, not "${shorten(String(value))}"`,
		description: `Switch ${field} on or off.`,
	});
}
