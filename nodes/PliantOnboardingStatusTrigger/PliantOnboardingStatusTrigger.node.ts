import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/identity';
import { triggerProperties } from './description';
import { pollOnboardingChanges } from './poll';
import { triggerPanel } from './trigger-panel';

export class PliantOnboardingStatusTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pliant Onboarding Status Trigger',
		name: 'pliantOnboardingStatusTrigger',
		icon: { light: 'file:../../icons/pliant.svg', dark: 'file:../../icons/pliant.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).includes("*") ? "All onboarding events" : ($parameter["events"] || []).join(", ") }}',
		description:
			'Starts the workflow when an onboarding changes, by polling Pliant: no public URL needed. Authorization events are callbacks only (Pliant Trigger).',
		defaults: { name: 'Pliant Onboarding Status Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		triggerPanel,
		activationMessage:
			'n8n now polls Pliant on your schedule. Each change starts one execution; the first poll only records the current state unless told otherwise.',
		properties: triggerProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollOnboardingChanges.call(this);
	}
}
