/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, never published */
/**
 * The Pliant Trigger's sample event in the editor, as a new user meets it (headless Chromium,
 * the packed package, a real n8n; scripts/e2e.sh runs it once per n8n line): a new workflow,
 * add Pliant Trigger, pick Organization Added, click the test button, and a sample item shows
 * in the output panel within 30 s while the emulator delivered nothing. Then a published Pliant
 * Trigger gets requests dressed as samples and must start no execution. (The README's pictures of
 * these panels: scripts/docs-images.ts.)
 */
import type { Browser, Page } from 'playwright-core';

import { SAMPLE_HEADER } from '../../nodes/PliantTrigger/sample-event';
import { addTriggerAction, dismissPopups, expandTriggerHelp, launchChromium, login, newPage } from '../../scripts/lib/browser';
import { DEFAULT_N8N_VERSION, sleep, waitFor } from '../../scripts/lib/n8n';
import { OWNER, startStack, type Stack } from './harness';

jest.setTimeout(240_000);

const version = process.env.N8N_E2E_VERSION || DEFAULT_N8N_VERSION;

let stack: Stack;
let browser: Browser;
let page: Page;

/** The chips of a multi-options parameter in the open node. */
async function chosen(p: Page, parameter: string): Promise<string> {
	return (await p.locator(`[data-test-id="parameter-input-${parameter}"]`).first().innerText()).trim();
}

describe(`Pliant Trigger sample event in the editor on n8n ${version}`, () => {
	beforeAll(async () => {
		stack = await startStack();
		browser = await launchChromium();
		page = await newPage(browser);
		await login(page, stack.n8n.baseUrl, OWNER.email, OWNER.password);
	}, 900_000);

	afterAll(async () => {
		await browser?.close();
		await stack?.stop();
	});

	test('new workflow → Pliant Trigger → Organization Added → test button → a sample item within 30 s, nothing from the emulator', async () => {
		await page.goto(`${stack.n8n.baseUrl}/workflow/new`, { waitUntil: 'domcontentloaded' });
		await page.locator('[data-test-id="canvas-add-button"]').first().waitFor({ timeout: 60_000 });
		await dismissPopups(page);
		await addTriggerAction(page, 'Pliant', 'On organization added');
		await expect(chosen(page, 'events')).resolves.toBe('Organization Added');
		await expandTriggerHelp(page);

		const before = (await stack.control.deliveries()).length;
		const started = Date.now();
		await page.locator('[data-test-id="ndv"] [data-test-id="trigger-execute-button"], [data-test-id="ndv"] [data-test-id="node-execute-button"]').first().click();
		const output = page.locator('[data-test-id="ndv-output-panel"], [data-test-id="output-panel"]').first();
		await output.getByText('crm-sample-0001').first().waitFor({ timeout: 30_000 });
		const seconds = (Date.now() - started) / 1000;
		process.stdout.write(`[trigger-sample-ui] n8n ${version}: sample item shown ${seconds.toFixed(1)} s after the click\n`);
		await output.getByText('JSON', { exact: true }).first().click();
		await output.getByText('Sample Company GmbH').first().waitFor({ timeout: 10_000 });
		const json = await output.innerText();
		expect(json).toMatch(/"?sample"?:\s*true/);
		expect(json).toContain('ORGANIZATION_ADDED');

		// The item came from the node itself: the emulator delivered no callback.
		expect((await stack.control.deliveries()).length).toBe(before);
		expect(before).toBe(0);
	});

	test('a published Pliant Trigger starts no execution for a request dressed as a sample', async () => {
		const id = 'pliantExDemoTrig';
		await stack.n8n.activate(id);
		const node = (await stack.n8n.getWorkflow(id)).nodes.find((n) => n.type === 'n8n-nodes-pliant.pliantTrigger');
		const url = stack.n8n.webhookUrl(String(node?.webhookId));
		// The public API answers before n8n has registered the production webhook.
		await waitFor('the published trigger to answer', async () => {
			const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
			return response.status === 404 ? undefined : true;
		}, 30_000, 250);
		const before = await stack.n8n.executions(id);
		const attempts: Array<Record<string, string>> = [
			{ [SAMPLE_HEADER]: 'a'.repeat(64) },
			{ [SAMPLE_HEADER]: '' },
			{ [SAMPLE_HEADER]: 'a'.repeat(64), 'webhook-id': 'msg_x', 'webhook-timestamp': `${Math.floor(Date.now() / 1000)}`, 'webhook-signature': 'v1a,AAAA' },
		];
		for (const headers of attempts) {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: JSON.stringify({ eventType: 'ORGANIZATION_ADDED', sample: true, organizationId: 'x' }),
			});
			expect(response.status).toBe(401);
		}
		await sleep(2_000);
		expect(await stack.n8n.executions(id)).toEqual(before);
	});
});
