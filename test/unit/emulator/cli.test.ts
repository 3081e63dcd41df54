import { callFor, main, optionsFromFlags, USAGE, type CliIo } from '../../../emulator/cli';
import type { RunningEmulator } from '../../../emulator/server';
import { closedPortUrl, Harness, startReceiver, subscribeAll, validLead } from './helpers';

function capture(): CliIo & { stdout: string; stderr: string } {
	const io = {
		stdout: '',
		stderr: '',
		out: (text: string) => {
			io.stdout += text;
		},
		err: (text: string) => {
			io.stderr += text;
		},
	};
	return io;
}

describe('emulator CLI: flags', () => {
	it('maps start flags to library options', () => {
		expect(
			optionsFromFlags({
				port: '0',
				host: '0.0.0.0',
				state: 's.json',
				'client-id': 'id',
				'client-secret': 'secret',
				audience: 'aud',
				'onboarding-delay': '500',
				'step-interval': '100',
				'rate-limit': '10/60',
				'token-quota': '5',
				'details-not-shared': true,
				'allow-host': ['emulator.lan'],
				'any-callback-host': true,
			}),
		).toEqual({
			port: 0,
			host: '0.0.0.0',
			stateFile: 's.json',
			clientId: 'id',
			clientSecret: 'secret',
			audience: 'aud',
			onboardingDelayMs: 500,
			stepIntervalMs: 100,
			tokenTtlSeconds: undefined,
			tokenQuota: { perHour: 5 },
			rateLimit: { requests: 10, windowMs: 60000 },
			detailsSharedByDefault: false,
			allowedHosts: ['emulator.lan'],
			callbackHosts: 'any',
		});
		expect(optionsFromFlags({}).port).toBe(4010);
		expect(optionsFromFlags({}).callbackHosts).toBeUndefined();
	});

	it('maps commands to control API calls', () => {
		expect(callFor('advance', ['o 1'], {})).toEqual({
			method: 'POST',
			path: '/organizations/o%201/advance',
		});
		expect(callFor('complete', ['o'], {})).toEqual({
			method: 'POST',
			path: '/organizations/o/complete',
		});
		expect(callFor('onboard', ['l'], {})).toEqual({ method: 'POST', path: '/leads/l/onboard' });
		expect(callFor('reject', ['l'], {})).toEqual({ method: 'POST', path: '/leads/l/reject' });
		expect(
			callFor('fire', ['AUTHORIZATION_PENDING', 'o', '{"a":1}'], { 'callback-url': 'http://x/y' }),
		).toEqual({
			method: 'POST',
			path: '/events',
			body: {
				a: 1,
				eventType: 'AUTHORIZATION_PENDING',
				organizationId: 'o',
				callbackUrl: 'http://x/y',
			},
		});
		expect(callFor('rotate-keys', [], { 'drop-old': true })).toEqual({
			method: 'POST',
			path: '/keys/rotate',
			body: { dropOld: true },
		});
		expect(callFor('state', [], {})).toEqual({ method: 'GET', path: '/state' });
		expect(callFor('deliveries', [], { pending: true })).toEqual({
			method: 'GET',
			path: '/deliveries?pending=true',
		});
		expect(callFor('ledger', [], { path: '/api/leads' })).toEqual({
			method: 'GET',
			path: '/ledger?path=%2Fapi%2Fleads',
		});
		expect(callFor('expire-tokens', [], {})).toEqual({ method: 'POST', path: '/tokens/expire' });
		expect(callFor('details-shared', ['o', 'false'], {})).toEqual({
			method: 'POST',
			path: '/organizations/o/details-shared',
			body: { shared: false },
		});
		expect(callFor('reset', [], { tokens: true })).toEqual({
			method: 'POST',
			path: '/reset',
			body: { tokens: true, keys: false },
		});
	});

	it('explains usage errors with exit code 64', async () => {
		for (const argv of [
			['advance'],
			['bogus'],
			['fire', 'X', 'o', 'not-json'],
			['--nope'],
			['--rate-limit', '900'],
			['--port', 'x'],
		]) {
			const io = capture();
			expect(await main(argv, io)).toBe(64);
			expect(io.stderr).not.toBe('');
		}
		const io = capture();
		expect(await main(['help'], io)).toBe(0);
		expect(io.stdout).toBe(USAGE);
	});

	it('says so when no emulator is running (exit code 2)', async () => {
		const io = capture();
		expect(await main(['state', '--url', (await closedPortUrl()).replace('/gone', '')], io)).toBe(
			2,
		);
		expect(io.stderr).toMatch(/Cannot reach the emulator/);
	});
});

describe('emulator CLI: commands against a running emulator', () => {
	let harness: Harness;

	beforeEach(async () => {
		harness = await Harness.start({ delivery: { retries: 0 } });
	});
	afterEach(() => harness.stop());

	const run = async (...argv: string[]) => {
		const io = capture();
		const code = await main([...argv, '--url', harness.emu.url, '--token', harness.emu.controlToken], io);
		return { code, out: io.stdout ? JSON.parse(io.stdout) : undefined, err: io.stderr };
	};

	it('onboard, advance, complete, details-shared, state, deliveries, ledger, fire, rotate-keys, expire-tokens, reset', async () => {
		const receiver = await startReceiver();
		try {
			await subscribeAll(harness, receiver.url);
			const lead = validLead();
			await harness.createLead(lead);
			const onboarded = await run('onboard', lead.partnerOrganizationId);
			expect(onboarded.code).toBe(0);
			const organizationId = onboarded.out.organizationId;
			expect((await run('advance', organizationId)).out.step).toBe(2);
			expect((await run('details-shared', organizationId, 'false')).out.detailsShared).toBe(false);
			expect((await run('complete', organizationId)).out.step).toBe(11);
			expect((await run('state')).out.organizations[0].step).toBe(11);
			expect(
				(await run('fire', 'AUTHORIZATION_GRANTED', organizationId, '{"note":"x"}')).out.callbacks,
			).toHaveLength(1);
			await harness.waitForDeliveries();
			expect((await run('deliveries')).out.deliveries.length).toBe(receiver.received.length);
			expect((await run('deliveries', '--pending')).out.deliveries).toEqual([]);
			expect((await run('ledger', '--path', '/api/leads')).out.entries).toHaveLength(1);
			expect((await run('rotate-keys')).out.keys).toHaveLength(2);
			expect((await run('expire-tokens')).out.expired).toBe(1);
			expect((await run('reset')).out.reset).toBe(true);
		} finally {
			await receiver.close();
		}
	});

	it('prints the error and exits 1 on a non-2xx answer', async () => {
		const result = await run('advance', 'nope');
		expect(result.code).toBe(1);
		expect(result.err).toMatch(/HTTP 404/);
		expect(result.err).toMatch(/NOT_FOUND/);
	});
});

describe('emulator CLI: start', () => {
	it('starts the emulator and prints a banner with the credential values', async () => {
		const io = capture();
		const emulator = (await main(
			['--port', '0', '--quiet', '--client-id', 'cid', '--onboarding-delay', '100'],
			io,
		)) as RunningEmulator;
		try {
			expect(io.stdout).toContain(`Pliant emulator listening on ${emulator.url}`);
			expect(io.stdout).toContain(`Token URL      ${emulator.url}/oauth/token`);
			expect(io.stdout).toContain(`API base URL   ${emulator.url}/api`);
			expect(io.stdout).toContain('Client ID      cid');
			expect(io.stdout).toContain('Client secret  emulator-secret');
			expect(io.stdout).toContain('Audience       pliant-emulator');
			expect(io.stdout).toContain('automatic: a new lead is onboarded after 100 ms');
		} finally {
			await emulator.stop();
		}
	});
});
