/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness: reaches n8n-core's own DI copy through node:module */
/**
 * Polling triggers in n8n-core's real engine, the way n8n's active workflows run them: one
 * `Workflow` kept between polls (its static data is the trigger's memory), n8n-core's own
 * `PollContext` and `TriggersAndPollers.runPollFunction`, and the executor's rule that a
 * non-null result becomes one more execution. Every `__emit` is recorded as one execution.
 *
 * ```ts
 * const trigger = new PollHarness({ parameters: { events: ['*'] }, credentialsHelper });
 * const first = await trigger.poll();            // { executions: [[item], ...], error? }
 * trigger.restart();                             // n8n restarted: static data reloaded from "the DB"
 * const manual = await trigger.fetchTestEvent(); // "Fetch Test Event" in a new manual execution
 * ```
 * HTTP goes through n8n's own `httpRequestWithAuthentication` with the credentials helper of
 * engine.ts, so the emulator and nock both work.
 */
import { createRequire } from 'node:module';

import { PollContext, TriggersAndPollers } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { PliantOnboardingStatusTrigger } from '../../nodes/PliantOnboardingStatusTrigger/PliantOnboardingStatusTrigger.node';
import { CREDENTIAL_NAME, PliantCredentialsHelper, runNode, type RunError } from './engine';

const requireFromCore = createRequire(require.resolve('n8n-core'));
const { Container } = requireFromCore('@n8n/di') as typeof import('@n8n/di');

export const POLL_NODE_TYPE = 'pliantOnboardingStatusTrigger';
const NODE_NAME = 'Pliant Onboarding Status Trigger';

class OneNodeType implements INodeTypes {
	constructor(private readonly type: INodeType) {}

	getByName(): INodeType {
		return this.type;
	}

	getByNameAndVersion(): INodeType {
		return this.type;
	}

	getKnownTypes() {
		return {};
	}
}

export interface PollResult {
	/** One entry per execution the poll started, each the trigger's output (items of output 0). */
	executions: IDataObject[][];
	/** The error the poll ended with, if any (n8n would record a failed execution). */
	error?: RunError;
}

export interface PollHarnessOptions {
	parameters: INodeParameters;
	credentialsHelper: PliantCredentialsHelper;
	/** The node's type version; 1 unless given. */
	typeVersion?: number;
	/** Called as each execution starts (when n8n saves the static data). */
	onExecution?: () => void;
}

export class PollHarness {
	readonly nodeType = new PliantOnboardingStatusTrigger();

	readonly node: INode;

	private workflow: Workflow;

	private activation: WorkflowActivateMode = 'activate';

	constructor(private readonly options: PollHarnessOptions) {
		this.node = {
			id: 'poll-node',
			name: NODE_NAME,
			type: POLL_NODE_TYPE,
			typeVersion: options.typeVersion ?? 1,
			position: [0, 0],
			parameters: options.parameters,
			credentials: { [CREDENTIAL_NAME]: { id: '1', name: 'Pliant account' } },
		};
		this.workflow = this.newWorkflow({});
	}

	private newWorkflow(staticData: IDataObject): Workflow {
		return new Workflow({
			id: 'poll-harness',
			name: 'Poll harness',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: new OneNodeType(this.nodeType),
			staticData,
			settings: { executionOrder: 'v1' },
		});
	}

	/** The workflow's static data as n8n would save it (a plain copy). */
	get staticData(): IDataObject {
		return JSON.parse(JSON.stringify(this.workflow.staticData)) as IDataObject;
	}

	/** As after an n8n restart: a new workflow object with the saved static data (or the given). */
	restart(saved: IDataObject = this.staticData): void {
		this.workflow = this.newWorkflow(JSON.parse(JSON.stringify(saved)) as IDataObject);
		this.activation = 'init';
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: this.options.credentialsHelper,
			executionId: 'poll',
			restApiUrl: 'http://localhost:5678/rest',
			instanceBaseUrl: 'http://localhost:5678/',
			webhookBaseUrl: 'http://localhost:5678/webhook',
			webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
			webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
			formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
			variables: {},
			userId: 'harness-user',
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	/** One production poll (a cron tick, or the poll n8n runs when it activates the workflow). */
	async poll(): Promise<PollResult> {
		const executions: IDataObject[][] = [];
		// n8n resolves `done` when the execution has finished; here it is finished once recorded
		const record = (data: INodeExecutionData[][], _response?: unknown, done?: { resolve: (run: undefined) => void }) => {
			this.options.onExecution?.();
			executions.push((data[0] ?? []).map((item) => item.json));
			done?.resolve(undefined);
		};
		const context = new PollContext(
			this.workflow,
			this.node,
			this.additionalData(),
			'trigger',
			this.activation,
			record,
			() => {},
		);
		this.activation = 'init';
		try {
			const result = await Container.get(TriggersAndPollers).runPollFunction(this.workflow, this.node, context);
			if (result !== null) record(result);
			return { executions };
		} catch (error) {
			return { executions, error: error as RunError };
		}
	}

	/**
	 * "Fetch Test Event" as n8n-core's WorkflowExecute runs it (a PollContext in manual mode), on
	 * this workflow, so the trigger sees the static data production polls left.
	 */
	async fetchTestEventWithStaticData(): Promise<IDataObject[]> {
		const context = new PollContext(this.workflow, this.node, this.additionalData(), 'manual', 'manual');
		const result = await this.nodeType.poll.call(context);
		return (result?.[0] ?? []).map((item) => item.json);
	}

	/** "Fetch Test Event": the poll node run in a manual execution (n8n-core's WorkflowExecute). */
	async fetchTestEvent() {
		return await runNode({
			nodeType: POLL_NODE_TYPE,
			nodeTypes: { [POLL_NODE_TYPE]: this.nodeType },
			parameters: this.options.parameters,
			typeVersion: this.options.typeVersion,
			credentialsHelper: this.options.credentialsHelper,
			mode: 'manual',
		});
	}
}
