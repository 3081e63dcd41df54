/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test host: a loopback HTTP server standing in for n8n's webhook server */
/**
 * A small stand-in for n8n around the Pliant Trigger, built from n8n-core's real HookContext
 * and WebhookContext (and so real static data, webhook URLs, credentials, token handling and
 * `httpRequestWithAuthentication`):
 *
 * - `publish(kind)` runs the lifecycle the way n8n does on publish / "Listen for test event"
 *   (`checkExists`, then `create` if it returned false); `unpublish(kind)` runs `delete`.
 * - A loopback HTTP server answers `POST /webhook/<webhookId>/webhook` (production) and
 *   `/webhook-test/<webhookId>/webhook` (test) while that kind is published, like n8n: it
 *   reads the raw body into `req.rawBody`, parses JSON into `req.body`, runs the node's
 *   `webhook()`, answers with its `webhookResponse` (responseMode onReceived, responseData '')
 *   unless the node answered itself (`noWebhookResponse`), and records an execution for every
 *   `workflowData`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { HookContext, WebhookContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeParameters,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { PliantTrigger } from '../../../nodes/PliantTrigger/PliantTrigger.node';
import { PliantCredentialsHelper } from '../../support/engine';

export type Kind = 'production' | 'test';

export interface Execution {
	kind: Kind;
	json: IDataObject;
}

export interface Answer {
	kind: Kind | 'none';
	status: number;
	body: string;
}

const NODE_TYPE = 'pliantTrigger';

class NodeTypes implements INodeTypes {
	constructor(private readonly trigger: INodeType) {}

	getByName(): INodeType | IVersionedNodeType {
		return this.trigger;
	}

	getByNameAndVersion(): INodeType {
		return this.trigger;
	}

	getKnownTypes() {
		return {};
	}
}

type ExpressLike = ServerResponse & {
	status(code: number): ExpressLike;
	json(body: unknown): ExpressLike;
	send(body: unknown): ExpressLike;
};

/** The parts of Express' response object the node (and n8n) use. */
function expressLike(res: ServerResponse): ExpressLike {
	const response = res as ExpressLike;
	response.status = (code: number) => {
		res.statusCode = code;
		return response;
	};
	response.json = (body: unknown) => {
		if (!res.headersSent) res.setHeader('Content-Type', 'application/json; charset=utf-8');
		res.end(JSON.stringify(body));
		return response;
	};
	response.send = (body: unknown) => {
		res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
		return response;
	};
	return response;
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

export interface TriggerHostOptions {
	credentials: ICredentialDataDecryptedObject;
	events: string[];
	options?: IDataObject;
	/** Shared between hosts to model one n8n credential (one cached token). */
	credentialsHelper?: PliantCredentialsHelper;
	/** Static data to start from (e.g. another host's, to model a restart). */
	staticData?: IDataObject;
	webhookId?: string;
}

export class TriggerHost {
	readonly trigger = new PliantTrigger();

	readonly node: INode;

	readonly workflow: Workflow;

	readonly credentialsHelper: PliantCredentialsHelper;

	readonly executions: Execution[] = [];

	readonly answers: Answer[] = [];

	/** Which URLs currently receive (n8n has the webhook registered). */
	readonly listening = new Set<Kind>();

	/** Host name used in the webhook URLs; change it to model a changed n8n URL. */
	hostName = '127.0.0.1';

	private server?: Server;

	private port = 0;

	constructor(options: TriggerHostOptions) {
		this.credentialsHelper = options.credentialsHelper ?? new PliantCredentialsHelper(options.credentials);
		this.node = {
			id: randomUUID(),
			name: 'Pliant Trigger',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: options.webhookId ?? randomUUID(),
			parameters: { events: options.events, options: (options.options ?? {}) as INodeParameters },
			credentials: { pliantApi: { id: '1', name: 'Pliant account' } },
		};
		this.workflow = new Workflow({
			id: 'wf-trigger',
			name: 'Pliant Trigger test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: new NodeTypes(this.trigger),
			staticData: options.staticData ?? {},
			settings: { executionOrder: 'v1' },
		});
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			void this.handle(req, res).catch((error: Error) => {
				res.statusCode = 500;
				res.end(JSON.stringify({ message: error.message }));
			});
		});
		await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
		this.port = (this.server.address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	get base(): string {
		return `http://${this.hostName}:${this.port}`;
	}

	url(kind: Kind): string {
		return `${this.base}/${kind === 'test' ? 'webhook-test' : 'webhook'}/${String(this.node.webhookId)}/webhook`;
	}

	/** The node's static data, as n8n stores it with the workflow. */
	get staticData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	setParameters(parameters: IDataObject): void {
		Object.assign(this.node.parameters, parameters);
	}

	private additionalData(extra: Partial<IWorkflowExecuteAdditionalData> = {}): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: this.credentialsHelper,
			restApiUrl: `${this.base}/rest`,
			instanceBaseUrl: `${this.base}/`,
			webhookBaseUrl: `${this.base}/webhook`,
			webhookTestBaseUrl: `${this.base}/webhook-test`,
			webhookWaitingBaseUrl: `${this.base}/webhook-waiting`,
			formWaitingBaseUrl: `${this.base}/form-waiting`,
			variables: {},
			userId: 'trigger-host',
			currentNodeParameters: undefined,
			...extra,
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	private webhookData(kind: Kind, additionalData: IWorkflowExecuteAdditionalData): IWebhookData {
		const description = this.trigger.description.webhooks?.[0];
		if (!description) throw new Error('no webhook description');
		return {
			httpMethod: 'POST',
			node: this.node.name,
			path: 'webhook',
			webhookDescription: description,
			workflowId: String(this.workflow.id),
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
			isTest: kind === 'test',
		};
	}

	/** An IHookFunctions as n8n builds it for a lifecycle call. */
	hookContext(kind: Kind): HookContext {
		const additionalData = this.additionalData();
		return new HookContext(
			this.workflow,
			this.node,
			additionalData,
			kind === 'test' ? 'manual' : 'trigger',
			kind === 'test' ? 'manual' : 'activate',
			this.webhookData(kind, additionalData),
		);
	}

	/** n8n's publish (or "Listen for test event"): checkExists, then create if needed. */
	async publish(kind: Kind = 'production'): Promise<{ existed: boolean }> {
		const { checkExists, create } = this.trigger.webhookMethods.default;
		const context = this.hookContext(kind);
		const existed = await checkExists.call(context);
		if (!existed) await create.call(context);
		this.listening.add(kind);
		return { existed };
	}

	/** n8n's unpublish (or the end of a test listen): delete. */
	async unpublish(kind: Kind = 'production'): Promise<boolean> {
		this.listening.delete(kind);
		return await this.trigger.webhookMethods.default.delete.call(this.hookContext(kind));
	}

	private kindOf(path: string): Kind | undefined {
		const webhookId = String(this.node.webhookId);
		if (path === `/webhook/${webhookId}/webhook`) return 'production';
		if (path === `/webhook-test/${webhookId}/webhook`) return 'test';
		return undefined;
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const kind = this.kindOf(new URL(req.url ?? '/', 'http://host').pathname);
		const raw = await readRaw(req);
		if (!kind || !this.listening.has(kind) || req.method !== 'POST') {
			this.answers.push({ kind: 'none', status: 404, body: '' });
			res.statusCode = 404;
			res.end('{"message":"not registered"}');
			return;
		}
		const request = req as IncomingMessage & { rawBody?: Buffer; body?: unknown };
		request.rawBody = raw;
		request.body = {};
		if (String(req.headers['content-type'] ?? '').startsWith('application/json') && raw.length > 0) {
			request.body = JSON.parse(raw.toString('utf8')) as unknown;
		}
		const response = expressLike(res);
		const additionalData = this.additionalData({
			httpRequest: request as never,
			httpResponse: response as never,
		});
		const mode: WorkflowExecuteMode = kind === 'test' ? 'manual' : 'webhook';
		const context = new WebhookContext(
			this.workflow,
			this.node,
			additionalData,
			mode,
			this.webhookData(kind, additionalData),
			[],
			null,
		);
		const result = await this.trigger.webhook.call(context);
		for (const item of result.workflowData?.[0] ?? []) this.executions.push({ kind, json: item.json });
		if (result.noWebhookResponse) {
			if (!res.writableEnded) res.end();
		} else {
			response.status(200).json(result.webhookResponse ?? { message: 'Workflow was started' });
		}
		this.answers.push({ kind, status: res.statusCode, body: '' });
	}
}
