/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- starts the dev emulator as `npm run emulator` does; never published */
/**
 * The emulator as users run it: `tsx emulator/cli.ts` in its own process, a real lead and
 * callback walk over loopback, then SIGTERM to that one process and a clean exit with the
 * state file written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import {
	CREDENTIALS,
	httpCall,
	startReceiver,
	validLead,
	verifyCallback,
	type Receiver,
} from '../../unit/emulator/helpers';

const ROOT = resolve(__dirname, '../../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((done) => {
		const child = spawn(TSX, ['emulator/cli.ts', ...args], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('close', (code) => done({ code, stdout, stderr }));
	});
}

describe('emulator as a process (npm run emulator)', () => {
	let dir: string;
	let server: ChildProcess | undefined;
	let receiver: Receiver;
	let output = '';

	beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'pliant-emulator-cli-'));
		receiver = await startReceiver();
	});

	afterAll(async () => {
		if (server && server.exitCode === null) server.kill('SIGKILL');
		await receiver.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('starts, serves the contract, walks an onboarding from the command line and stops on SIGTERM', async () => {
		const stateFile = join(dir, 'state.json');
		server = spawn(
			TSX,
			['emulator/cli.ts', '--port', '0', '--state', stateFile, '--step-interval', '5'],
			{
				cwd: ROOT,
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		const url = await new Promise<string>((found, fail) => {
			const timer = setTimeout(() => fail(new Error(`no banner within 20 s:\n${output}`)), 20_000);
			server!.stdout!.on('data', (chunk: Buffer) => {
				output += chunk.toString();
				const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
				if (match) {
					clearTimeout(timer);
					found(match[1]);
				}
			});
			server!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
			server!.on('exit', (code) => fail(new Error(`emulator exited with ${code}:\n${output}`)));
		});
		expect(output).toContain('Client secret  emulator-secret');
		// the control token is printed at start, and the commands need it
		const controlToken = /Control token {4}(\S+)/.exec(output)?.[1] ?? '';
		expect(controlToken.length).toBeGreaterThanOrEqual(24);
		expect((await runCli(['state', '--url', url])).code).toBe(1);

		const token = (await httpCall('POST', `${url}/oauth/token`, CREDENTIALS)).body
			.access_token as string;
		const auth = { authorization: `Bearer ${token}` };
		await httpCall(
			'POST',
			`${url}/api/subscriptions/bulk-upsert`,
			{
				subscriptions: [
					{ eventType: 'ORGANIZATION_ADDED', callbackUrl: receiver.url },
					{ eventType: 'AUTHORIZATION_PENDING', callbackUrl: receiver.url },
				],
			},
			auth,
		);
		const lead = validLead();
		expect((await httpCall('POST', `${url}/api/leads`, lead, auth)).status).toBe(201);

		const onboard = await runCli(['onboard', lead.partnerOrganizationId, '--url', url, '--token', controlToken]);
		expect(onboard.code).toBe(0);
		const organizationId = JSON.parse(onboard.stdout).organizationId as string;
		const complete = await runCli(['complete', organizationId, '--url', url, '--token', controlToken]);
		expect(complete.code).toBe(0);
		expect(JSON.parse(complete.stdout).step).toBe(11);

		const callbacks = await receiver.waitFor(2, 10_000);
		const jwks = (
			await httpCall('GET', `${url}/api/partner-management/signing/jwks.json`, undefined, auth)
		).body;
		expect(callbacks.map((callback) => callback.body.eventType)).toEqual([
			'ORGANIZATION_ADDED',
			'AUTHORIZATION_PENDING',
		]);
		for (const callback of callbacks)
			expect(verifyCallback(jwks, callback.headers, callback.raw)).toBe(true);

		const exited = new Promise<number | null>((done) => server!.on('exit', (code) => done(code)));
		server.kill('SIGTERM');
		expect(await exited).toBe(0);
		const saved = JSON.parse(readFileSync(stateFile, 'utf8'));
		expect(saved.organizations[0].organization.organizationId).toBe(organizationId);
		expect(saved.organizations[0].step).toBe(11);
	}, 60_000);
});
