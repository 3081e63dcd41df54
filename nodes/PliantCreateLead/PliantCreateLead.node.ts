import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runPerItem } from '../shared/execute-items';
import { CREDENTIAL_TYPE } from '../shared/transport';
import { CREATE_LEAD_CONCURRENCY, createLead } from './create-lead';
import { properties } from './description';
import { readLeadInput } from './lead-body';
import { leadForAgent } from './tool-output';

export class PliantCreateLead implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pliant Create Lead',
		name: 'pliantCreateLead',
		icon: { light: 'file:../../icons/pliant.svg', dark: 'file:../../icons/pliant.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "create" ? "Create a lead" : $parameter["operation"] }}',
		description: 'Refer a company to Pliant as a lead, validated before anything is sent',
		defaults: { name: 'Pliant Create Lead' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			await runPerItem.call(this, async (itemIndex) => await createLead.call(this, itemIndex), {
				concurrency: CREATE_LEAD_CONCURRENCY,
				toolOutput: (result, itemIndex) =>
					leadForAgent(result as IDataObject, readLeadInput.call(this, itemIndex)),
			}),
		];
	}
}
