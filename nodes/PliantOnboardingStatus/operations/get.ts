import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { PATHS, type Organization } from '../../shared/contract';
import { pliantApiRequest } from '../../shared/http/transport';
import { explainOrganizationError } from '../organization-errors';
import {
	organizationProperties,
	readOrganizationReference,
	resolveOrganizationId,
	type OrganizationReference,
} from '../organization-locator';
import { simplifyProperty } from '../shared-properties';
import { simplifyOrganization } from '../simplify';

const properties: INodeProperties[] = [
	...organizationProperties,
	{
		...simplifyProperty,
		hint: 'Simplified output adds the onboarding stage in words and as a step, e.g. "Risk and compliance — step 2 of 4"',
	},
];

export const description = updateDisplayOptions({ show: { operation: ['get'] } }, properties);

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
}

/** Phase 1: read and check the item; nothing is sent. */
export function prepare(this: IExecuteFunctions, itemIndex: number): GetInput {
	return {
		reference: readOrganizationReference.call(this, itemIndex),
		simplify: this.getNodeParameter('simplify', itemIndex, true) as boolean,
	};
}

export async function send(this: IExecuteFunctions, input: GetInput, itemIndex: number): Promise<IDataObject> {
	const { simplify } = input;
	const organizationId = await resolveOrganizationId.call(this, input.reference, itemIndex);
	const organization = await fetchOrganization.call(this, organizationId, itemIndex);
	return simplify ? simplifyOrganization(organization) : (organization as IDataObject);
}
