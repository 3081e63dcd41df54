import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { PATHS, type OnboardingDetails } from '../../shared/contract';
import { isDetailsNotShared } from '../../shared/errors/failure-facts';
import { defineOperation } from '../../shared/execution/operations';
import { readChoice, readSwitch } from '../../shared/execution/parameters';
import { runsAsTool } from '../../shared/execution/tool-mode';
import { pliantApiRequest } from '../../shared/http/transport';
import { detailsNotSharedItem, normaliseOnboardingDetails } from '../../shared/onboarding/details';
import { ifNotFoundOption, notFoundItem, readIfNotFound, type IfNotFound } from '../not-found';
import { explainOrganizationError } from '../organization-errors';
import {
	findOrganization,
	organizationProperties,
	readOrganizationReference,
	requireFound,
	type OrganizationReference,
} from '../organization-locator';
import { simplifyProperty } from '../shared-properties';
import { detailsForAgent, detailsHints } from '../tool-output';

const IF_NOT_SHARED = { error: 'Fail', output: 'Output Not Shared Item' } as const;
const IF_NOT_SHARED_FIELD = 'If Details Not Shared';

export interface DetailsInput {
	reference: OrganizationReference;
	simplify: boolean;
	/** As a tool the agent's answer is built from Pliant's raw details (tool-output.ts). */
	forAgent: boolean;
	ifNotShared: keyof typeof IF_NOT_SHARED;
	ifNotFound: IfNotFound;
}

export const getOnboardingDetails = defineOperation({
	option: {
		name: 'Get Onboarding Details',
		action: 'Get the onboarding details of an organization',
		description:
			'Get representatives, documents, bank connection and direct debit, and what waits on the customer. Changes nothing at Pliant.',
	},
	properties: [
		...organizationProperties,
		{
			...simplifyProperty,
			hint: 'Simplified output lists representatives, documents, bank connection, direct debit and what waits on the customer',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: IF_NOT_SHARED_FIELD,
					name: 'detailsNotShared',
					type: 'options',
					default: 'error',
					description: 'What to do when the customer has not agreed to share onboarding details with partners',
					options: [
						{
							name: IF_NOT_SHARED.error,
							value: 'error',
							description: 'Stop with an error that says so (an error item under Continue On Fail)',
						},
						{
							name: IF_NOT_SHARED.output,
							value: 'output',
							description: 'Output {organizationId, detailsShared: false} and carry on',
						},
					],
				},
				ifNotFoundOption,
			],
		},
	],
	/** Phase 1: read and check the item; nothing is sent. */
	prepare(this: IExecuteFunctions, itemIndex: number): DetailsInput {
		return {
			reference: readOrganizationReference.call(this, itemIndex),
			simplify: readSwitch.call(this, 'simplify', itemIndex, true, 'Simplify'),
			forAgent: runsAsTool(this),
			ifNotShared: readChoice(this, 'options.detailsNotShared', itemIndex, IF_NOT_SHARED, 'error', IF_NOT_SHARED_FIELD),
			ifNotFound: readIfNotFound.call(this, itemIndex),
		};
	},
	async send(this: IExecuteFunctions, input: DetailsInput, itemIndex: number): Promise<IDataObject> {
		const found = await findOrganization.call(this, input.reference, itemIndex);
		if (!found.found && input.ifNotFound === 'output') return notFoundItem(found.partnerOrganizationId);
		const organizationId = requireFound.call(this, found, itemIndex);
		let details: OnboardingDetails;
		try {
			details = (await pliantApiRequest.call(this, {
				method: 'GET',
				path: PATHS.organizationRisk(organizationId),
				itemIndex,
			})) as OnboardingDetails;
		} catch (error) {
			if (input.ifNotShared === 'output' && isDetailsNotShared(error)) return detailsNotSharedItem(organizationId);
			throw explainOrganizationError(error, organizationId);
		}
		if (input.forAgent) return { ...details, organizationId };
		return input.simplify ? normaliseOnboardingDetails(details, organizationId) : (details as IDataObject);
	},
	toolOutput: (result) => detailsForAgent(result),
	hints: detailsHints,
	concurrency: 4,
});
