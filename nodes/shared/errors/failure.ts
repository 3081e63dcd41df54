import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * A failure as the package states it, built once and never edited: node-specific explanations
 * make a new one from it (`explained`). The words a person reads and the fields an agent or a
 * later explanation needs are kept apart, so nothing has to be cut out of a message again.
 */
export interface Failure {
	/** The problem in the node's words, without the item reference. */
	message: string;
	description?: string;
	itemIndex?: number;
	/** Problems in an item's own input name the item in the message; Pliant's answers do not. */
	namesItem?: boolean;
	/** What a run that stopped half-way had already done, said after the problem. */
	done?: string;
	/** The fix an AI agent can apply, where `description` speaks of the editor. */
	agentHint?: string;
	/** What Pliant answered: makes the error a NodeApiError. */
	http?: HttpFailure;
}

export interface HttpFailure {
	httpCode?: string;
	body: JsonObject;
	/** Machine-readable facts, kept as `context.pliant` for the nodes and failureFacts(). */
	facts: IDataObject;
}

export type NodeError = NodeApiError | NodeOperationError;

/** The one spelling of an item reference in every message. */
export function itemReference(itemIndex: number): string {
	return `[item ${itemIndex}]`;
}

function messageOf(failure: Failure): string {
	const named = failure.namesItem && failure.itemIndex !== undefined ? ` ${itemReference(failure.itemIndex)}` : '';
	return `${failure.message}${named}${failure.done ? `; ${failure.done}` : ''}`;
}

function descriptionOf(failure: Failure): string | undefined {
	return [failure.description, failure.done && `${failure.done}.`].filter(Boolean).join(' ') || undefined;
}

/** What each error this module built was built from; n8n's own errors are not in it. */
const structured = new WeakMap<NodeError, Failure>();

function apiError(node: INode, failure: Failure & { http: HttpFailure }): NodeApiError {
	const error = new NodeApiError(node, failure.http.body, {
		message: messageOf(failure),
		description: descriptionOf(failure),
		httpCode: failure.http.httpCode,
		itemIndex: failure.itemIndex,
	});
	// NodeApiError swaps a message naming a network code (ECONNRESET...) for n8n's generic text,
	// which would hide the Pliant-specific message: it is stated again before anyone sees it.
	Object.defineProperty(error, 'message', { value: messageOf(failure), writable: true, configurable: true });
	error.context.pliant = failure.http.facts;
	return error;
}

/** The one constructor of the package's node errors. */
export function buildError(node: INode, failure: Failure): NodeError {
	const error = failure.http
		? apiError(node, failure as Failure & { http: HttpFailure })
		: new NodeOperationError(node, messageOf(failure), {
				description: descriptionOf(failure),
				itemIndex: failure.itemIndex,
			});
	structured.set(error, failure);
	return error;
}

/** A failure of a Pliant call, always a NodeApiError. */
export function buildApiError(node: INode, failure: Failure & { http: HttpFailure }): NodeApiError {
	return buildError(node, failure) as NodeApiError;
}

/** The structured failure of a node error: ours as built, n8n's read from its fields. */
export function failureOf(error: NodeError): Failure {
	const built = structured.get(error);
	if (built) return built;
	const failure: Failure = {
		message: error.message,
		description: error.description ?? undefined,
		itemIndex: error.context.itemIndex as number | undefined,
	};
	if (error instanceof NodeApiError) {
		failure.http = { httpCode: error.httpCode ?? undefined, body: { message: error.message }, facts: {} };
	}
	return failure;
}

/** A new error saying more (or else) about the same failure; the given one stays as it was. */
export function explained(error: NodeError, changes: Partial<Failure>): NodeError {
	return buildError(error.node, { ...failureOf(error), ...changes });
}

/** Any thrown value as a node error that knows its item. */
export function asNodeError(node: INode, error: unknown, itemIndex: number): NodeError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		return error.context.itemIndex === undefined ? explained(error, { itemIndex }) : error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/** A problem in an item's input, found before anything is sent: names the field, the value and the item. */
export function inputError(
	node: INode,
	itemIndex: number,
	problem: Pick<Failure, 'message' | 'description' | 'agentHint'>,
): NodeError {
	return buildError(node, { ...problem, itemIndex, namesItem: true });
}
