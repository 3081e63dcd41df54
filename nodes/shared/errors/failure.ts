import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { FailureFacts } from './failure-facts';

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
	/** Every problem of an item checked as a whole (a dry run), each naming its field. */
	problems?: string[];
	/**
	 * What Pliant answered, or how the call failed: makes the error a NodeApiError. Kept once,
	 * as `context.pliant`, and read back by failureFacts().
	 */
	http?: FailureFacts;
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

/** The HTTP status as n8n's errors spell it ("404"), or undefined when no answer came. */
export function httpCodeOf(facts: FailureFacts): string | undefined {
	return facts.status ? String(facts.status) : undefined;
}

function apiError(node: INode, failure: Failure & { http: FailureFacts }): NodeApiError {
	const facts = failure.http;
	const error = new NodeApiError(node, (facts.body ?? { message: failure.message }) as JsonObject, {
		message: messageOf(failure),
		description: descriptionOf(failure),
		httpCode: httpCodeOf(facts),
		itemIndex: failure.itemIndex,
	});
	// NodeApiError swaps a message naming a network code (ECONNRESET...) for n8n's generic text,
	// which would hide the Pliant-specific message: it is stated again before anyone sees it.
	Object.defineProperty(error, 'message', { value: messageOf(failure), writable: true, configurable: true });
	error.context.pliant = facts;
	return error;
}

/** The one constructor of the package's node errors. */
export function buildError(node: INode, failure: Failure): NodeError {
	if (failure.http) return buildApiError(node, { ...failure, http: failure.http });
	const error = new NodeOperationError(node, messageOf(failure), {
		description: descriptionOf(failure),
		itemIndex: failure.itemIndex,
	});
	structured.set(error, failure);
	return error;
}

/** A failure of a Pliant call, always a NodeApiError. */
export function buildApiError(node: INode, failure: Failure & { http: FailureFacts }): NodeApiError {
	const error = apiError(node, failure);
	structured.set(error, failure);
	return error;
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
		const status = Number(error.httpCode);
		failure.http = Number.isInteger(status) && status >= 100 ? { status } : {};
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
	problem: Pick<Failure, 'message' | 'description' | 'agentHint' | 'problems'>,
): NodeError {
	return buildError(node, { ...problem, itemIndex, namesItem: true });
}
