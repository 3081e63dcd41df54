import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { runsAsTool, toolError } from './tool-mode';

export interface RunPerItemOptions {
	/** Items processed at once; the shared rate limiter still bounds the request rate. */
	concurrency?: number;
	/** What an AI agent gets instead of the item's result when the node runs as a tool. */
	toolOutput?: ToolOutput;
}

type ItemResult = IDataObject | IDataObject[];
type ItemHandler = (itemIndex: number) => Promise<ItemResult>;
export type ToolOutput = (result: ItemResult, itemIndex: number) => ItemResult;

function asNodeError(this: IExecuteFunctions, error: unknown, itemIndex: number) {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}

/**
 * The one place that turns per-item work into n8n output: results keep input order and
 * `pairedItem`; a failed item becomes an error item under "Continue On Fail", otherwise the
 * run stops with an error that names the item. Items already sent are never resent.
 */
export async function runPerItem(
	this: IExecuteFunctions,
	handler: ItemHandler,
	options: RunPerItemOptions = {},
): Promise<INodeExecutionData[]> {
	const itemCount = this.getInputData().length;
	const asTool = runsAsTool(this);
	const toolOutput = asTool ? options.toolOutput : undefined;
	const concurrency = Math.max(1, Math.min(options.concurrency ?? 1, itemCount || 1));
	const results: INodeExecutionData[][] = new Array(itemCount);
	let next = 0;
	// The lowest failed item, when "Continue On Fail" is off: the run stops with its error.
	const failure: { error?: unknown; itemIndex: number } = { itemIndex: Infinity };

	const worker = async () => {
		while (failure.error === undefined && next < itemCount) {
			const itemIndex = next++;
			try {
				const result = await handler(itemIndex);
				const json = toolOutput ? toolOutput(result, itemIndex) : result;
				results[itemIndex] = this.helpers.constructExecutionMetaData(
					this.helpers.returnJsonArray(json),
					{ itemData: { item: itemIndex } },
				);
			} catch (error) {
				const itemError = asNodeError.call(this, error, itemIndex);
				const nodeError = asTool ? toolError(itemError) : itemError;
				if (!this.continueOnFail()) {
					if (itemIndex < failure.itemIndex) Object.assign(failure, { error: nodeError, itemIndex });
					return;
				}
				const errorJson: IDataObject = { error: nodeError.message };
				if (nodeError.description) errorJson.description = nodeError.description;
				const httpCode = (nodeError as NodeApiError).httpCode;
				if (httpCode) errorJson.httpCode = httpCode;
				results[itemIndex] = [{ json: errorJson, pairedItem: { item: itemIndex } }];
			}
		}
	};

	await Promise.all(Array.from({ length: concurrency }, worker));
	if (failure.error !== undefined) throw failure.error;
	return results.flat();
}
