import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { OutcomeHints } from './execution-hints';
import { runPerItem, type DoneItem, type ItemResult, type ToolOutput } from './item-runner';

/** How an operation shows in the node's Operation list. */
export interface OperationOption {
	name: string;
	/** Sentence case, e.g. "Get many organizations". */
	action: string;
	/** Also what an AI agent reads about the tool: says what it changes at Pliant, if anything. */
	description: string;
}

/**
 * Everything about one operation, declared once: how it shows, its fields, `prepare` (read and
 * check one item: every parameter, nothing sent), `send` (the call), what an AI agent gets and
 * what the run says in its hints. `T` is what `prepare` hands to `send`; `R` what `send` returns.
 */
export interface OperationSpec<T, R extends ItemResult> {
	option: OperationOption;
	/** Shown only for this operation (the table adds the display condition). */
	properties: INodeProperties[];
	prepare: (this: IExecuteFunctions, itemIndex: number) => T | Promise<T>;
	send: (this: IExecuteFunctions, prepared: T, itemIndex: number) => Promise<R>;
	toolOutput?: ToolOutput<R>;
	hints?: OutcomeHints;
	summariseDone?: (done: DoneItem[]) => string | undefined;
	/** Items sent at once; the shared rate limiter still bounds the request rate. */
	concurrency?: number;
	/** Every input item yields one output item (a dry run). */
	neverStopOnInput?: boolean;
}

/** An operation ready to run; its input and result types stay inside it. */
export interface Operation {
	option: OperationOption;
	properties: INodeProperties[];
	run: (this: IExecuteFunctions) => Promise<INodeExecutionData[]>;
}

/** An operation from its spec: `run` hands the spec's phases and outputs to the item runner. */
export function defineOperation<T, R extends ItemResult>(spec: OperationSpec<T, R>): Operation {
	return {
		option: spec.option,
		properties: spec.properties,
		async run(this: IExecuteFunctions) {
			return await (runPerItem<T, R>).call(
				this,
				{
					prepare: (itemIndex) => spec.prepare.call(this, itemIndex),
					send: async (prepared, itemIndex) => await spec.send.call(this, prepared, itemIndex),
					summariseDone: spec.summariseDone,
				},
				{
					concurrency: spec.concurrency,
					toolOutput: spec.toolOutput,
					hints: spec.hints,
					neverStopOnInput: spec.neverStopOnInput,
				},
			);
		},
	};
}

/** The Operation parameter and every operation's fields, from the node's operations table. */
export function operationProperties(table: Record<string, Operation>, defaultOperation: string): INodeProperties[] {
	const options: INodePropertyOptions[] = Object.entries(table).map(([value, { option }]) => ({ value, ...option }));
	const operation: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: defaultOperation,
		options,
	};
	const fields = Object.entries(table).flatMap(([value, { properties }]) =>
		updateDisplayOptions({ show: { operation: [value] } }, properties),
	);
	return [operation, ...fields];
}

/** What the canvas shows under the node: the operation's name ("Get Onboarding Details") or its action. */
export function operationSubtitle(table: Record<string, Operation>, show: 'name' | 'action' = 'name'): string {
	const names = Object.fromEntries(Object.entries(table).map(([value, { option }]) => [value, option[show]]));
	return `={{ ${JSON.stringify(names)}[$parameter["operation"]] }}`;
}

/** Runs the operation the node is set to, or fails naming the unknown one. */
export async function runOperation(
	this: IExecuteFunctions,
	table: Record<string, Operation>,
): Promise<INodeExecutionData[][]> {
	const name = this.getNodeParameter('operation', 0) as unknown;
	const operation = typeof name === 'string' && Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${String(name)}" is not supported`);
	}
	return [await operation.run.call(this)];
}
