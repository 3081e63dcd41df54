import type { IDataObject } from 'n8n-workflow';

import type { OnboardingDetails, Organization } from '../shared/contract';
import type { OutcomeHints } from '../shared/execution/execution-hints';
import { freeTextFromPliant, pick } from '../shared/execution/tool-mode';
import { normaliseOnboardingDetails } from '../shared/onboarding/details';
import { simplifyOrganization } from './simplify';

/**
 * What an AI agent gets from Onboarding Status: the organization's IDs, status and stage in
 * words, whether Simplify is on or off (the raw entity is a debug object, not an answer).
 * Names are a prospect's own words: they reach the agent capped and marked as data.
 */
export function organizationForAgent(organization: IDataObject): IDataObject {
	if (organization.found === false) return organization;
	const simple =
		'stageSummary' in organization ? organization : simplifyOrganization(organization as unknown as Organization);
	return {
		...pick({ ...simple, stage: simple.stageSummary }, ['organizationId', 'partnerOrganizationId', 'status', 'stage']),
		...freeTextFromPliant({ name: simple.name, tradeName: simple.tradeName }),
	};
}

/** An empty list says why, so the agent does not read "[]" as an error. */
export function organizationsForAgent(organizations: IDataObject[]): IDataObject | IDataObject[] {
	if (organizations.length > 0) return organizations.map(organizationForAgent);
	return {
		found: 0,
		message:
			'No organization matches. Pliant creates the organization when it starts onboarding a lead, so a lead referred minutes ago may not have one yet.',
	};
}

/**
 * Onboarding details for an agent, from Pliant's raw answer: representatives are named by
 * number ("representative 1"), their names listed apart as data.
 */
export function detailsForAgent(result: IDataObject): IDataObject {
	if ('detailsShared' in result || result.found === false) return result;
	const details = result as OnboardingDetails;
	const representatives = details.representatives ?? [];
	const numbered = representatives.map((representative, index) => ({ ...representative, name: `representative ${index + 1}` }));
	const { representatives: listed, ...rest } = normaliseOnboardingDetails(
		{ ...details, representatives: numbered },
		String(details.organizationId ?? ''),
	);
	return {
		...rest,
		representatives: listed.map(({ name, submissionStatus, legitimationStatus }) => ({
			representative: name,
			submissionStatus,
			legitimationStatus,
		})),
		...freeTextFromPliant({ representativeNames: representatives.map((representative) => representative.name?.trim() || '(no name)') }),
	};
}

function countOf(items: IDataObject[], test: (json: IDataObject) => boolean): number {
	return items.filter(test).length;
}

/** Partner IDs no organization has yet (If Partner ID Not Found: Output Not Found Item). */
export const notFoundHints: OutcomeHints = (items) => {
	const notFound = countOf(items, (json) => json.found === false);
	return notFound > 0 ? [`${notFound} of ${items.length} partner organization IDs have no Pliant organization yet (found: false)`] : [];
};

export const detailsHints: OutcomeHints = (items) => {
	const notShared = countOf(items, (json) => json.detailsShared === false);
	return [
		...notFoundHints(items),
		...(notShared > 0 ? [`${notShared} of ${items.length} organizations do not share onboarding details (detailsShared: false)`] : []),
	];
};
