/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- tests of the test tooling, never published */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

/**
 * The unit and integration projects' environment in a jest of its own, on a fixture whose only
 * test passes and then leaves something behind: the run must fail, name it, and still exit.
 */
const REPO = path.resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the project's own jest config
const { projects } = require(path.join(REPO, 'jest.config.js')) as { projects: Array<Record<string, unknown>> };

type Run = { status: number | null; output: string };

async function runFixture(leave: string): Promise<Run> {
	const unit = projects.find((project) => project.displayName === 'unit');
	const config = { ...unit, rootDir: REPO, testMatch: ['<rootDir>/test/unit/support/fixtures/leftovers.fixture.ts'] };
	const child = spawn(process.execPath, [require.resolve('jest/bin/jest'), '--config', JSON.stringify(config), '--runInBand', '--ci'], {
		cwd: REPO,
		env: { ...process.env, LEAVE: leave, NO_LEFTOVERS_CHECK: '' },
	});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const status = await new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', resolve);
	});
	return { status, output };
}

jest.setTimeout(300_000);

const CASES = ['loop', 'server', 'request', 'nothing'] as const;
const runs = new Map<string, Run>();

beforeAll(async () => {
	// Side by side: each is a whole jest start-up.
	await Promise.all(CASES.map(async (leave) => runs.set(leave, await runFixture(leave))));
});

describe('a test file that leaves something running fails (and jest still exits)', () => {
	it.each([
		// The sample-event bug's shape: a background wait loop that outlives its test.
		['loop', /left 1 × setTimeout\(500 ms\) running/],
		['server', /left 1 × Server running/],
		['request', /left .*Socket.* running/],
	])('%s', (leave, message) => {
		const run = runs.get(leave) as Run;
		expect(run.output).toMatch(message);
		expect(run.output).toMatch(/Tests:\s+1 passed/);
		expect(run.status).toBe(1);
	});

	it('a file that cleaned up passes', () => {
		const run = runs.get('nothing') as Run;
		expect(run.output).not.toMatch(/running after its last test/);
		expect(run.status).toBe(0);
	});
});
