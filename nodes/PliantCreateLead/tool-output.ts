import type { IDataObject } from 'n8n-workflow';

import { pick } from '../shared/tool-mode';
import type { LeadInput } from './lead-body';

/** "Germany" → "DE": the values an agent gave that the node sent in Pliant's form. */
function normalisedValues(input: LeadInput, sent: IDataObject): IDataObject | undefined {
	const changed: IDataObject = {};
	for (const field of ['country', 'industry'] as const) {
		const given = typeof input[field] === 'string' ? (input[field] as string).trim() : input[field];
		if (given !== undefined && given !== sent[field]) changed[field] = `${String(given)} → ${String(sent[field])}`;
	}
	return Object.keys(changed).length > 0 ? changed : undefined;
}

/**
 * Create Lead's result for an AI agent: the lead's IDs and status, whether it already existed,
 * and what the node normalised, in place of the full item with its `sent` summary.
 */
export function leadForAgent(result: IDataObject, input: LeadInput): IDataObject {
	const sent = (result.sent ?? {}) as IDataObject;
	const normalised = (result.normalised as IDataObject | undefined) ?? normalisedValues(input, sent);
	const message = result.duplicate
		? `A lead with partner organization ID "${String(result.partnerOrganizationId)}" already existed at Pliant: this is that lead, no new lead was created.`
		: 'Lead created at Pliant.';
	return {
		...pick(result, ['leadId', 'status', 'partnerOrganizationId', 'duplicate']),
		...(normalised ? { normalised } : {}),
		message,
	};
}
