import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/identity';
import { searchCallbackUrls } from './callback-urls';
import { SOURCES, versionedProperties } from './description';
import { pollMissedCallbacks } from './missed-callbacks';
import { pollOnboardingChanges } from './poll';
import { triggerPanel } from './trigger-panel';

export class PliantOnboardingStatusTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pliant Onboarding Status Trigger',
		name: 'pliantOnboardingStatusTrigger',
		icon: { light: 'file:../../icons/pliant.svg', dark: 'file:../../icons/pliant.dark.svg' },
		group: ['trigger'],
		// 2: a second source, the callbacks Pliant's log shows as failed; version 1 is unchanged.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: `={{ $parameter["source"] === "${SOURCES.callbackLog}" ? "Missed callbacks" : ($parameter["events"] || []).includes("*") ? "All onboarding events" : ($parameter["events"] || []).join(", ") }}`,
		description:
			'Starts the workflow when an onboarding changes, by polling Pliant: no public URL needed. Or catches up the callbacks a Pliant Trigger missed.',
		defaults: { name: 'Pliant Onboarding Status Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		triggerPanel,
		activationMessage:
			'n8n now polls Pliant on your schedule. Each change (or missed callback) starts one execution; the first poll of changes only records the current state unless told otherwise.',
		properties: versionedProperties,
	};

	methods = { listSearch: { searchCallbackUrls } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const source = this.getNode().typeVersion >= 2 ? this.getNodeParameter('source', SOURCES.changes) : SOURCES.changes;
		if (source === SOURCES.callbackLog) return await pollMissedCallbacks.call(this);
		return await pollOnboardingChanges.call(this);
	}
}
