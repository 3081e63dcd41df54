import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';

import { asNodeError, explained, type NodeError } from '../errors/failure';
import { runsAsTool, toolError } from './tool-mode';

/** One item's outcome, for the summary of a run that stopped half-way. */
export interface DoneItem {
	itemIndex: number;
	json: IDataObject[];
}

/**
 * The work per item, in two phases: `prepare` reads and checks an item without side effects
 * and runs for EVERY item before anything is sent; `send` does the call.
 */
export interface ItemWork<T> {
	prepare: (itemIndex: number) => T | Promise<T>;
	send: (prepared: T, itemIndex: number) => Promise<ItemResult>;
	/** When the run stops after some items were sent: what was done, said in the error. */
	summariseDone?: (done: DoneItem[]) => string | undefined;
}

export interface RunPerItemOptions {
	/** Items sent at once; the shared rate limiter still bounds the request rate. */
	concurrency?: number;
	/** What an AI agent gets instead of the item's result when the node runs as a tool. */
	toolOutput?: ToolOutput;
}

type ItemResult = IDataObject | IDataObject[];
export type ToolOutput = (result: ItemResult, itemIndex: number) => ItemResult;
function errorItem(error: NodeError, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	const httpCode = (error as NodeApiError).httpCode;
	if (httpCode) json.httpCode = httpCode;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Prepares every item before anything is sent. The first invalid item stops the run; under
 * "Continue On Fail" it becomes an error item in `results` and the others go on.
 */
async function prepareAll<T>(
	work: ItemWork<T>,
	results: INodeExecutionData[][],
	toNodeError: (error: unknown, itemIndex: number) => NodeError,
	continueOnFail: boolean,
): Promise<Array<{ itemIndex: number; value: T }>> {
	const prepared: Array<{ itemIndex: number; value: T }> = [];
	for (let itemIndex = 0; itemIndex < results.length; itemIndex++) {
		try {
			prepared.push({ itemIndex, value: await work.prepare(itemIndex) });
		} catch (error) {
			const nodeError = toNodeError(error, itemIndex);
			if (!continueOnFail) throw nodeError;
			results[itemIndex] = [errorItem(nodeError, itemIndex)];
		}
	}
	return prepared;
}

/**
 * The one place that turns per-item work into n8n output: results keep input order and
 * `pairedItem`. Every item is prepared first; while any is invalid nothing is sent (under
 * "Continue On Fail" invalid items become error items and the valid ones are sent). A failed
 * send stops the run with an error that names the item and what was already done; under
 * "Continue On Fail" it becomes an error item. Items already sent are never resent.
 */
export async function runPerItem<T>(
	this: IExecuteFunctions,
	work: ItemWork<T>,
	options: RunPerItemOptions = {},
): Promise<INodeExecutionData[]> {
	const itemCount = this.getInputData().length;
	const asTool = runsAsTool(this);
	const toolOutput = asTool ? options.toolOutput : undefined;
	// As a tool, errors are short text an agent can act on.
	const toNodeError = (error: unknown, itemIndex: number): NodeError => {
		const itemError = asNodeError(this.getNode(), error, itemIndex);
		return asTool ? toolError(itemError) : itemError;
	};
	const results: INodeExecutionData[][] = new Array(itemCount);
	const prepared = await prepareAll(work, results, toNodeError, this.continueOnFail());

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
				if (!this.continueOnFail()) {
					if (itemIndex < failure.itemIndex) Object.assign(failure, { error: nodeError, itemIndex });
					return;
				}
				results[itemIndex] = [errorItem(nodeError, itemIndex)];
			}
		}
	};

	await Promise.all(Array.from({ length: concurrency }, worker));
	if (failure.error !== undefined) {
		const summary = done.length > 0 ? work.summariseDone?.(done.sort((a, b) => a.itemIndex - b.itemIndex)) : undefined;
		throw summary
			? explained(failure.error, { itemIndex: failure.itemIndex, namesItem: true, done: summary })
			: failure.error;
	}
	return results.flat();
}
