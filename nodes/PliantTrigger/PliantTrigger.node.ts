import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../shared/http/transport';
import { triggerProperties } from './description';
import { checkExists, create, deleteSubscriptionsOfNode } from './subscriptions';
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
		properties: triggerProperties,
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteSubscriptionsOfNode.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleCallback.call(this);
	}
}
