/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/** The demo's data: the emulator credential, the MCP example's bearer credential, examples/. */
import * as fs from 'fs';
import * as path from 'path';

import { PACKAGE_NAME } from './pack';
import { REPO } from './process';

export const DEMO_CREDENTIAL_ID = 'pliantEmulator01';
export const DEMO_CREDENTIAL_NAME = 'Pliant (local emulator)';

export interface EmulatorCredentialOptions {
	/** emulator base URL, e.g. http://127.0.0.1:4010 */
	emulatorUrl: string;
	/** default: the demo credential's */
	id?: string;
	name?: string;
	clientId?: string;
	clientSecret?: string;
	audience?: string;
}

/** The credential file entry for `n8n import:credentials`, pointing at an emulator. */
export function emulatorCredential(opts: EmulatorCredentialOptions): {
	id: string;
	name: string;
	type: 'pliantApi';
	data: Record<string, string>;
} {
	const url = opts.emulatorUrl.replace(/\/$/, '');
	return {
		id: opts.id ?? DEMO_CREDENTIAL_ID,
		name: opts.name ?? DEMO_CREDENTIAL_NAME,
		type: 'pliantApi',
		data: {
			environment: 'custom',
			clientId: opts.clientId ?? 'emulator-client',
			clientSecret: opts.clientSecret ?? 'emulator-secret',
			tokenUrl: `${url}/oauth/token`,
			audience: opts.audience ?? 'pliant-emulator',
			baseUrl: `${url}/api`,
		},
	};
}

/** The "Pliant tools for your AI assistant" example: its MCP Server Trigger and Bearer credential. */
export const MCP_EXAMPLE = {
	workflowId: 'pliantExMcpTools',
	path: 'pliant',
	credentialId: 'pliantMcpBearer1',
	credentialName: 'Pliant MCP (bearer token)',
} as const;

/** The credential file entry for the MCP example's Bearer authentication. */
export function mcpBearerCredential(token: string): object {
	return { id: MCP_EXAMPLE.credentialId, name: MCP_EXAMPLE.credentialName, type: 'httpBearerAuth', data: { token } };
}

export const EXAMPLES_DIR = path.join(REPO, 'examples');

export interface WorkflowFile {
	id: string;
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		typeVersion: number;
		parameters: Record<string, unknown>;
		webhookId?: string;
		credentials?: Record<string, { id: string; name: string }>;
	}>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export interface Example {
	file: string;
	workflow: WorkflowFile;
}

export function loadExamples(dir = EXAMPLES_DIR): Example[] {
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({ file: path.join(dir, f), workflow: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as WorkflowFile }));
}

/** n8n's own nodes that need no account. */
const CORE_NODES = new Set(
	['manualTrigger', 'set', 'if', 'filter', 'switch', 'noOp', 'stickyNote', 'code', 'merge', 'removeDuplicates', 'splitOut'].map(
		(n) => `n8n-nodes-base.${n}`,
	),
);

/** Whether a workflow needs no third-party account (only our nodes and n8n's core nodes), so the demo can publish it. */
export function needsOnlyPliant(workflow: WorkflowFile): boolean {
	return workflow.nodes.every((n) => n.type.startsWith(`${PACKAGE_NAME}.`) || CORE_NODES.has(n.type));
}

export function isTriggerWorkflow(workflow: WorkflowFile): boolean {
	return workflow.nodes.some((n) => /Trigger$/i.test(n.type) && n.type !== 'n8n-nodes-base.manualTrigger');
}
