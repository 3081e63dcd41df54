import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/identity';
import { triggerProperties } from './description';
import { checkExists, create, deleteSubscriptionsOfNode } from './subscriptions';
import { answerSample, cancelSample, offerSample, withoutSampleMark } from './sample-event';
import { triggerPanel } from './trigger-panel';
import { handleCallback } from './webhook';

export class PliantTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pliant Trigger',
		name: 'pliantTrigger',
		icon: { light: 'file:../../icons/pliant.svg', dark: 'file:../../icons/pliant.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves exactly like 1. n8n evaluates an expression per request for start nodes at
		// version 1 (a "binaryData" option lookup), which costs an expression isolate per callback.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ ($parameter["events"] || []).includes("*") ? "All onboarding events" : ($parameter["events"] || []).join(", ") }}',
		description: "Starts the workflow when Pliant sends an onboarding callback (signed, verified, deduplicated)",
		defaults: { name: 'Pliant Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Answer as soon as the execution starts; `responseData: ''` makes n8n send the
				// `webhookResponse` of webhook() instead of the literal text "firstEntryJson".
				responseMode: 'onReceived',
				responseData: '',
				path: 'webhook',
			},
		],
		triggerPanel,
		activationMessage:
			'Pliant now sends the selected events to the production URL: the subscriptions are registered at Pliant, and unpublishing deletes them.',
		properties: triggerProperties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const exists = await checkExists.call(this);
				// "Listen for test event": a sample once the test URL is subscribed (manual mode only).
				if (exists) offerSample.call(this);
				return exists;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const created = await create.call(this);
				offerSample.call(this);
				return created;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				// First, before any await: a sample not sent yet is never sent to a removed test URL.
				cancelSample.call(this);
				return await deleteSubscriptionsOfNode.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return answerSample.call(this) ?? withoutSampleMark(await handleCallback.call(this));
	}
}
