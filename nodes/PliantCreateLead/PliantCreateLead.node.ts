import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { addRunHints } from '../shared/execution/execution-hints';
import { runPerItem } from '../shared/execution/item-runner';
import { CREDENTIAL_TYPE } from '../shared/identity';
import {
	CREATE_LEAD_CONCURRENCY,
	prepareLead,
	sendLead,
	summariseCreatedLeads,
	type PreparedLead,
} from './create-lead';
import { properties } from './description';
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
		const output = await (runPerItem<PreparedLead>).call(
			this,
			{
				prepare: prepareLead.bind(this),
				send: sendLead.bind(this),
				summariseDone: summariseCreatedLeads,
			},
			{
				concurrency: CREATE_LEAD_CONCURRENCY,
				toolOutput: (result) => leadForAgent(result as IDataObject),
			},
		);
		await addRunHints.call(this, output);
		return [output];
	}
}
