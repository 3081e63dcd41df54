import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/identity';
import { properties, SUBTITLE } from './description';
import { searchOrganizations } from './list-search';
import { route } from './router';

export class PliantOnboardingStatus implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pliant Onboarding Status',
		name: 'pliantOnboardingStatus',
		icon: { light: 'file:../../icons/pliant.svg', dark: 'file:../../icons/pliant.dark.svg' },
		group: ['transform'],
		// 2: Organization is a resource locator; version 1 keeps its plain string field.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: SUBTITLE,
		description: 'Follow the onboarding of organizations you referred to Pliant',
		defaults: { name: 'Pliant Onboarding Status' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties,
	};

	methods = { listSearch: { searchOrganizations } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
