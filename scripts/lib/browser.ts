/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/**
 * Headless Chromium (Debian's `chromium` package, driven by playwright-core) against a running
 * n8n: log in, open a workflow, open a node, add a trigger, take pictures. Used by the UI e2e tests and by
 * scripts/docs-images.ts.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

import { REPO, checkedSync, waitFor, type N8nClient } from './n8n';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Installs Debian's chromium with apt-get when /usr/bin/chromium is missing (scripts/ensure-chromium.sh). */
export function ensureChromium(): void {
	if (fs.existsSync(CHROMIUM)) return;
	const res = checkedSync('bash', spawnSync('bash', [path.join(REPO, 'scripts', 'ensure-chromium.sh')], { stdio: 'inherit' }));
	if (res.status !== 0 || !fs.existsSync(CHROMIUM)) throw new Error('could not install chromium (scripts/ensure-chromium.sh)');
}

export async function launchChromium(): Promise<Browser> {
	ensureChromium();
	return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

export async function newPage(browser: Browser, width = 1440, height = 900): Promise<Page> {
	const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, locale: 'en-US' });
	return context.newPage();
}

/** Logs in through the sign-in form; resolves when the app has left /signin. */
export async function login(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
	// The first page of a freshly started n8n can take long on a busy machine.
	await page.goto(`${baseUrl}/signin`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
	const emailInput = page.locator('input[name="emailOrLdapLoginId"], input[name="email"], input[type="email"]').first();
	await emailInput.waitFor({ timeout: 60_000 });
	await emailInput.fill(email);
	await page.locator('input[name="password"], input[type="password"]').first().fill(password);
	await page.locator('[data-test-id="form-submit-button"], button[type="submit"]').first().click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
}

/** Opens a workflow in the editor and waits for its canvas. */
export async function openWorkflow(page: Page, baseUrl: string, workflowId: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
	await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 60_000 });
	await dismissPopups(page);
}

/** Closes toasts and "what's new" style dialogs that may cover the canvas. */
export async function dismissPopups(page: Page): Promise<void> {
	for (const sel of ['.el-notification .el-notification__closeBtn', '[data-test-id="whats-new-modal"] .el-dialog__headerbtn']) {
		const items = page.locator(sel);
		const n = await items.count();
		for (let i = 0; i < n; i++) await items.nth(i).click({ timeout: 2_000 }).catch(() => undefined);
	}
}

/** Fits the canvas to the view (the "Zoom to fit" shortcut) and waits for it to settle. */
export async function fitCanvas(page: Page): Promise<void> {
	await page.locator('body').click({ position: { x: 5, y: 5 } }).catch(() => undefined);
	const fit = page.locator('[data-test-id="zoom-to-fit"]');
	if (await fit.count()) await fit.first().click().catch(() => undefined);
	else await page.keyboard.press('1');
	await page.waitForTimeout(800);
}

/** Opens a node's parameter panel (NDV) by double-clicking it on the canvas. */
export async function openNode(page: Page, nodeName: string): Promise<void> {
	const node = page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`).first();
	if (await node.count()) await node.dblclick();
	else await page.getByText(nodeName, { exact: true }).first().dblclick();
	await page.locator('[data-test-id="ndv"], [data-test-id="node-parameters"]').first().waitFor({ timeout: 30_000 });
}

/** The parameter input of a node parameter in the open NDV, by its display name. */
export function parameterInput(page: Page, displayName: string) {
	return page.locator(`[data-test-id="parameter-input-${displayName}"], [data-test-id="parameter-item"]:has-text("${displayName}")`).first();
}

const UNFINISHED = new Set(['new', 'running', 'waiting']);

export interface ExecuteStepOptions {
	/** How long to wait for the output, all clicks included. */
	timeoutMs?: number;
	/** How long after a click with no execution recorded the click counts as dropped. */
	droppedAfterMs?: number;
	/** How often n8n and the panel are looked at. */
	pollMs?: number;
}

/**
 * Clicks a node's "Execute step" button and waits until `shown()` finds the expected output.
 * n8n's editor can drop the click while the machine is busy (both n8n lines side by side in
 * CI): only when n8n has recorded no execution of the workflow 30 s after a click is the button
 * clicked again, and `onRetry` told why. Any execution of the workflow that errors fails the
 * wait at once. Resolves with the statuses of the executions the clicks made, once all ended.
 */
export async function executeStep(
	button: Pick<Locator, 'click' | 'isEnabled'>,
	n8n: Pick<N8nClient, 'editorExecutions'>,
	workflowId: string,
	shown: () => Promise<boolean>,
	onRetry: (why: string) => void,
	{ timeoutMs = 150_000, droppedAfterMs = 30_000, pollMs = 500 }: ExecuteStepOptions = {},
): Promise<string[]> {
	const before = new Set((await n8n.editorExecutions(workflowId)).map((e) => e.id));
	const made = async () => (await n8n.editorExecutions(workflowId)).filter((e) => !before.has(e.id));
	await button.click();
	let clickedAt = Date.now();
	const outcome = await waitFor(
		'the step\'s output in the panel',
		async () => {
			const executions = await made();
			const failed = executions.find((e) => e.status === 'error' || e.status === 'crashed');
			if (failed) return { failed };
			if (await shown()) return { failed: undefined };
			if (executions.length === 0 && Date.now() - clickedAt > droppedAfterMs && (await button.isEnabled())) {
				onRetry(`n8n recorded no execution ${droppedAfterMs / 1000} s after "Execute step" was clicked; clicked again`);
				await button.click();
				clickedAt = Date.now();
			}
			return undefined;
		},
		timeoutMs,
		pollMs,
	);
	if (outcome.failed) throw new Error(`execution ${outcome.failed.id} of the step ended with status "${outcome.failed.status}"`);
	const ended = await waitFor(
		'the step\'s executions to end',
		async () => {
			const executions = await made();
			return executions.length > 0 && executions.every((e) => !UNFINISHED.has(String(e.status))) ? executions : undefined;
		},
		timeoutMs,
		pollMs,
	);
	return ended.map((e) => String(e.status));
}

/**
 * New workflow's "Add first step" → search `search` → the node → its trigger action `action`
 * (n8n makes one action per Trigger On option, e.g. "On organization added"), which opens the node.
 */
export async function addTriggerAction(page: Page, search: string, action: string): Promise<void> {
	await page.locator('[data-test-id="canvas-add-button"]').first().click();
	const input = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
	await input.waitFor({ timeout: 30_000 });
	await input.fill(search);
	await page.getByText(search, { exact: true }).first().click();
	await page.getByText(action, { exact: true }).first().click();
	await page.locator('[data-test-id="ndv"]').first().waitFor({ timeout: 30_000 });
}

/** Expands a trigger panel's "When will this node trigger my flow?" help and its webhook URLs, if shown. */
export async function expandTriggerHelp(page: Page): Promise<void> {
	for (const text of ['When will this node trigger my flow?', 'Webhook URLs']) {
		const toggle = page.locator('[data-test-id="ndv"]').getByText(text, { exact: true }).first();
		if (await toggle.isVisible().catch(() => false)) await toggle.click().catch(() => undefined);
	}
	await page.waitForTimeout(500);
}
