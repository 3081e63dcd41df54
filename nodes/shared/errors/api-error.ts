import type { INode, NodeApiError } from 'n8n-workflow';

import { buildApiError } from './failure';
import { humanMessage, type RequestShape } from './messages';
import { failureFacts } from './failure-facts';

/** Wraps any failure of a Pliant call into a NodeApiError with a human message. */
export function toPliantApiError(
	node: INode,
	error: unknown,
	itemIndex?: number,
	override?: { message?: string; description?: string },
	request: RequestShape = {},
): NodeApiError {
	const facts = failureFacts(error);
	const human = humanMessage(facts, request);
	return buildApiError(node, {
		message: override?.message ?? human.message,
		description: override?.description ?? human.description,
		itemIndex,
		// The one structured value: failureFacts() reads it back from a wrapped error.
		http: facts,
	});
}
