import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { addRunHints } from '../shared/execution/execution-hints';
import { runPerItem, type ItemWork } from '../shared/execution/item-runner';
import * as activateAuthorization from './operations/activate-authorization';
import * as get from './operations/get';
import * as getMany from './operations/get-many';
import * as getOnboardingDetails from './operations/get-onboarding-details';
import { TOOL_OUTPUTS } from './tool-output';

/** Each operation in two phases: `prepare` checks an item (every item, before any send), `send` calls Pliant. */
interface Operation<T> {
	prepare: (this: IExecuteFunctions, itemIndex: number) => T | Promise<T>;
	send: (this: IExecuteFunctions, input: T, itemIndex: number) => Promise<IDataObject | IDataObject[]>;
}

/** Forgets an operation's input type: the router only hands `prepare`'s value to `send`. */
const erase = <T>(operation: Operation<T>) => operation as unknown as Operation<unknown>;

const OPERATIONS: Record<string, Operation<unknown>> = {
	activateAuthorization: erase(activateAuthorization),
	get: erase(get),
	getMany: erase(getMany),
	getOnboardingDetails: erase(getOnboardingDetails),
};

// Items run a few at a time; the shared rate limiter still bounds the request rate.
const CONCURRENCY = 4;

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = OPERATIONS[operation] as Operation<unknown> | undefined;
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	// Every item is checked before the first request (validate first, as Create Lead does).
	const work: ItemWork<unknown> = { prepare: handler.prepare.bind(this), send: handler.send.bind(this) };
	const output = await runPerItem.call(this, work, {
		concurrency: CONCURRENCY,
		toolOutput: TOOL_OUTPUTS[operation],
	});
	await addRunHints.call(this, output);
	return [output];
}
