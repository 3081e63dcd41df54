/** n8n's HTTP APIs: the editor's REST API (owner cookie) and the public API (X-N8N-API-KEY). */
import type { N8nExecution } from './run-output';

export interface OwnerLogin {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export const API_KEY_SCOPES = [
	'workflow:read',
	'workflow:list',
	'workflow:create',
	'workflow:update',
	'workflow:delete',
	'workflow:activate',
	'workflow:deactivate',
	'execution:read',
	'execution:list',
	'credential:create',
];

const BROWSER_ID = 'n8n-nodes-pliant-e2e';

/** A response body: JSON when it parses, else the text. */
async function readBody(res: Response): Promise<unknown> {
	const text = await res.text();
	try {
		return text ? JSON.parse(text) : undefined;
	} catch {
		return text; // not JSON
	}
}

export class N8nClient {
	private cookie?: string;
	apiKey?: string;

	/** `major`: the n8n line (1 or 2); the login body differs. */
	constructor(
		readonly baseUrl: string,
		private readonly major: number,
	) {}

	/* -------------------------------------------------------------- REST (cookie) */

	async rest<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }> {
		return this.http<T>(method, `/rest${urlPath}`, body);
	}

	/** Any path of the instance, with the owner cookie (e.g. `/types/credentials.json`). */
	async http<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }> {
		const res = await fetch(`${this.baseUrl}${urlPath}`, {
			method,
			headers: {
				'content-type': 'application/json',
				'browser-id': BROWSER_ID,
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.get('set-cookie');
		if (setCookie) {
			const m = /n8n-auth=[^;]*/.exec(setCookie);
			if (m) this.cookie = m[0];
		}
		return { status: res.status, body: (await readBody(res)) as T };
	}

	/** Whether the instance still waits for its owner account. */
	async needsOwnerSetup(): Promise<boolean> {
		const res = await this.rest<{ data?: { userManagement?: { showSetupOnFirstLoad?: boolean } } }>('GET', '/settings');
		return Boolean(res.body?.data?.userManagement?.showSetupOnFirstLoad);
	}

	/** `POST /rest/owner/setup` (allowed once, while there is no owner); keeps the auth cookie. */
	async setupOwner(owner: OwnerLogin): Promise<void> {
		const res = await this.rest('POST', '/owner/setup', owner);
		if (res.status !== 200) throw new Error(`owner setup failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
	}

	/** `POST /rest/login` (2.x: emailOrLdapLoginId, 1.x: email); keeps the auth cookie. */
	async login(email: string, password: string): Promise<void> {
		const body = this.major >= 2 ? { emailOrLdapLoginId: email, password } : { email, password };
		let res = await this.rest('POST', '/login', body);
		if (res.status !== 200) res = await this.rest('POST', '/login', { email, emailOrLdapLoginId: email, password });
		if (res.status !== 200) throw new Error(`login failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
	}

	/** Creates a public-API key (needs the owner cookie); stores and returns the raw key. */
	async createApiKey(label = 'e2e'): Promise<string> {
		let res = await this.rest<{ data?: { rawApiKey?: string; apiKey?: string } }>('POST', '/api-keys', {
			label,
			expiresAt: null,
			scopes: API_KEY_SCOPES,
		});
		if (res.status === 400) {
			// older releases reject scopes they do not know: keep the ones they list
			const scopes = await this.rest<{ data?: string[] }>('GET', '/api-keys/scopes');
			res = await this.rest('POST', '/api-keys', { label, expiresAt: null, scopes: scopes.body?.data ?? [] });
		}
		const key = res.body?.data?.rawApiKey ?? res.body?.data?.apiKey;
		if (res.status !== 200 || !key) throw new Error(`API key creation failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
		this.apiKey = key;
		return key;
	}

	/* -------------------------------------------------------------- public API (X-N8N-API-KEY) */

	async api<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }> {
		if (!this.apiKey) throw new Error('no API key: call createApiKey() first');
		const res = await fetch(`${this.baseUrl}/api/v1${urlPath}`, {
			method,
			headers: { 'content-type': 'application/json', 'x-n8n-api-key': this.apiKey, accept: 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: res.status, body: (await readBody(res)) as T };
	}

	async apiOk<T = unknown>(method: string, urlPath: string, body?: unknown): Promise<T> {
		const res = await this.api<T>(method, urlPath, body);
		if (res.status < 200 || res.status > 299) {
			throw new Error(`${method} /api/v1${urlPath}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
		}
		return res.body;
	}

	/** Activates (2.x: publishes) a workflow now; runs the trigger's checkExists/create. */
	async activate(workflowId: string): Promise<void> {
		await this.apiOk('POST', `/workflows/${workflowId}/activate`);
	}

	/** Deactivates (unpublishes) a workflow now; runs the trigger's delete. */
	async deactivate(workflowId: string): Promise<void> {
		await this.apiOk('POST', `/workflows/${workflowId}/deactivate`);
	}

	async getWorkflow(workflowId: string): Promise<{ id: string; name: string; active: boolean; nodes: Array<Record<string, unknown>> }> {
		return this.apiOk('GET', `/workflows/${workflowId}`);
	}

	async listWorkflows(): Promise<Array<{ id: string; name: string; active: boolean }>> {
		const all: Array<{ id: string; name: string; active: boolean }> = [];
		let cursor: string | undefined;
		do {
			const page = await this.apiOk<{ data: Array<{ id: string; name: string; active: boolean }>; nextCursor?: string | null }>(
				'GET',
				`/workflows?limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
			);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all;
	}

	/**
	 * A workflow's executions as the editor lists them (REST, owner cookie), running and new ones
	 * included (the public API leaves those out); no run data.
	 */
	async editorExecutions(workflowId: string): Promise<Array<{ id: string; status?: string; mode?: string }>> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const res = await this.rest<{ data?: { results?: Array<{ id: string; status?: string; mode?: string }> } }>(
			'GET',
			`/executions?filter=${filter}`,
		);
		const results = res.body?.data?.results;
		if (res.status !== 200 || !Array.isArray(results)) {
			throw new Error(`GET /rest/executions: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
		}
		return results;
	}

	/** Every execution of a workflow, oldest first, with run data. */
	async executions(workflowId: string, includeData = true): Promise<N8nExecution[]> {
		const all: N8nExecution[] = [];
		let cursor: string | undefined;
		do {
			const qs = `workflowId=${workflowId}&includeData=${includeData}&limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
			const page = await this.apiOk<{ data: N8nExecution[]; nextCursor?: string | null }>('GET', `/executions?${qs}`);
			all.push(...page.data);
			cursor = page.nextCursor ?? undefined;
		} while (cursor);
		return all.sort((a, b) => Number(a.id) - Number(b.id));
	}
}
