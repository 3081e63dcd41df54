/** The e2e tests' entry to the real stack (scripts/lib/stack.ts). */
import type { ExecuteResult } from '../../scripts/lib/n8n';
import type { Stack } from '../../scripts/lib/stack';

export { OWNER, n8nInstall, startStack, type Stack, type StackOptions } from '../../scripts/lib/stack';

/** A call straight to the emulator's API with the emulator client's token (not through n8n). */
export async function emulatorApi(stack: Stack, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
	const token = (await (
		await fetch(stack.emulator.tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ client_id: 'emulator-client', client_secret: 'emulator-secret', audience: 'pliant-emulator', grant_type: 'client_credentials' }),
		})
	).json()) as { access_token: string };
	const res = await fetch(`${stack.emulator.apiBaseUrl}${path}`, {
		method,
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** Creates a lead straight at the emulator's API (not through n8n); returns its lead ID. */
export async function createLeadAtEmulator(
	stack: Stack,
	partnerOrganizationId: string,
	company: { name: string; country: string },
): Promise<string> {
	const token = (await (
		await fetch(stack.emulator.tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				client_id: 'emulator-client',
				client_secret: 'emulator-secret',
				audience: 'pliant-emulator',
				grant_type: 'client_credentials',
			}),
		})
	).json()) as { access_token: string };
	const res = await fetch(`${stack.emulator.apiBaseUrl}/leads`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
		body: JSON.stringify({
			partnerOrganizationId,
			company: { ...company, industry: 'ACCOUNTING' },
			contactPersons: [{ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@lead.example' }],
		}),
	});
	if (res.status !== 201) throw new Error(`the emulator answered ${res.status} to a lead`);
	return ((await res.json()) as { leadId: string }).leadId;
}

type Row = Record<string, unknown>;
export type NodeMaker = (name: string, type: string, typeVersion: number, parameters: Row, x: number, extra?: Row) => Row;

/** Workflow nodes with IDs unique within a test file (`prefix`: 8 hex digits of the file's own). */
export function nodeMaker(prefix: string): NodeMaker {
	let count = 0;
	return (name, type, typeVersion, parameters, x, extra = {}) => ({
		id: `${prefix}-0000-4000-8000-${String(++count).padStart(12, '0')}`,
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
		...extra,
	});
}

/**
 * Start → Set (the rows as one list) → Split Out → the node under test: one input item per
 * row. Saved as `name` and run through the running n8n (`n8n.run`).
 */
export async function runWithRows(stack: Stack, node: NodeMaker, name: string, rows: Row[], tested: Row): Promise<ExecuteResult> {
	const created = await stack.n8n.apiOk<{ id: string }>('POST', '/workflows', {
		name,
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 1, {}, 0),
			node('Rows', 'n8n-nodes-base.set', 3.4, { mode: 'raw', jsonOutput: JSON.stringify({ rows }), options: {} }, 200),
			node('Split', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'rows', options: {} }, 400),
			tested,
		],
		connections: {
			Start: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: String(tested.name), type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	});
	return await stack.n8n.run(created.id);
}
