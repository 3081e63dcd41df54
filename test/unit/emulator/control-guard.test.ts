/* eslint-disable @n8n/community-nodes/no-restricted-imports -- emulator tests, never published */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { main, optionsFromFlags } from '../../../emulator/cli';
import { CONTROL_TOKEN_HEADER, hostAllowed, newControlToken } from '../../../emulator/control-guard';
import { Harness, httpCall } from './helpers';

describe('control API guard', () => {
	let harness: Harness;
	beforeAll(async () => {
		harness = await Harness.start();
	});
	afterAll(async () => {
		await harness.stop();
	});

	it('makes tokens the CLI takes as `--token <value>` (never starting with "-")', async () => {
		const tokens = Array.from({ length: 256 }, newControlToken);
		expect(tokens.filter((token) => !/^[0-9a-f]{48}$/.test(token))).toEqual([]);
		expect(new Set(tokens).size).toBe(tokens.length);
		// What a dash-led token did: the command refused it as ambiguous, with exit code 64.
		let stderr = '';
		const io = { out: () => undefined, err: (text: string) => (stderr += text) };
		expect(await main(['state', '--url', harness.emu.url, '--token', '-dash-led'], io)).toBe(64);
		expect(stderr).toMatch(/ambiguous/);
	});

	it('answers with the run\'s token', async () => {
		expect((await harness.control('GET', '/state')).status).toBe(200);
	});

	it('refuses a request without the token, or with a wrong one (401)', async () => {
		const none = await httpCall('POST', `${harness.emu.controlUrl}/keys/rotate`, {});
		expect(none.status).toBe(401);
		expect(none.body.message).toContain(CONTROL_TOKEN_HEADER);
		const wrong = await httpCall('POST', `${harness.emu.controlUrl}/sign`, { body: '{}' }, { [CONTROL_TOKEN_HEADER]: 'guess' });
		expect(wrong.status).toBe(401);
	});

	it('refuses a foreign Host header even with the token (DNS rebinding), 403', async () => {
		const rebound = await httpCall('GET', `${harness.emu.controlUrl}/state`, undefined, {
			[CONTROL_TOKEN_HEADER]: harness.emu.controlToken,
			host: `attacker.example:${harness.emu.port}`,
		});
		expect(rebound.status).toBe(403);
	});

	it('allows loopback names with the emulator\'s port only', () => {
		expect(hostAllowed('127.0.0.1:4010', 4010)).toBe(true);
		expect(hostAllowed('localhost:4010', 4010)).toBe(true);
		expect(hostAllowed('[::1]:4010', 4010)).toBe(true);
		expect(hostAllowed('localhost:4011', 4010)).toBe(false);
		expect(hostAllowed('localhost', 4010)).toBe(false);
		expect(hostAllowed('evil.example:4010', 4010)).toBe(false);
		expect(hostAllowed(undefined, 4010)).toBe(false);
	});

	it('a random token per run', async () => {
		const other = await Harness.start();
		try {
			expect(other.emu.controlToken).not.toBe(harness.emu.controlToken);
			expect(other.emu.controlToken.length).toBeGreaterThanOrEqual(24);
		} finally {
			await other.stop();
		}
	});
});

describe('Host allowlist on every route', () => {
	let harness: Harness;
	beforeAll(async () => {
		harness = await Harness.start();
	});
	afterAll(async () => {
		await harness.stop();
	});

	it.each([
		['the token endpoint', 'POST', '/oauth/token'],
		['the API', 'GET', '/api/subscriptions'],
		['the API, with a valid token', 'POST', '/api/subscriptions/bulk-upsert'],
		['the root', 'GET', '/'],
		['an unknown path', 'GET', '/nothing-here'],
	])('refuses %s under a foreign Host with 403, before doing anything', async (_what, method, path) => {
		const token = await harness.accessToken();
		const before = (await harness.control('GET', '/ledger')).body.entries.length as number;
		const rebound = await httpCall(method, `${harness.emu.url}${path}`, { subscriptions: [] }, {
			host: `attacker.example:${harness.emu.port}`,
			authorization: `Bearer ${token}`,
		});
		expect(rebound.status).toBe(403);
		expect(rebound.body.message).toContain(`127.0.0.1:${harness.emu.port}`);
		expect((await harness.control('GET', '/ledger')).body.entries).toHaveLength(before);
	});

	it('answers loopback names with its port', async () => {
		for (const host of [`127.0.0.1:${harness.emu.port}`, `localhost:${harness.emu.port}`]) {
			expect((await httpCall('GET', `${harness.emu.url}/`, undefined, { host })).status).toBe(200);
		}
		expect((await httpCall('GET', `${harness.emu.url}/`, undefined, { host: `localhost:${harness.emu.port + 1}` })).status).toBe(403);
	});

	it('answers a configured host name too', async () => {
		const other = await Harness.start({ allowedHosts: ['emulator.internal'] });
		try {
			expect((await httpCall('GET', `${other.emu.url}/`, undefined, { host: `emulator.internal:${other.emu.port}` })).status).toBe(200);
			expect(hostAllowed(`emulator.internal:${other.emu.port}`, other.emu.port, ['emulator.internal'])).toBe(true);
		} finally {
			await other.stop();
		}
	});
});

describe('state file and --host', () => {
	it('writes the state file 0600 (it holds private keys and tokens)', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'emu-state-'));
		const file = join(dir, 'state.json');
		const harness = await Harness.start({ stateFile: file });
		try {
			await harness.control('POST', '/keys/rotate', {});
			expect(statSync(file).mode & 0o777).toBe(0o600);
		} finally {
			await harness.stop();
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('refuses a non-loopback --host without a client secret, naming both flags', () => {
		expect(() => optionsFromFlags({ host: '0.0.0.0' })).toThrow(/--host 0\.0\.0\.0 .*--client-secret/);
		expect(optionsFromFlags({ host: '0.0.0.0', 'client-secret': 'my-own' }).host).toBe('0.0.0.0');
		expect(optionsFromFlags({ host: '127.0.0.1' }).host).toBe('127.0.0.1');
		expect(optionsFromFlags({ host: '::1' }).host).toBe('::1');
	});
});
