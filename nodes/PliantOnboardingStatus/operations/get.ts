import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { PATHS, type Organization } from '../../shared/contract';
import { defineOperation } from '../../shared/execution/operations';
import { readSwitch } from '../../shared/execution/parameters';
import { pliantApiRequest } from '../../shared/http/transport';
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
import { simplifyOrganization } from '../simplify';
import { notFoundHints, organizationForAgent } from '../tool-output';

/** Reads one organization, checked to exist; a 404 says "Organization not found". */
export async function fetchOrganization(
	this: IExecuteFunctions,
	organizationId: string,
	itemIndex: number,
): Promise<Organization> {
	try {
		return (await pliantApiRequest.call(this, {
			method: 'GET',
			path: PATHS.organization(organizationId),
			itemIndex,
		})) as Organization;
	} catch (error) {
		throw explainOrganizationError(error, organizationId);
	}
}

export interface GetInput {
	reference: OrganizationReference;
	simplify: boolean;
	ifNotFound: IfNotFound;
}

export const get = defineOperation({
	option: {
		name: 'Get',
		action: 'Get the onboarding status of an organization',
		description: 'Get one organization with its status and onboarding stage. Changes nothing at Pliant.',
	},
	properties: [
		...organizationProperties,
		{
			...simplifyProperty,
			hint: 'Simplified output adds the onboarding stage in words and as a step, e.g. "Risk and compliance — step 2 of 4"',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [ifNotFoundOption],
		},
	],
	/** Phase 1: read and check the item; nothing is sent. */
	prepare(this: IExecuteFunctions, itemIndex: number): GetInput {
		return {
			reference: readOrganizationReference.call(this, itemIndex),
			simplify: readSwitch.call(this, 'simplify', itemIndex, true, 'Simplify'),
			ifNotFound: readIfNotFound.call(this, itemIndex),
		};
	},
	async send(this: IExecuteFunctions, input: GetInput, itemIndex: number): Promise<IDataObject> {
		const found = await findOrganization.call(this, input.reference, itemIndex);
		if (!found.found && input.ifNotFound === 'output') return notFoundItem(found.partnerOrganizationId);
		const organization = await fetchOrganization.call(this, requireFound.call(this, found, itemIndex), itemIndex);
		return input.simplify ? simplifyOrganization(organization) : (organization as IDataObject);
	},
	toolOutput: (result) => organizationForAgent(result),
	hints: notFoundHints,
	concurrency: 4,
});
