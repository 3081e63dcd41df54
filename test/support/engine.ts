/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness: reaches n8n-core's own DI copies through node:module */
/**
 * Real-engine harness: runs one of our nodes inside n8n-core's own `WorkflowExecute`, so tests
 * get n8n's real pairedItem handling, Continue On Fail, credential loading and
 * `httpRequestWithAuthentication` (n8n's HTTP stack, so nock and the local emulator both work).
 *
 * USAGE
 * ```ts
 * import { runNode, PliantCredentialsHelper, emulatorCredentials } from '../../support/engine';
 *
 * const result = await runNode({
 *   nodeType: 'pliantCreateLead',               // pliantCreateLead | pliantOnboardingStatus (or pass `nodeTypes`)
 *   parameters: { companyName: '={{ $json.name }}', ... },
 *   items: [{ name: 'Acme' }, { name: 'Beta' }], // put on the start node, one item each
 *   credentials: { environment: 'custom', clientId, clientSecret, tokenUrl, audience, baseUrl },
 *   continueOnFail: true,                        // optional, sets node.onError
 *   onError: 'continueErrorOutput',              // optional: outputs[1] is then the error output
 *   credentialsHelper,                           // optional: share one token cache across runs
 * });
 * result.items       // INodeExecutionData[] of the node's first output (json + pairedItem)
 * result.error       // the node's error as n8n stored it (plain copy: name, message,
 *                    // description, httpCode, context.pliant...), if it failed
 * result.tokenRequests // preAuthentication calls made during THIS run
 * result.run         // the full IRun, for anything else
 * ```
 * A `PliantCredentialsHelper` keeps the credential data (and the token that
 * `preAuthentication` fetched) across runs, like n8n's database does: create one per test (or
 * per suite) and pass it to every `runNode` call that should share the token. Its
 * `tokenRequests` counts every `preAuthentication` call over its lifetime; `accessToken` and
 * `forgetToken()` read and drop the stored token. `captureLogs()` clears and returns the live
 * list of every line n8n-core or our code logs (`this.logger`, n8n's LoggerProxy).
 * Credential data: `emulatorCredentials(startEmulator() result)` or `customCredentials(origin)`
 * (Custom environment, `<origin>/oauth/token` and `<origin>/api`, emulator client and audience).
 * HTTP tests with nock: see test/support/nock.ts (`useNock`, `networkError`, `recordBackoff`).
 *
 * Extra node classes (e.g. a test-only node) go through `nodeTypes: { myNode: new MyNode() }`;
 * the harness adds its own start node.
 *
 * HOW IT WORKS (and what it needs)
 * - `N8N_USER_FOLDER`: n8n-core's `InstanceSettings` writes `<folder>/.n8n/config` on first use.
 *   The jest scripts set it to `$TMPDIR/n8n-nodes-pliant-jest`; when unset (plain `npx jest`) this file
 *   sets it to a fresh temp folder before n8n-core is loaded, so `~/.n8n` is never touched.
 * - DI: n8n-core reads `Logger` (from `@n8n/backend-common`), `InstanceSettings` and
 *   `OutboundHttp` (from `@n8n/backend-network`) out of the `@n8n/di` Container. n8n-core has
 *   its OWN nested copies of @n8n/di and @n8n/backend-common (the top-level ones belong to
 *   @n8n/node-cli), so this file reaches them through n8n-core (`createRequire`). The real
 *   `InstanceSettings` and `OutboundHttp` are used as they are (SSRF protection is off by
 *   default, proxies from env apply); `Logger` is replaced by a capturing logger.
 * - The error in `result.error` is the copy n8n stores in the run data, as the user sees it.
 * - The credentials helper mirrors n8n's CLI `CredentialsHelper` (packages/cli/src/credentials-helper.ts):
 *   `getDecrypted` returns a copy of the stored data with the credential type's defaults
 *   applied; `preAuthentication` calls the credential's own `preAuthentication` when the
 *   expirable hidden field is empty or after a 401 (`credentialsExpired`), then stores the
 *   result (the CLI's `updateCredentials`); `authenticate` resolves the generic block's
 *   `{{$credentials.*}}` expressions with the workflow's expression engine, like the CLI.
 */
import './n8n-env';

import { createRequire } from 'node:module';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import {
	createRunExecutionData,
	ICredentialsHelper,
	LoggerProxy,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
} from 'n8n-workflow';

import { PliantApi } from '../../credentials/PliantApi.credentials';

/* ------------------------------------------------------------------ log capture */

export interface LogLine {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
	meta?: unknown;
}

/** Every line logged through n8n's Logger (and so through `this.logger` in our nodes). */
export const logs: LogLine[] = [];

function capturingLogger(): unknown {
	const record =
		(level: LogLine['level']) =>
		(message: string, meta?: unknown): void => {
			logs.push({ level, message: String(message), meta });
		};
	const logger = {
		error: record('error'),
		warn: record('warn'),
		info: record('info'),
		debug: record('debug'),
		scoped: () => logger,
	};
	return logger;
}

/** Clears the captured log lines and returns the (live) array. */
export function captureLogs(): LogLine[] {
	logs.length = 0;
	return logs;
}

/*
 * n8n-core has its own copies of @n8n/di and @n8n/backend-common (other versions sit at the
 * top of node_modules for @n8n/node-cli): reach the ones n8n-core itself uses.
 */
const requireFromCore = createRequire(require.resolve('n8n-core'));
const { Container } = requireFromCore('@n8n/di') as typeof import('@n8n/di');
const { Logger } = requireFromCore('@n8n/backend-common') as typeof import('@n8n/backend-common');

const harnessLogger = capturingLogger();
Container.set(Logger, harnessLogger as InstanceType<typeof Logger>);
// n8n-workflow's LoggerProxy (used by the engine itself) writes to the same capture.
LoggerProxy.init(harnessLogger as Parameters<typeof LoggerProxy.init>[0]);

/* ------------------------------------------------------------------ node types */

const START_NODE_TYPE = 'harnessStart';

/** Passes the items the harness put on its stack to the node under test. */
class HarnessStart implements INodeType {
	description = {
		displayName: 'Harness Start',
		name: START_NODE_TYPE,
		group: ['input'],
		version: 1,
		description: 'Emits the test items',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/**
 * The package's node classes, loaded lazily from source so a node still being written does not
 * break tests of the others. Keys are the node type names used in `runNode({ nodeType })`.
 */
const PACKAGE_NODES: Record<string, () => INodeType> = {
	pliantCreateLead: () =>
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		new (require('../../nodes/PliantCreateLead/PliantCreateLead.node').PliantCreateLead)(),
	pliantOnboardingStatus: () =>
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		new (require('../../nodes/PliantOnboardingStatus/PliantOnboardingStatus.node').PliantOnboardingStatus)(),
	pliantTrigger: () =>
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		new (require('../../nodes/PliantTrigger/PliantTrigger.node').PliantTrigger)(),
};

class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(nodeType);
	}

	getByNameAndVersion(nodeType: string): INodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Harness: unknown node type "${nodeType}"`);
		return type;
	}

	getKnownTypes() {
		return {};
	}
}

/* ------------------------------------------------------------------ credentials */

export const CREDENTIAL_NAME = 'pliantApi';

/** Credentials pointing at the local emulator (its defaults) or any custom URL. */
export function customCredentials(
	baseOrigin: string,
	overrides: IDataObject = {},
): ICredentialDataDecryptedObject {
	const origin = baseOrigin.replace(/\/+$/, '');
	return {
		environment: 'custom',
		clientId: 'emulator-client',
		clientSecret: 'emulator-secret',
		tokenUrl: `${origin}/oauth/token`,
		audience: 'pliant-emulator',
		baseUrl: `${origin}/api`,
		...overrides,
	};
}

/** Credentials for the local emulator returned by `startEmulator()`. */
export function emulatorCredentials(
	emulator: { tokenUrl: string; apiBaseUrl: string; clientId: string; clientSecret: string; audience: string },
	overrides: IDataObject = {},
): ICredentialDataDecryptedObject {
	return {
		environment: 'custom',
		clientId: emulator.clientId,
		clientSecret: emulator.clientSecret,
		tokenUrl: emulator.tokenUrl,
		audience: emulator.audience,
		baseUrl: emulator.apiBaseUrl,
		...overrides,
	};
}

/**
 * n8n's credential handling for one stored `pliantApi` credential, as the CLI does it, with
 * the "database" held in memory: the token `preAuthentication` returns is stored and reused.
 */
export class PliantCredentialsHelper extends ICredentialsHelper {
	readonly credentialType: ICredentialType = new PliantApi();

	/** The stored (decrypted) credential data, token included once fetched. */
	stored: ICredentialDataDecryptedObject;

	/** Calls of the credential's preAuthentication (= token requests attempted). */
	tokenRequests = 0;

	constructor(data: ICredentialDataDecryptedObject) {
		super();
		this.stored = { ...data };
	}

	/** The cached token, if any. */
	get accessToken(): string {
		return String(this.stored.accessToken ?? '');
	}

	/** Drops the cached token (as if the stored credential had been edited). */
	forgetToken(): void {
		this.stored.accessToken = '';
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(): INodeProperties[] {
		return this.credentialType.properties;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		const data = { ...this.stored };
		return {
			id: nodeCredentials.id ?? undefined,
			name: nodeCredentials.name,
			type,
			data: undefined,
			getData: () => ({ ...data }),
			getDataToSave: () => ({
				id: nodeCredentials.id ?? undefined,
				name: nodeCredentials.name,
				type,
				data: undefined,
			}),
			setData: () => {},
		} as unknown as ICredentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		if (type !== CREDENTIAL_NAME) throw new Error(`Harness: no credential of type "${type}"`);
		// As the CLI: the stored data with the credential type's defaults filled in.
		const withDefaults = NodeHelpers.getNodeParameters(
			this.credentialType.properties,
			this.stored as INodeParameters,
			true,
			false,
			null,
			null,
		);
		return { ...(withDefaults as ICredentialDataDecryptedObject) };
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.stored = { ...data };
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.credentialType;
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;

		this.tokenRequests++;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials) {
			await this.updateCredentials(node.credentials[typeName], typeName, {
				...this.stored,
				...(output as ICredentialDataDecryptedObject),
			});
		}
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		if (typeof this.credentialType.preAuthentication !== 'function') return undefined;
		return (await this.credentialType.preAuthentication.call(helpers, credentials)) as
			| ICredentialDataDecryptedObject
			| undefined;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incoming as IHttpRequestOptions;
		const { authenticate } = this.credentialType;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || authenticate.type !== 'generic') return requestOptions;
		if (!workflow || !node)
			throw new Error('Harness: workflow and node are required to authenticate');
		const resolve = (value: string): string => {
			if (!value.startsWith('=')) return value;
			const resolved = workflow.expression.getSimpleParameterValue(
				node,
				value,
				'internal',
				{ $credentials: credentials },
				undefined,
				'',
			);
			return resolved ? String(resolved) : '';
		};
		const target = requestOptions as unknown as Record<string, Record<string, string> | undefined>;
		for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
				target[outerKey] ??= {};
				target[outerKey][resolve(key)] = resolve(value);
			}
		}
		return requestOptions;
	}
}

/* ------------------------------------------------------------------ run one node */

export interface RunNodeOptions {
	/** A key of the package's node types, or of `nodeTypes`. */
	nodeType: string;
	parameters?: INodeParameters;
	/** JSON of the items the start node emits (one item each). Default: one empty item. */
	items?: IDataObject[];
	/** Credential data; ignored when `credentialsHelper` is given. */
	credentials?: ICredentialDataDecryptedObject;
	/** Share one helper (and so one cached token) across runs. */
	credentialsHelper?: PliantCredentialsHelper;
	continueOnFail?: boolean;
	/** n8n's "On Error" setting, e.g. 'continueErrorOutput'; overrides `continueOnFail`. */
	onError?: INode['onError'];
	/** Extra (test-only) node types by name. */
	nodeTypes?: Record<string, INodeType>;
	typeVersion?: number;
	/** n8n's execution mode; default 'manual'. */
	mode?: 'manual' | 'trigger' | 'webhook' | 'integrated';
}

/**
 * The node's error as n8n stores it in the run data (and shows it to the user): a plain copy of
 * the NodeApiError / NodeOperationError (`{...error, message, stack}`), so check `name`, not
 * `instanceof`.
 */
export interface RunError extends Error {
	description?: string | null;
	httpCode?: string | null;
	context?: IDataObject & { itemIndex?: number; pliant?: IDataObject };
}

export interface RunNodeResult {
	/** The node's first output. */
	items: INodeExecutionData[];
	/** Every output of the node. */
	outputs: INodeExecutionData[][];
	/** The error the node ended with (Continue On Fail off), if any. */
	error?: RunError;
	/** Token requests made during this run. */
	tokenRequests: number;
	credentialsHelper: PliantCredentialsHelper;
	run: IRun;
}

export const NODE_NAME = 'Node Under Test';
const START_NAME = 'Start';
let executionCounter = 0;

export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const credentialsHelper =
		options.credentialsHelper ?? new PliantCredentialsHelper(options.credentials ?? {});
	const tokenRequestsBefore = credentialsHelper.tokenRequests;

	const types: Record<string, INodeType> = { [START_NODE_TYPE]: new HarnessStart() };
	for (const [name, type] of Object.entries(options.nodeTypes ?? {})) types[name] = type;
	if (!types[options.nodeType]) {
		const load = PACKAGE_NODES[options.nodeType];
		if (!load) throw new Error(`Harness: unknown node type "${options.nodeType}"`);
		types[options.nodeType] = load();
	}

	const start: INode = {
		id: 'start',
		name: START_NAME,
		type: START_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const node: INode = {
		id: 'under-test',
		name: NODE_NAME,
		type: options.nodeType,
		typeVersion: options.typeVersion ?? 1,
		position: [200, 0],
		parameters: options.parameters ?? {},
		credentials: { [CREDENTIAL_NAME]: { id: '1', name: 'Pliant account' } },
	};
	if (options.continueOnFail) node.onError = 'continueRegularOutput';
	if (options.onError) node.onError = options.onError;

	const workflowData: IWorkflowBase = {
		id: 'harness',
		name: 'Harness',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [start, node],
		connections: {
			[START_NAME]: { main: [[{ node: NODE_NAME, type: NodeConnectionTypes.Main, index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	} as unknown as IWorkflowBase;

	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes: new HarnessNodeTypes(types),
		settings: workflowData.settings,
	});

	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, String(++executionCounter), workflowData);
	let resolveRun: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveRun(fullRunData));

	const additionalData = {
		hooks,
		credentialsHelper,
		executionId: String(executionCounter),
		currentNodeParameters: undefined,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		variables: {},
		userId: 'harness-user',
		setExecutionStatus: () => {},
		executeWorkflow: async () => {
			throw new Error('Harness: sub-workflows are not supported');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('Harness: code runners are not supported');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const items = (options.items ?? [{}]).map((json) => ({ json }));
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: start, data: { main: [items] }, source: null }],
		},
	});

	const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
	await workflowExecute.processRunExecutionData(workflow);
	const run = await finished;

	const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
	const outputs = (taskData?.data?.main ?? []).map((output) => output ?? []);
	const error = (taskData?.error ?? run.data.resultData.error) as RunError | undefined;
	return {
		items: outputs[0] ?? [],
		outputs,
		error,
		tokenRequests: credentialsHelper.tokenRequests - tokenRequestsBefore,
		credentialsHelper,
		run,
	};
}
