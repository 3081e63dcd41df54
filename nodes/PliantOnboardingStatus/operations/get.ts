import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { PATHS, type Organization } from '../../shared/contract';
import { pliantApiRequest } from '../../shared/http/transport';
import { explainOrganizationError } from '../organization-errors';
import { organizationIdProperty, readOrganizationId } from '../organization-id';
import { simplifyProperty } from '../shared-properties';
import { simplifyOrganization } from '../simplify';

const properties: INodeProperties[] = [
	organizationIdProperty,
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

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const organizationId = readOrganizationId.call(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const organization = await fetchOrganization.call(this, organizationId, itemIndex);
	return simplify ? simplifyOrganization(organization) : (organization as IDataObject);
}
