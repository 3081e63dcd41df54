import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';

import { asNodeError, explained, failureOf, type NodeError } from '../errors/failure';
import { addRunHints, type OutcomeHints } from './execution-hints';
import { runsAsTool, toolError } from './tool-mode';

/** One item's outcome, for the summary of a run that stopped half-way. */
export interface DoneItem {
	itemIndex: number;
	json: IDataObject[];
}

export type ItemResult = IDataObject | IDataObject[];

/**
 * The work per item, in two phases: `prepare` reads and checks an item without side effects
 * and runs for EVERY item before anything is sent; `send` does the call.
 */
export interface ItemWork<T, R extends ItemResult = ItemResult> {
	prepare: (itemIndex: number) => T | Promise<T>;
	send: (prepared: T, itemIndex: number) => Promise<R>;
	/** When the run stops after some items were sent: what was done, said in the error. */
	summariseDone?: (done: DoneItem[]) => string | undefined;
}

export type ToolOutput<R extends ItemResult = ItemResult> = (result: R, itemIndex: number) => ItemResult;

export interface RunPerItemOptions<R extends ItemResult = ItemResult> {
	/** Items sent at once; the shared rate limiter still bounds the request rate. */
	concurrency?: number;
	/** What an AI agent gets instead of the item's result when the node runs as a tool. */
	toolOutput?: ToolOutput<R>;
	/** The node's own words on the run's outcome, shown as execution hints with the pacing hint. */
	hints?: OutcomeHints;
	/** Every input item yields one output item, invalid ones an error item (a dry run). */
	neverStopOnInput?: boolean;
}

/**
 * An item for a failure. With "Continue (using error output)" it carries the error itself:
 * n8n routes an item to the error output only when `item.error` is set or its JSON holds
 * nothing but the error, and this JSON says more (description, httpCode, problems).
 */
function errorItem(error: NodeError, itemIndex: number, toErrorOutput: boolean): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	const httpCode = (error as NodeApiError).httpCode;
	if (httpCode) json.httpCode = httpCode;
	const { problems } = failureOf(error);
	if (problems) json.problems = problems;
	return { json, pairedItem: { item: itemIndex }, ...(toErrorOutput ? { error } : {}) };
}

interface Prepared<T> {
	itemIndex: number;
	value: T;
}

/**
 * Prepares every item before anything is sent. The first invalid item stops the run; when
 * items fail as items (Continue On Fail, a dry run) it becomes an error item and the others go on.
 */
async function prepareAll<T>(
	prepare: (itemIndex: number) => T | Promise<T>,
	results: INodeExecutionData[][],
	fail: (error: unknown, itemIndex: number) => INodeExecutionData,
): Promise<Array<Prepared<T>>> {
	const prepared: Array<Prepared<T>> = [];
	for (let itemIndex = 0; itemIndex < results.length; itemIndex++) {
		try {
			prepared.push({ itemIndex, value: await prepare(itemIndex) });
		} catch (error) {
			results[itemIndex] = [fail(error, itemIndex)];
		}
	}
	return prepared;
}

/**
 * The one place that turns per-item work into n8n output: results keep input order and
 * `pairedItem`. Every item is prepared first; while any is invalid nothing is sent (under
 * "Continue On Fail" invalid items become error items and the valid ones are sent). A failed
 * send stops the run with an error that names the item and what was already done; under
 * "Continue On Fail" it becomes an error item, on the error output when the node has one.
 * Items already sent are never resent.
 */
export async function runPerItem<T, R extends ItemResult = ItemResult>(
	this: IExecuteFunctions,
	work: ItemWork<T, R>,
	options: RunPerItemOptions<R> = {},
): Promise<INodeExecutionData[]> {
	const itemCount = this.getInputData().length;
	const asTool = runsAsTool(this);
	const toolOutput = asTool ? options.toolOutput : undefined;
	const continueOnFail = this.continueOnFail();
	const toErrorOutput = continueOnFail && this.getNode().onError === 'continueErrorOutput';
	// As a tool, errors are short text an agent can act on.
	const toNodeError = (error: unknown, itemIndex: number): NodeError => {
		const itemError = asNodeError(this.getNode(), error, itemIndex);
		return asTool ? toolError(itemError) : itemError;
	};
	const results: INodeExecutionData[][] = new Array(itemCount);
	const prepared = await prepareAll(work.prepare, results, (error, itemIndex) => {
		const nodeError = toNodeError(error, itemIndex);
		if (!continueOnFail && !options.neverStopOnInput) throw nodeError;
		return errorItem(nodeError, itemIndex, toErrorOutput);
	});

	const concurrency = Math.max(1, Math.min(options.concurrency ?? 1, prepared.length || 1));
	const done: DoneItem[] = [];
	let next = 0;
	// The lowest failed item, when "Continue On Fail" is off: the run stops with its error.
	const failure: { error?: NodeError; itemIndex: number } = { itemIndex: Infinity };

	const worker = async () => {
		while (failure.error === undefined && next < prepared.length) {
			const { itemIndex, value } = prepared[next++];
			try {
				const result = await work.send(value, itemIndex);
				const json = this.helpers.returnJsonArray(result);
				results[itemIndex] = this.helpers.constructExecutionMetaData(
					toolOutput ? this.helpers.returnJsonArray(toolOutput(result, itemIndex)) : json,
					{ itemData: { item: itemIndex } },
				);
				done.push({ itemIndex, json: json.map((item) => item.json) });
			} catch (error) {
				const nodeError = toNodeError(error, itemIndex);
				if (!continueOnFail) {
					if (itemIndex < failure.itemIndex) Object.assign(failure, { error: nodeError, itemIndex });
					return;
				}
				results[itemIndex] = [errorItem(nodeError, itemIndex, toErrorOutput)];
			}
		}
	};

	await Promise.all(Array.from({ length: concurrency }, worker));
	done.sort((a, b) => a.itemIndex - b.itemIndex);
	if (failure.error !== undefined) throw stoppedError(failure.error, failure.itemIndex, done, work.summariseDone);
	if (options.hints) await addRunHints.call(this, options.hints(done.flatMap((item) => item.json)));
	return results.flat();
}

/** The error a run stops with: the failed item's, with what was already done said after it. */
function stoppedError(
	error: NodeError,
	itemIndex: number,
	done: DoneItem[],
	summariseDone: ItemWork<unknown>['summariseDone'],
): NodeError {
	const summary = done.length > 0 ? summariseDone?.(done) : undefined;
	return summary ? explained(error, { itemIndex, namesItem: true, done: summary }) : error;
}
