import type { IDataObject } from 'n8n-workflow';

import type { OutcomeHints } from '../shared/execution/execution-hints';
import { pick } from '../shared/execution/tool-mode';

/**
 * Create Lead's result for an AI agent: the lead's IDs and status, whether it already existed,
 * and what the node normalised, in place of the full item with its `sent` summary.
 */
export function leadForAgent(result: IDataObject): IDataObject {
	const normalised = result.normalised as IDataObject | undefined;
	const message = result.duplicate
		? `A lead with partner organization ID "${String(result.partnerOrganizationId)}" already existed at Pliant: this is that lead, no new lead was created.`
		: 'Lead created at Pliant.';
	return {
		...pick(result, ['leadId', 'status', 'partnerOrganizationId', 'duplicate']),
		...(normalised ? { normalised } : {}),
		message,
	};
}

/** The first normalised value of the run, e.g. `country: Germany → DE`. */
function normalisedExample(leads: IDataObject[]): string {
	for (const json of leads) {
		const [key, value] = Object.entries((json.normalised as IDataObject | undefined) ?? {})[0] ?? [];
		if (key) return `${key}: ${String(value)}`;
	}
	return '';
}

/** Leads that already existed, and values the node normalised. */
export const leadHints: OutcomeHints = (leads) => {
	const total = leads.length;
	const hints: string[] = [];
	const duplicates = leads.filter((json) => json.duplicate === true).length;
	if (duplicates > 0) {
		hints.push(`${duplicates} of ${total} leads already existed at Pliant: returned as existing (duplicate: true)`);
	}
	const normalised = leads.filter((json) => Object.keys((json.normalised as IDataObject) ?? {}).length > 0).length;
	if (normalised > 0) {
		hints.push(`${normalised} of ${total} leads had values normalised (see normalised), e.g. ${normalisedExample(leads)}`);
	}
	return hints;
};
