import type { INode, JsonObject, NodeApiError } from 'n8n-workflow';

import { buildApiError } from './failure';
import { humanMessage, type RequestShape } from './messages';
import { failureFacts } from './failure-facts';
import { maskJson } from '../mask';

/**
 * Wraps any failure of a Pliant call into a NodeApiError with a human message. Pliant's body is
 * masked (the `secrets` given and anything named like a secret) before the error keeps it: its
 * words may echo what was sent.
 */
export function toPliantApiError(
	node: INode,
	error: unknown,
	itemIndex?: number,
	override?: { message?: string; description?: string },
	request: RequestShape = {},
	secrets: readonly (string | undefined)[] = [],
): NodeApiError {
	const raw = failureFacts(error);
	const facts = raw.body ? { ...raw, body: maskJson(raw.body, secrets) } : raw;
	const human = humanMessage(facts, request);
	return buildApiError(node, {
		message: override?.message ?? human.message,
		description: override?.description ?? human.description,
		itemIndex,
		http: {
			httpCode: facts.status ? String(facts.status) : undefined,
			body: (facts.body ?? { message: human.message }) as JsonObject,
			// read back by failureFacts(), so a wrapped error keeps what Pliant said
			facts: {
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
			},
		},
	});
}
