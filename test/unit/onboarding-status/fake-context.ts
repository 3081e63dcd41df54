/**
 * A faithful-enough IExecuteFunctions for unit tests of the Onboarding Status node: parameters
 * per item (dotted paths like n8n's), the package's credential data, n8n's pairedItem helpers,
 * and `httpRequestWithAuthentication` doing a real HTTP call with `fetch`, so nock sees every
 * request (and can prove that none was sent). HTTP failures are thrown in axios' shape, which
 * is what n8n's helpers throw and what the transport's error mapping reads.
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
} from 'n8n-workflow';

import { PliantOnboardingStatus } from '../../../nodes/PliantOnboardingStatus/PliantOnboardingStatus.node';

export const ORIGIN = 'http://pliant.unit';
export const API = `${ORIGIN}/api`;

export const CREDENTIALS: ICredentialDataDecryptedObject = {
	environment: 'custom',
	clientId: 'unit-client',
	clientSecret: 'unit-secret',
	tokenUrl: `${ORIGIN}/oauth/token`,
	audience: 'unit',
	baseUrl: API,
	accessToken: 'unit-token',
};

function pick(source: unknown, path: string): unknown {
	let current = source;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

async function fetchLikeN8n(options: IHttpRequestOptions): Promise<unknown> {
	const url = new URL(options.url);
	for (const [key, value] of Object.entries((options.qs ?? {}) as IDataObject)) {
		url.searchParams.set(key, String(value));
	}
	const headers: Record<string, string> = { ...(options.headers as Record<string, string>) };
	headers.Authorization = `Bearer ${String(CREDENTIALS.accessToken)}`;
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
	context: IExecuteFunctions;
	requests: jest.Mock;
}

/** `parameters` apply to every item unless `perItem[i]` overrides them. */
export function fakeContext(
	parameters: IDataObject,
	options: { items?: number; perItem?: IDataObject[]; continueOnFail?: boolean } = {},
): FakeRun {
	const itemCount = options.perItem?.length ?? options.items ?? 1;
	const node: INode = {
		id: 'node',
		name: 'Pliant Onboarding Status',
		type: 'n8n-nodes-pliant.pliantOnboardingStatus',
		typeVersion: 1,
		position: [0, 0],
		parameters: parameters as INodeParameters,
	};
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
	context.getNodeParameter.mockImplementation(((
		name: string,
		itemIndex: number,
		fallback?: unknown,
	) => {
		const merged = { ...parameters, ...(options.perItem?.[itemIndex] ?? {}) };
		const value = pick(merged, name);
		return value === undefined ? fallback : value;
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
	return { context, requests };
}

/** Runs the node's execute() in the fake context; returns the first output. */
export async function execute(run: FakeRun): Promise<INodeExecutionData[]> {
	const [output] = await new PliantOnboardingStatus().execute.call(run.context);
	return output;
}

export const ORG_ID = 'b1f8e35c-c500-4bbf-aa20-3dc14b83ff19';
