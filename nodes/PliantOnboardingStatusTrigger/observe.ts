import type { IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ORGANIZATION_LIST_QUERY, PATHS, type OnboardingDetails } from '../shared/contract';
import { isDetailsNotShared } from '../shared/errors/error-facts';
import { normaliseOnboardingDetails } from '../shared/onboarding/details';
import { readOrganizationPages } from '../shared/onboarding/organization-pages';
import { pliantApiRequest } from '../shared/http/transport';
import { detailsState, isOnboarding, type DetailsState, type Observation, type Snapshot } from './snapshot';

/**
 * Reads what the poll compares: every organization (`GET /organizations`, full pages), then
 * the onboarding details (`GET /organizations/{id}/risk`) of each organization in onboarding,
 * and one last time of each that just left it, so a step taken right before the end is not
 * missed. Requests per poll: ⌈organizations / 1000⌉ + organizations in onboarding.
 *
 * Any failure other than "details not shared" ends the poll with an error before anything is
 * remembered, so the next poll compares against the same snapshot and reports what was missed.
 */
export async function observeOrganizations(
	this: IPollFunctions,
	previous: Snapshot | undefined,
): Promise<Observation> {
	const organizations = await readOrganizationPages.call(this, {
		wanted: Infinity,
		pageSize: ORGANIZATION_LIST_QUERY.maxLimit,
	});
	const details = new Map<string, DetailsState | null>();
	for (const organization of organizations) {
		const id = organization.organizationId;
		const lastLook = Boolean(previous?.details[id]);
		if (!isOnboarding(organization.status) && !lastLook) continue;
		details.set(id, await readDetails.call(this, id));
	}
	return { organizations, details };
}

/** One organization's details as status values; null when the customer does not share them. */
async function readDetails(this: IPollFunctions, organizationId: string): Promise<DetailsState | null> {
	try {
		const body = (await pliantApiRequest.call(this, {
			method: 'GET',
			path: PATHS.organizationRisk(organizationId),
		})) as OnboardingDetails;
		return detailsState(normaliseOnboardingDetails(body ?? { organizationId }, organizationId));
	} catch (error) {
		if (isDetailsNotShared(error)) return null;
		throw error instanceof NodeApiError ? error : new NodeOperationError(this.getNode(), error as Error);
	}
}
