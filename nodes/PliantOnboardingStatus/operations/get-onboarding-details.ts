import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { PATHS, type OnboardingDetails } from '../../shared/contract';
import { isDetailsNotShared } from '../../shared/errors/failure-facts';
import { detailsNotSharedItem, normaliseOnboardingDetails } from '../../shared/onboarding/details';
import { pliantApiRequest } from '../../shared/http/transport';
import { explainOrganizationError } from '../organization-errors';
import {
	organizationProperties,
	readOrganizationReference,
	resolveOrganizationId,
	type OrganizationReference,
} from '../organization-locator';
import { simplifyProperty } from '../shared-properties';

type IfDetailsNotShared = 'error' | 'output';

const properties: INodeProperties[] = [
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
				displayName: 'If Details Not Shared',
				name: 'detailsNotShared',
				type: 'options',
				default: 'error',
				description:
					'What to do when the customer has not agreed to share onboarding details with partners',
				options: [
					{
						name: 'Fail',
						value: 'error',
						description: 'Stop with an error that says so (an error item under Continue On Fail)',
					},
					{
						name: 'Output Not Shared Item',
						value: 'output',
						description: 'Output {organizationId, detailsShared: false} and carry on',
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { operation: ['getOnboardingDetails'] } },
	properties,
);

export interface DetailsInput {
	reference: OrganizationReference;
	simplify: boolean;
	ifNotShared: IfDetailsNotShared;
}

/** Phase 1: read and check the item; nothing is sent. */
export function prepare(this: IExecuteFunctions, itemIndex: number): DetailsInput {
	return {
		reference: readOrganizationReference.call(this, itemIndex),
		simplify: this.getNodeParameter('simplify', itemIndex, true) as boolean,
		ifNotShared: this.getNodeParameter('options.detailsNotShared', itemIndex, 'error') as IfDetailsNotShared,
	};
}

export async function send(this: IExecuteFunctions, input: DetailsInput, itemIndex: number): Promise<IDataObject> {
	const { simplify, ifNotShared } = input;
	const organizationId = await resolveOrganizationId.call(this, input.reference, itemIndex);

	let details: OnboardingDetails;
	try {
		details = (await pliantApiRequest.call(this, {
			method: 'GET',
			path: PATHS.organizationRisk(organizationId),
			itemIndex,
		})) as OnboardingDetails;
	} catch (error) {
		if (ifNotShared === 'output' && isDetailsNotShared(error)) {
			return detailsNotSharedItem(organizationId);
		}
		throw explainOrganizationError(error, organizationId);
	}
	return simplify ? normaliseOnboardingDetails(details, organizationId) : (details as IDataObject);
}
