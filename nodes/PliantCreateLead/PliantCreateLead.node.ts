import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { operationProperties, operationSubtitle, runOperation } from '../shared/execution/operations';
import { CREDENTIAL_TYPE } from '../shared/identity';
import { DEFAULT_OPERATION, OPERATIONS } from './operations';

export class PliantCreateLead implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pliant Create Lead',
		name: 'pliantCreateLead',
		icon: { light: 'file:../../icons/pliant.svg', dark: 'file:../../icons/pliant.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: operationSubtitle(OPERATIONS, 'action'),
		description: 'Refer a company to Pliant as a lead, validated before anything is sent',
		defaults: { name: 'Pliant Create Lead' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: operationProperties(OPERATIONS, DEFAULT_OPERATION),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperation.call(this, OPERATIONS);
	}
}
