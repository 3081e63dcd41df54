import type { IDataObject } from 'n8n-workflow';

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
