/**
 * A faithful-enough IExecuteFunctions for unit tests of the action nodes, without n8n-core:
 * the node's parameters with its description's defaults (as n8n stores them for a new node),
 * dotted parameter paths, per-item values, Continue On Fail, n8n's pairedItem helpers, and
 * `httpRequestWithAuthentication` doing a real HTTP call with `fetch`, so nock sees every
 * request (and can prove that none was sent). HTTP failures are thrown in axios' shape, which
 * is what n8n's helpers throw and what the transport's error mapping reads.
 *
 * ```ts
 * const fakeContext = fakeContextFor(PliantCreateLead);
 * const run = fakeContext({ companyName: 'Acme' }, { perItem: [{ country: 'DE' }, { country: 'AT' }] });
 * const output = await execute(run);
 * ```
 * For the real engine (n8n's own pairedItem, Continue On Fail and HTTP stack), use engine.ts.
 */
import { mock } from 'jest-mock-extended';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
} from 'n8n-workflow';

export const ORIGIN = 'https://pliant.unit';
export const API = `${ORIGIN}/api`;
export const TOKEN = 'unit-token';

export const CREDENTIALS: ICredentialDataDecryptedObject = {
	environment: 'custom',
	clientId: 'unit-client',
	clientSecret: 'unit-secret',
	tokenUrl: `${ORIGIN}/oauth/token`,
	audience: 'unit',
	baseUrl: API,
	accessToken: TOKEN,
};

/** The INode n8n hands a node of this type: named and typed as the package declares it. */
export function nodeFor(nodeType: INodeType, parameters: INodeParameters = {}): INode {
	const { defaults, displayName, name, version } = nodeType.description;
	return {
		id: 'node',
		name: defaults.name ?? displayName,
		type: `n8n-nodes-pliant.${name}`,
		typeVersion: Array.isArray(version) ? Math.max(...version) : version,
		position: [0, 0],
		parameters,
	};
}

/** Top-level defaults of the node's properties, as n8n stores them for a new node. */
function defaultsOf(nodeType: INodeType): INodeParameters {
	return Object.fromEntries(
		nodeType.description.properties.map((property) => [property.name, property.default]),
	);
}

/** The value at a dotted path, and whether its last key is there at all (even as undefined). */
function lookUp(source: unknown, path: string): { found: boolean; value: unknown } {
	let current = source;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object' || !(key in current)) {
			return { found: false, value: undefined };
		}
		current = (current as Record<string, unknown>)[key];
	}
	return { found: true, value: current };
}

async function fetchLikeN8n(options: IHttpRequestOptions): Promise<unknown> {
	const url = new URL(options.url);
	for (const [key, value] of Object.entries((options.qs ?? {}) as IDataObject)) {
		url.searchParams.set(key, String(value));
	}
	const headers: Record<string, string> = { ...(options.headers as Record<string, string>) };
	headers.Authorization = `Bearer ${TOKEN}`;
	let body: string | undefined;
	if (options.body !== undefined) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(options.body);
	}
	const response = await fetch(url, { method: options.method ?? 'GET', headers, body });
	const text = await response.text();
	let data: unknown = text;
	try {
		data = text ? JSON.parse(text) : undefined;
	} catch {
		// not JSON: keep the text
	}
	if (!response.ok) {
		const error = new Error(`Request failed with status code ${response.status}`);
		Object.assign(error, {
			response: { status: response.status, data, headers: Object.fromEntries(response.headers) },
		});
		throw error;
	}
	return data;
}

export interface FakeRun {
	nodeType: INodeType;
	context: IExecuteFunctions;
	/** Every httpRequestWithAuthentication call the node made. */
	requests: jest.Mock;
}

export interface FakeOptions {
	/** How many input items (default 1, or one per `perItem` entry). */
	items?: number;
	/**
	 * What the parameters' expressions resolve to for each item, merged over the parameters at
	 * the top level (give nested objects, not dotted keys). A key set to `undefined` stands for
	 * an expression that resolved to undefined: the node gets undefined, not its fallback.
	 */
	perItem?: IDataObject[];
	continueOnFail?: boolean;
}

export type FakeContext = (parameters: IDataObject, options?: FakeOptions) => FakeRun;

/**
 * A factory of fake contexts for one node class: `parameters` (over the description's
 * defaults) apply to every item unless `perItem[i]` overrides them.
 */
export function fakeContextFor(NodeClass: new () => INodeType): FakeContext {
	return (parameters, options = {}) => {
		const nodeType = new NodeClass();
		const node = nodeFor(nodeType, { ...defaultsOf(nodeType), ...parameters } as INodeParameters);
		const itemCount = options.perItem?.length ?? options.items ?? 1;
		const requests = jest.fn(
			async (_type: string, request: IHttpRequestOptions) => await fetchLikeN8n(request),
		);
		const context = mock<IExecuteFunctions>();
		context.getNode.mockReturnValue(node);
		context.getInputData.mockReturnValue(
			Array.from({ length: itemCount }, (_, index): INodeExecutionData => ({ json: { index } })),
		);
		context.continueOnFail.mockReturnValue(options.continueOnFail ?? false);
		context.getCredentials.mockResolvedValue(CREDENTIALS);
		// n8n: a parameter missing with no fallback throws; a present one is returned as resolved
		context.getNodeParameter.mockImplementation(((
			name: string,
			itemIndex: number,
			fallback?: unknown,
		) => {
			const itemParameters = { ...node.parameters, ...(options.perItem?.[itemIndex] ?? {}) };
			const { found, value } = lookUp(itemParameters, name);
			if (found) return value;
			if (fallback === undefined) throw new Error(`Could not get parameter "${name}"`);
			return fallback;
		}) as unknown as IExecuteFunctions['getNodeParameter']);
		context.helpers = {
			httpRequestWithAuthentication: requests,
			returnJsonArray: (json: IDataObject | IDataObject[]) =>
				(Array.isArray(json) ? json : [json]).map((item) => ({ json: item })),
			constructExecutionMetaData: (
				items: INodeExecutionData[],
				{ itemData }: { itemData: { item: number } },
			) => items.map((item) => ({ ...item, pairedItem: itemData })),
		} as unknown as IExecuteFunctions['helpers'];
		return { nodeType, context, requests };
	};
}

/** Runs the node's execute() in the fake context; returns the first output. */
export async function execute(run: FakeRun): Promise<INodeExecutionData[]> {
	if (!run.nodeType.execute) throw new Error(`${run.nodeType.description.name} has no execute()`);
	const [output] = (await run.nodeType.execute.call(run.context)) as INodeExecutionData[][];
	return output;
}

/** The error a run (or any promise) ends with; fails the test when it succeeds instead. */
export async function failure(promise: Promise<unknown>): Promise<Error & { description?: string }> {
	return await promise.then(
		() => {
			throw new Error('expected the run to fail');
		},
		(error: Error) => error,
	);
}
