import type { IDataObject } from 'n8n-workflow';

import type { Organization } from '../shared/contract';
import { stageOf } from '../shared/onboarding/stages';

/**
 * The fields an ops team acts on, with the status also in words and as a step number.
 * Pliant spells the partner's ID `partnersOrganizationId` on the Organization entity; the
 * output uses `partnerOrganizationId`, the name the lead request and the callbacks use.
 */
export function simplifyOrganization(organization: Organization): IDataObject {
	const stage = stageOf(organization.status);
	return {
		organizationId: organization.organizationId,
		name: organization.name ?? null,
		status: organization.status ?? null,
		stage: stage.label,
		stagePosition: stage.position,
		stageCount: stage.count,
		stageSummary: stage.summary,
		partnerOrganizationId: organization.partnersOrganizationId ?? null,
		tradeName: organization.tradeName ?? null,
		country: organization.country ?? null,
	};
}
