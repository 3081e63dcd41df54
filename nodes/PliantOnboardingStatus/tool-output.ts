import type { IDataObject } from 'n8n-workflow';

import type { OnboardingDetails, Organization } from '../shared/contract';
import type { ToolOutput } from '../shared/execution/item-runner';
import { pick } from '../shared/execution/tool-mode';
import { normaliseOnboardingDetails } from '../shared/onboarding/details';
import { simplifyOrganization } from './simplify';

/**
 * What an AI agent gets from Onboarding Status: the organization's IDs, status and stage in
 * words, whether Simplify is on or off (the raw entity is a debug object, not an answer).
 */
export function organizationForAgent(organization: IDataObject): IDataObject {
	const simple =
		'stageSummary' in organization ? organization : simplifyOrganization(organization as unknown as Organization);
	return pick({ ...simple, stage: simple.stageSummary }, [
		'organizationId',
		'name',
		'partnerOrganizationId',
		'status',
		'stage',
	]);
}

const get: ToolOutput = (result) => organizationForAgent(result as IDataObject);

/** An empty list says why, so the agent does not read "[]" as an error. */
const getMany: ToolOutput = (result) => {
	const organizations = (Array.isArray(result) ? result : [result]).map(organizationForAgent);
	if (organizations.length > 0) return organizations;
	return {
		found: 0,
		message:
			'No organization matches. Pliant creates the organization when it starts onboarding a lead, so a lead referred minutes ago may not have one yet.',
	};
};

const getOnboardingDetails: ToolOutput = (result) => {
	const details = result as IDataObject;
	if ('detailsShared' in details) return details;
	return normaliseOnboardingDetails(details as OnboardingDetails, String(details.organizationId ?? ''));
};

export const TOOL_OUTPUTS: Partial<Record<string, ToolOutput>> = { get, getMany, getOnboardingDetails };
