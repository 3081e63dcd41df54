/**
 * A test-only node that sends one Pliant request per item through the package's transport and
 * per-item runner, so the foundation (credential, token cache, retries, errors, pairedItem,
 * Continue On Fail) can be tested in the real engine without depending on a feature node.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runPerItem } from '../../nodes/shared/execution/item-runner';
import { pliantApiRequest } from '../../nodes/shared/http/transport';
import { runNode, type RunNodeOptions, type RunNodeResult } from './engine';

export const PROBE_NODE_TYPE = 'pliantProbe';

export class PliantProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pliant Probe',
		name: PROBE_NODE_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Test-only: one Pliant request per item',
		defaults: { name: 'Pliant Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'pliantApi', required: true }],
		usableAsTool: true,
		properties: [
			{ displayName: 'Method', name: 'method', type: 'string', default: 'GET' },
			{ displayName: 'Path', name: 'path', type: 'string', default: '/organizations' },
			{ displayName: 'Body', name: 'body', type: 'json', default: '' },
			{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 1 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const concurrency = this.getNodeParameter('concurrency', 0, 1) as number;
		const output = await (runPerItem<number>).call(
			this,
			{ prepare: (itemIndex) => itemIndex, send: async (itemIndex) => {
				const method = this.getNodeParameter('method', itemIndex) as IHttpRequestMethods;
				const path = this.getNodeParameter('path', itemIndex) as string;
				const rawBody = this.getNodeParameter('body', itemIndex, '') as string | IDataObject;
				const body =
					typeof rawBody === 'string'
						? rawBody
							? (JSON.parse(rawBody) as IDataObject)
							: undefined
						: rawBody;
				return (await pliantApiRequest.call(this, {
					method,
					path,
					body,
					itemIndex,
				})) as IDataObject;
			} },
			{ concurrency },
		);
		return [output];
	}
}

/** Runs the probe in n8n's real engine (test/support/engine.ts `runNode`). */
export async function runProbe(options: Omit<RunNodeOptions, 'nodeType' | 'nodeTypes'>): Promise<RunNodeResult> {
	return await runNode({ ...options, nodeType: PROBE_NODE_TYPE, nodeTypes: { [PROBE_NODE_TYPE]: new PliantProbe() } });
}
