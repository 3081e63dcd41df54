import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

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
	const apiError = new NodeApiError(node, (facts.body ?? { message: human.message }) as JsonObject, {
		message: override?.message ?? human.message,
		description: override?.description ?? human.description,
		httpCode: facts.status ? String(facts.status) : undefined,
		itemIndex,
	});
	// NodeApiError swaps any message naming a network code (ECONNRESET...) for n8n's generic
	// text, which would hide the Pliant-specific message (and the token URL for a failed login).
	apiError.message = override?.message ?? human.message;
	// The facts, machine-readable for the nodes and for failureFacts() (which reads them back).
	apiError.context.pliant = {
		status: facts.status,
		code: facts.body?.code,
		details: facts.body?.details,
		networkCode: facts.networkCode,
		// 409 LEAD_ALREADY_EXISTS: the existing lead, for Create Lead's "Return Existing Lead"
		leadId: facts.body?.leadId,
		body: facts.body as JsonObject | undefined,
		retryAfterMs: facts.retryAfterMs,
		cancelled: facts.cancelled,
		method: request.method,
	};
	return apiError;
}
