import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runPerItem } from '../shared/execution/item-runner';
import * as activateAuthorization from './operations/activate-authorization';
import * as get from './operations/get';
import * as getMany from './operations/get-many';
import * as getOnboardingDetails from './operations/get-onboarding-details';
import { TOOL_OUTPUTS } from './tool-output';

type Handler = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>;

const HANDLERS: Record<string, Handler> = {
	activateAuthorization: activateAuthorization.execute,
	get: get.execute,
	getMany: getMany.execute,
	getOnboardingDetails: getOnboardingDetails.execute,
};

// Items run a few at a time; the shared rate limiter still bounds the request rate.
const CONCURRENCY = 4;

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = HANDLERS[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	// Each operation reads and checks its item as it goes: one phase.
	const work = { prepare: (itemIndex: number) => itemIndex, send: handler.bind(this) };
	const output = await (runPerItem<number>).call(this, work, {
		concurrency: CONCURRENCY,
		toolOutput: TOOL_OUTPUTS[operation],
	});
	return [output];
}
