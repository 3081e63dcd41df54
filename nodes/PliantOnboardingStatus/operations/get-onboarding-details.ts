import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { PATHS, type OnboardingDetails } from '../../shared/contract';
import { isDetailsNotShared } from '../../shared/errors/error-facts';
import { detailsNotSharedItem, normaliseOnboardingDetails } from '../../shared/onboarding/details';
import { pliantApiRequest } from '../../shared/http/transport';
import { explainOrganizationError } from '../organization-errors';
import { organizationIdProperty, readOrganizationId } from '../organization-id';
import { simplifyProperty } from '../shared-properties';

type IfDetailsNotShared = 'error' | 'output';

const properties: INodeProperties[] = [
	organizationIdProperty,
	{
		...simplifyProperty,
		hint: "Simplified output lists representatives, documents, bank connection and direct debit, and what is still pending on the customer's side",
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

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const organizationId = readOrganizationId.call(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const ifNotShared = this.getNodeParameter(
		'options.detailsNotShared',
		itemIndex,
		'error',
	) as IfDetailsNotShared;

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
