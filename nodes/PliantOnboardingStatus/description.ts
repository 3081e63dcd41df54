import type { INodeProperties } from 'n8n-workflow';

import * as activateAuthorization from './operations/activate-authorization';
import * as get from './operations/get';
import * as getMany from './operations/get-many';
import * as getOnboardingDetails from './operations/get-onboarding-details';

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'get',
	options: [
		{
			name: 'Activate Authorization',
			value: 'activateAuthorization',
			action: 'Activate the authorization of an organization',
			description:
				"Finalise the organization's data-sharing authorization once Pliant reports it pending",
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get the onboarding status of an organization',
			description: 'Get one organization with its status and onboarding stage',
		},
		{
			name: 'Get Many',
			value: 'getMany',
			action: 'Get many organizations',
			description: 'List organizations, optionally by status or partner organization ID',
		},
		{
			name: 'Get Onboarding Details',
			value: 'getOnboardingDetails',
			action: 'Get the onboarding details of an organization',
			description:
				'Get representatives, documents, bank connection and direct debit, and what waits on the customer',
		},
	],
};

export const properties: INodeProperties[] = [
	operationProperty,
	...get.description,
	...getOnboardingDetails.description,
	...getMany.description,
	...activateAuthorization.description,
];

/** The operation's display name under the node on the canvas, e.g. "Get Onboarding Details". */
export const SUBTITLE = `={{ ${JSON.stringify(
	Object.fromEntries(
		(operationProperty.options as Array<{ name: string; value: string }>).map((option) => [
			option.value,
			option.name,
		]),
	),
)}[$parameter["operation"]] }}`;
