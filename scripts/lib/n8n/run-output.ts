/** What n8n reports about a run: the public API's executions and `n8n execute --rawOutput`'s JSON. */

/** What the n8n public API returns for an execution (the fields we use). */
export interface N8nExecution {
	id: string;
	finished: boolean;
	mode: string;
	status?: string;
	workflowId: string;
	startedAt: string;
	stoppedAt?: string;
	data?: {
		resultData?: {
			runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
			error?: { message?: string };
		};
	};
}

/** What `n8n execute --rawOutput` prints (the fields we use). */
export interface ExecuteResult {
	status?: string;
	data: {
		resultData: {
			runData: NonNullable<NonNullable<N8nExecution['data']>['resultData']>['runData'] & object;
			error?: { message?: string; description?: string };
		};
	};
	[key: string]: unknown;
}

/** The JSON of the items a node emitted in an execution (first run, first output). */
export function nodeOutput(execution: { data?: N8nExecution['data'] }, nodeName: string): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData?.runData?.[nodeName];
	const items = runs?.[0]?.data?.main?.[0] ?? [];
	return items.map((i) => i.json);
}

/** The index just after the `}` that closes the object opening at `start`, or -1. */
function objectEnd(text: string, start: number): number {
	let depth = 0;
	let inString = false;
	let escaped = false;
	for (let i = start; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (escaped) escaped = false;
			else if (c === '\\') escaped = true;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '{') depth++;
		else if (c === '}' && --depth === 0) return i + 1;
	}
	return -1;
}

/**
 * The n8n run in `n8n execute --rawOutput` output: the top-level JSON object holding
 * `data.resultData`. n8n prints log lines around it, and with debug logging JSON log
 * metadata too, so the first JSON object is not necessarily the run.
 */
export function findRun(text: string): ExecuteResult | undefined {
	let pos = text.indexOf('{');
	while (pos >= 0) {
		const end = objectEnd(text, pos);
		let next = pos + 1;
		if (end > 0) {
			try {
				const value = JSON.parse(text.slice(pos, end)) as Partial<ExecuteResult>;
				if (value?.data?.resultData) return value as ExecuteResult;
				next = end;
			} catch {
				// not JSON: look further
			}
		}
		pos = text.indexOf('{', next);
	}
	return undefined;
}
