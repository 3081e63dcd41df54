/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/**
 * The pictures in README.md and docs/: `npm run docs:images` (n8n 2.41.1), and
 * `N8N_E2E_VERSION=1.123.50 npm run docs:images` for the 1.x panels docs/sample-event.md shows
 * beside the 2.x ones. Starts the real stack (emulator with automatic onboarding, n8n with the
 * packed package and every example imported), drives Debian's Chromium and writes docs/images/:
 *   - n8n-<major>-pliant-trigger.png, n8n-<major>-pliant-trigger-sample.png,
 *     n8n-<major>-create-lead.png, n8n-<major>-polling-trigger.png   (every line)
 *   - <example file name>.png: the canvas of every workflow in examples/       (2.x)
 *   - create-lead-node.png: the Create Lead node's parameters                  (2.x)
 *   - demo-executions.png: the demo trigger's executions after a test lead     (2.x)
 * Only this script writes into docs/; the e2e tests keep their screenshots in test-results/.
 * Env: PLIANT_TGZ (else builds and packs), N8N_E2E_VERSION (default 2.41.1).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';

import {
	addTriggerAction,
	dismissPopups,
	expandTriggerHelp,
	fitCanvas,
	launchChromium,
	login,
	newPage,
	openNode,
	openWorkflow,
} from './lib/browser';
import { REPO, loadExamples, makeWorkDir, waitFor } from './lib/n8n';
import { OWNER, startStack, type Stack } from './lib/stack';

const OUT = path.join(REPO, 'docs', 'images');
const say = (line: string) => process.stdout.write(`[docs-images] ${line}\n`);

async function save(page: Page, name: string): Promise<void> {
	const file = path.join(OUT, `${name}.png`);
	await page.screenshot({ path: file });
	say(`docs/images/${name}.png`);
}

/** The panels docs/sample-event.md shows for each n8n line. */
async function linePanels(page: Page, stack: Stack, major: number): Promise<void> {
	const name = (panel: string) => `n8n-${major}-${panel}`;
	await page.goto(`${stack.n8n.baseUrl}/workflow/new`, { waitUntil: 'domcontentloaded' });
	await page.locator('[data-test-id="canvas-add-button"]').first().waitFor({ timeout: 60_000 });
	await dismissPopups(page);
	await addTriggerAction(page, 'Pliant', 'On organization added');
	await expandTriggerHelp(page);
	await save(page, name('pliant-trigger'));

	await page.locator('[data-test-id="ndv"] [data-test-id="trigger-execute-button"], [data-test-id="ndv"] [data-test-id="node-execute-button"]').first().click();
	const output = page.locator('[data-test-id="ndv-output-panel"], [data-test-id="output-panel"]').first();
	await output.getByText('crm-sample-0001').first().waitFor({ timeout: 60_000 });
	await output.getByText('JSON', { exact: true }).first().click();
	await output.getByText('Sample Company GmbH').first().waitFor({ timeout: 10_000 });
	await save(page, name('pliant-trigger-sample'));
	await page.keyboard.press('Escape');

	await openWorkflow(page, stack.n8n.baseUrl, 'pliantExTestLead');
	await openNode(page, 'Create a Pliant lead');
	await page.waitForTimeout(800);
	await save(page, name('create-lead'));
	await page.keyboard.press('Escape');

	await openWorkflow(page, stack.n8n.baseUrl, 'pliantExPolling');
	await openNode(page, 'Onboarding change');
	await expandTriggerHelp(page);
	await page.waitForTimeout(800);
	await save(page, name('polling-trigger'));
	await page.keyboard.press('Escape');
}

/** The canvas of every example, the Create Lead parameters, and the demo's executions. */
async function readmePictures(page: Page, stack: Stack): Promise<void> {
	for (const { file, workflow } of loadExamples()) {
		await openWorkflow(page, stack.n8n.baseUrl, workflow.id);
		await fitCanvas(page);
		await save(page, path.basename(file, '.json'));
	}

	await openWorkflow(page, stack.n8n.baseUrl, 'pliantExTestLead');
	await openNode(page, 'Create a Pliant lead');
	await page.waitForTimeout(800);
	await save(page, 'create-lead-node');
	await page.keyboard.press('Escape');

	// run "Create a test lead" from the editor and let the emulator walk the onboarding
	for (const id of ['pliantExDemoTrig', 'pliantExActivate']) await stack.n8n.activate(id);
	await page.locator('[data-test-id^="execute-workflow-button"]').first().dispatchEvent('click');
	await waitFor(
		'the onboarding to reach AUTHORIZATION_GRANTED',
		async () => {
			const deliveries = await stack.control.deliveries();
			return deliveries.some((d) => d.eventType === 'AUTHORIZATION_GRANTED' && d.state === 'delivered') ? true : undefined;
		},
		120_000,
		500,
	);
	await page.goto(`${stack.n8n.baseUrl}/workflow/pliantExDemoTrig/executions`, { waitUntil: 'domcontentloaded' });
	await page.locator('[data-test-id="execution-preview-details"], [data-test-id="canvas-node"]').first().waitFor({ timeout: 30_000 });
	await page.waitForTimeout(2500);
	await save(page, 'demo-executions');
}

async function main(): Promise<void> {
	fs.mkdirSync(OUT, { recursive: true });
	// one folder for the run: the stack and the user folder it prepares; removed when all went well
	const root = makeWorkDir('docs-images');
	process.env.PLIANT_WORK_ROOT = root;
	const stack = await startStack({ emulator: { port: 0, onboardingDelayMs: 1000, stepIntervalMs: 300 } });
	const browser = await launchChromium();
	try {
		const page = await newPage(browser);
		await login(page, stack.n8n.baseUrl, OWNER.email, OWNER.password);
		await linePanels(page, stack, stack.install.major);
		if (stack.install.major >= 2) await readmePictures(page, stack);
	} finally {
		await browser.close();
		await stack.stop();
	}
	fs.rmSync(root, { recursive: true, force: true });
}

main().catch((error: Error) => {
	process.stderr.write(`[docs-images] failed: ${error.stack ?? error.message}\n`);
	process.exit(1);
});
