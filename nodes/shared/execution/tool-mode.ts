import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * When a node runs as an AI tool (an agent or an MCP client called it), its output and errors
 * are read by a language model: short text it can act on beats the full debug object.
 */

/** The fix an agent can apply, set on an error where the node's own hint speaks of the editor. */
export const AGENT_HINT = 'agentHint';

/**
 * Whether this run is a tool call. n8n 2.x says so with `isToolExecution()`; 1.x has no such
 * call, but runs tools only as the type n8n generates from `usableAsTool`, named `<name>Tool`.
 */
export function runsAsTool(context: IExecuteFunctions): boolean {
	const isToolExecution = (context as Partial<Pick<IExecuteFunctions, 'isToolExecution'>>).isToolExecution;
	if (typeof isToolExecution === 'function') return isToolExecution.call(context);
	return /Tool$/.test(context.getNode().type);
}

/** A tool call is one item: "[item 0]" or "(item 0)" says nothing to the agent. */
function withoutItemReference(message: string): string {
	return message.replace(/\s*[[(]item \d+[\])]/g, '').trim();
}

/**
 * The error a tool call ends with: the problem (field, value given, closest accepted values
 * as the node names them) and one sentence on how to fix the call. n8n passes message and
 * description to the client as "<message>\n\nDetails: <description>".
 */
export function toolError(error: NodeApiError | NodeOperationError): NodeOperationError {
	const hint = error.context[AGENT_HINT];
	const description = typeof hint === 'string' ? hint : (error.description ?? undefined);
	const message = withoutItemReference(error.message);
	const httpCode = error instanceof NodeApiError ? error.httpCode : undefined;
	const forTool = new NodeOperationError(error.node, httpCode ? `${message} (HTTP ${httpCode})` : message, {
		description: description ? withoutItemReference(description) : undefined,
	});
	return forTool;
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
