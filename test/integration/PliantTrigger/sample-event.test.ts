/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a loopback server that redirects and a poll, test tooling */
/**
 * The sample event through n8n-core's real HookContext and `helpers.httpRequest`: it reaches
 * the test URL and comes out as a `sample: true` item; a redirect at the test URL is not
 * followed; n8n removing the test URL ends the delivery. Waits are instant (fakeWaits).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { DELIVERY_WAITS_MS, pendingSamples } from '../../../nodes/PliantTrigger/sample-delivery';
import { emulatorCredentials, PliantCredentialsHelper } from '../../support/engine';
import { fakeWaits, forgetProcessMemory } from '../../support/process-memory';
import { Harness } from '../../unit/emulator/helpers';
import { TriggerHost } from './trigger-host';

/** A host whose n8n address (test URL, instance base URL) is another server's, when set. */
class RedirectedHost extends TriggerHost {
	address?: string;

	override get base(): string {
		return this.address ?? super.base;
	}
}

let harness: Harness;
let credentialsHelper: PliantCredentialsHelper;
let waits: ReturnType<typeof fakeWaits>;
const hosts: TriggerHost[] = [];
const servers: Server[] = [];

async function host(): Promise<RedirectedHost> {
	const started = await new RedirectedHost({
		credentials: emulatorCredentials(harness.emu),
		credentialsHelper,
		events: ['ORGANIZATION_ADDED'],
	}).start();
	hosts.push(started);
	return started;
}

/** Resolves once `check` holds (checked every 10 ms; the test's own timeout bounds it). */
async function until(check: () => boolean): Promise<void> {
	await new Promise<void>((resolve) => {
		const poll = setInterval(() => {
			if (!check()) return;
			clearInterval(poll);
			resolve();
		}, 10);
	});
}

beforeAll(async () => {
	harness = await Harness.start();
	credentialsHelper = new PliantCredentialsHelper(emulatorCredentials(harness.emu));
});

afterAll(async () => {
	await Promise.all(hosts.map(async (item) => await item.stop()));
	await Promise.all(servers.map(async (server) => await new Promise((resolve) => server.close(resolve))));
	await harness.stop();
});

beforeEach(() => {
	forgetProcessMemory();
	waits = fakeWaits();
});

afterEach(() => waits.restore());

describe('the sample event in n8n-core', () => {
	it('reaches the test URL and comes out as one sample item', async () => {
		const trigger = await host();
		await trigger.publish('test');
		await until(() => trigger.executions.length > 0);
		expect(trigger.executions).toHaveLength(1);
		expect(trigger.executions[0]).toMatchObject({ kind: 'test', json: { sample: true, eventType: 'ORGANIZATION_ADDED' } });
		expect(pendingSamples.size).toBe(0);
		await trigger.unpublish('test');
	});

	it('follows no redirect at the test URL', async () => {
		const trigger = await host();
		const realTestUrl = trigger.url('test');
		let redirected = 0;
		const redirector = createServer((req, res) => {
			req.resume();
			redirected++;
			res.writeHead(307, { location: realTestUrl }).end();
		});
		servers.push(redirector);
		await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
		trigger.address = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;

		await trigger.publish('test');
		// The delivery's four rounds have ended, or the redirect was followed to the real test URL.
		await until(() => redirected === DELIVERY_WAITS_MS.length || trigger.answers.length > 0);
		// Every round posted once to the redirecting test URL (n8n's own address is the same);
		// the URL it pointed to, where the sample would have been taken, got nothing.
		expect(trigger.answers).toEqual([]);
		expect(trigger.executions).toEqual([]);
		await trigger.unpublish('test');
		expect(pendingSamples.size).toBe(0);
	});
});
