import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { buildError, failureOf, type NodeError } from '../errors/failure';

/**
 * When a node runs as an AI tool (an agent or an MCP client called it), its output and errors
 * are read by a language model: short text it can act on beats the full debug object.
 */

/**
 * Whether this run is a tool call. n8n 2.x says so with `isToolExecution()`; 1.x has no such
 * call, but runs tools only as the type n8n generates from `usableAsTool`, named `<name>Tool`.
 */
export function runsAsTool(context: IExecuteFunctions): boolean {
	const isToolExecution = (context as Partial<Pick<IExecuteFunctions, 'isToolExecution'>>).isToolExecution;
	if (typeof isToolExecution === 'function') return isToolExecution.call(context);
	return /Tool$/.test(context.getNode().type);
}

/**
 * The error a tool call ends with: the problem (field, value given, closest accepted values
 * as the node names them) and one sentence on how to fix the call. n8n passes message and
 * description to the client as "<message>\n\nDetails: <description>".
 */
export function toolError(error: NodeError): NodeError {
	// A tool call is one item: the item reference says nothing to the agent, so it is left out.
	const { message, description, agentHint, http } = failureOf(error);
	return buildError(error.node, {
		message: http?.httpCode ? `${message} (HTTP ${http.httpCode})` : message,
		description: agentHint ?? description,
	});
}

/** Only the keys an agent needs, in this order; absent and empty values left out. */
export function pick(json: IDataObject, keys: string[]): IDataObject {
	const picked: IDataObject = {};
	for (const key of keys) {
		const value = json[key];
		if (value !== undefined && value !== null && value !== '') picked[key] = value;
	}
	return picked;
}
