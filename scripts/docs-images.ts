/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/**
 * README pictures: `npx tsx scripts/docs-images.ts` (or `npm run docs:images` if the lead wires
 * it). Starts the real stack (emulator with automatic onboarding + n8n 2.41.1 with the packed
 * package), then with headless Chromium saves into docs/images/:
 *   - <example file name>.png  the canvas of every workflow in examples/
 *   - create-lead-node.png     the Create Lead node's parameters
 *   - demo-executions.png      the demo trigger's executions after "Create a test lead" ran
 * Env: PLIANT_TGZ (else builds and packs), N8N_E2E_VERSION (2.41.1).
 */
import * as fs from 'fs';
import * as path from 'path';

import { fitCanvas, launchChromium, login, newPage, openNode, openWorkflow } from './lib/browser';
import { REPO, loadExamples, waitFor } from './lib/n8n';
import { OWNER, startStack } from './lib/stack';

const OUT = path.join(REPO, 'docs', 'images');
const say = (line: string) => process.stdout.write(`[docs-images] ${line}\n`);

async function main(): Promise<void> {
	fs.mkdirSync(OUT, { recursive: true });
	const stack = await startStack({ emulator: { port: 0, onboardingDelayMs: 1000, stepIntervalMs: 300 } });
	const browser = await launchChromium();
	try {
		for (const id of ['pliantExDemoTrig', 'pliantExActivate']) await stack.n8n.activate(id);
		const page = await newPage(browser, 1400, 800);
		await login(page, stack.n8n.baseUrl, OWNER.email, OWNER.password);

		for (const { file, workflow } of loadExamples()) {
			await openWorkflow(page, stack.n8n.baseUrl, workflow.id);
			await fitCanvas(page);
			const png = path.join(OUT, `${path.basename(file, '.json')}.png`);
			await page.screenshot({ path: png });
			say(`${workflow.name} → ${path.relative(REPO, png)}`);
		}

		await openWorkflow(page, stack.n8n.baseUrl, 'pliantExTestLead');
		await openNode(page, 'Create a Pliant lead');
		await page.waitForTimeout(800);
		await page.screenshot({ path: path.join(OUT, 'create-lead-node.png') });
		say('Create Lead parameters → docs/images/create-lead-node.png');
		await page.keyboard.press('Escape');

		// run "Create a test lead" from the editor, let the emulator walk the onboarding
		await page.locator('[data-test-id^="execute-workflow-button"]').first().dispatchEvent('click');
		await waitFor(
			'the onboarding to reach AUTHORIZATION_GRANTED',
			async () => {
				const d = await stack.control.deliveries();
				return d.some((x) => x.eventType === 'AUTHORIZATION_GRANTED' && x.state === 'delivered') ? true : undefined;
			},
			90_000,
			500,
		);
		await page.waitForTimeout(1500);
		await page.screenshot({ path: path.join(OUT, 'create-test-lead-run.png') });
		say('the executed "Create a test lead" → docs/images/create-test-lead-run.png');
		await page.goto(`${stack.n8n.baseUrl}/workflow/pliantExDemoTrig/executions`, { waitUntil: 'domcontentloaded' });
		await page.locator('[data-test-id="execution-preview-details"], [data-test-id="canvas-node"]').first().waitFor({ timeout: 30_000 }).catch(() => undefined);
		await page.waitForTimeout(2500);
		await page.screenshot({ path: path.join(OUT, 'demo-executions.png') });
		say('demo trigger executions → docs/images/demo-executions.png');
	} finally {
		await browser.close();
		await stack.stop();
	}
	fs.rmSync(stack.workDir, { recursive: true, force: true });
}

main().catch((error: Error) => {
	process.stderr.write(`[docs-images] failed: ${error.stack ?? error.message}\n`);
	process.exit(1);
});
