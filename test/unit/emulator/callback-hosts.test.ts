import { callbackUrlProblem } from '../../../emulator/callback-hosts';
import { CONTROL_TOKEN_HEADER } from '../../../emulator/control-guard';
import { Harness, httpCall } from './helpers';

describe('emulator: callbacks go to loopback hosts only, unless configured otherwise', () => {
	it('judges a URL by its host', () => {
		for (const url of ['http://127.0.0.1:5678/webhook/a/webhook', 'http://localhost:1/x', 'http://[::1]:2/x']) {
			expect(callbackUrlProblem(url, 'loopback')).toBeUndefined();
		}
		expect(callbackUrlProblem('https://attacker.example/x', 'loopback')).toMatch(/loopback host/);
		expect(callbackUrlProblem('http://10.0.0.5/x', 'loopback')).toMatch(/--any-callback-host/);
		expect(callbackUrlProblem('https://attacker.example/x', 'any')).toBeUndefined();
	});

	it('refuses a subscription to another host with 400 and stores nothing', async () => {
		const harness = await Harness.start();
		try {
			const result = await harness.api('POST', '/subscriptions/bulk-upsert', {
				subscriptions: [
					{ eventType: 'ORGANIZATION_ADDED', callbackUrl: 'http://127.0.0.1:5678/webhook/a/webhook' },
					{ eventType: 'ORGANIZATION_ADDED', callbackUrl: 'https://internal.example/admin' },
				],
			});
			expect(result.status).toBe(400);
			expect(result.body.details).toEqual([
				{ field: 'subscriptions[1].callbackUrl', message: expect.stringContaining('loopback host') },
			]);
			expect((await harness.api('GET', '/subscriptions')).body).toEqual({ subscriptions: [] });
			const loopback = await harness.api('POST', '/subscriptions/bulk-upsert', {
				subscriptions: [{ eventType: 'ORGANIZATION_ADDED', callbackUrl: 'http://127.0.0.1:5678/webhook/a/webhook' }],
			});
			expect(loopback.status).toBe(200);
		} finally {
			await harness.stop();
		}
	});

	it('refuses a fired event aimed at another host', async () => {
		const harness = await Harness.start();
		try {
			const result = await httpCall('POST', `${harness.emu.controlUrl}/events`, {
				eventType: 'ORGANIZATION_ADDED',
				organizationId: '00000000-0000-4000-8000-000000000001',
				callbackUrl: 'https://internal.example/admin',
			}, { [CONTROL_TOKEN_HEADER]: harness.emu.controlToken });
			expect(result.status).toBe(400);
			expect(result.body.message).toMatch(/loopback host/);
		} finally {
			await harness.stop();
		}
	});
});
