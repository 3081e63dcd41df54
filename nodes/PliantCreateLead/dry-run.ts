import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { LeadRequest } from '../shared/contract';
import { inputError } from '../shared/errors/failure';
import type { OutcomeHints } from '../shared/execution/execution-hints';
import { readSwitch } from '../shared/execution/parameters';
import { Checks } from './checks';
import { checkSendOptions } from './create-lead';
import { DRY_RUN_FIELD } from './description';
import { buildLeadBody, readLeadInput } from './lead-body';

/** Whether this run only checks: one switch for the whole run, read from the first item. */
export function isDryRun(this: IExecuteFunctions): boolean {
	return readSwitch.call(this, 'options.dryRun', 0, false, DRY_RUN_FIELD);
}

/** Why a value was sent in another spelling than mapped, per key of `normalised`. */
const WHY_NORMALISED: Readonly<Record<string, string>> = {
	country: 'Pliant takes the ISO 3166-1 alpha-2 code of the country',
	addressCountry: 'Pliant takes the ISO 3166-1 alpha-2 code of the country',
	industry: 'Pliant takes its own industry values, e.g. COMPUTER_SOFTWARE',
	website: 'A website without http:// or https:// is sent as an https:// address',
};

export interface CheckedLead {
	body: LeadRequest;
	normalised: Record<string, string>;
}

/**
 * A dry run's phase 1: every problem of the row (fields and options), not only the first.
 * A row with problems becomes one error item that names each of them and the item.
 */
export function prepareDryRun(this: IExecuteFunctions, itemIndex: number): CheckedLead {
	const input = readLeadInput.call(this, itemIndex);
	const built = buildLeadBody(input, this.getNode(), itemIndex, true);
	const options = new Checks(true);
	checkSendOptions.call(this, itemIndex, options);
	const problems = [...built.problems, ...options.problems];
	if (problems.length > 0) {
		const descriptions = [...new Set(problems.map((problem) => problem.description).filter(Boolean))];
		throw inputError(this.getNode(), itemIndex, {
			message: `Lead not valid, ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.map((problem) => problem.message).join('; ')}`,
			description: `Dry Run: nothing was sent. ${descriptions.join(' ')}`,
			problems: problems.map((problem) => problem.message),
		});
	}
	// A bare domain gets https:// (the run's output leaves that out; a dry run shows every change).
	const website = typeof input.additionalFields?.website === 'string' ? input.additionalFields.website.trim() : '';
	const sent = built.body.company.website;
	const normalised = { ...built.normalised, ...(sent && website !== sent ? { website: `${website} → ${sent}` } : {}) };
	return { body: built.body, normalised };
}

/** A dry run's phase 2: nothing is sent; the item is the exact body and what was normalised, and why. */
export async function sendDryRun(this: IExecuteFunctions, lead: CheckedLead): Promise<IDataObject> {
	const keys = Object.keys(lead.normalised);
	return {
		dryRun: true,
		valid: true,
		partnerOrganizationId: lead.body.partnerOrganizationId,
		body: lead.body as unknown as IDataObject,
		normalised: lead.normalised,
		whyNormalised: Object.fromEntries(keys.map((key) => [key, WHY_NORMALISED[key] ?? "Pliant's spelling of the value"])),
	};
}

export const dryRunHints: OutcomeHints = (valid) => [
	`Dry Run: nothing was sent to Pliant; ${valid.length} valid lead${valid.length === 1 ? '' : 's'} show the body that would be sent`,
];
