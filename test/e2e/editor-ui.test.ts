/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling, never published */
/**
 * The editor in headless Chromium (Debian's chromium, playwright-core): log in, open the
 * "Create a test lead" example, open the Create Lead node and check that the Country and
 * Industry dropdowns show the seed values. Screenshots go to test-results/ (gitignored).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';

import { launchChromium, login, newPage, openNode, openWorkflow } from '../../scripts/lib/browser';
import { DEFAULT_N8N_VERSION, REPO } from '../../scripts/lib/n8n';
import { OWNER, startStack, type Stack } from './harness';

jest.setTimeout(180_000);

const version = process.env.N8N_E2E_VERSION || DEFAULT_N8N_VERSION;
const RESULTS = path.join(REPO, 'test-results');
const shot = (name: string) => path.join(RESULTS, `e2e-ui-n8n-${version}-${name}.png`);

let stack: Stack;
let browser: Browser;
let page: Page;

/** The options of the dropdown a select input controls. */
async function openDropdown(p: Page, input: Locator): Promise<Locator> {
	await input.click();
	const listId = await input.getAttribute('aria-controls');
	const list = listId ? p.locator(`[id="${listId}"]`) : p.locator('.el-select-dropdown:visible').last();
	const items = list.locator('.el-select-dropdown__item');
	await items.first().waitFor({ state: 'visible', timeout: 15_000 });
	return items;
}

describe(`editor UI on n8n ${version}`, () => {
	beforeAll(async () => {
		fs.mkdirSync(RESULTS, { recursive: true });
		stack = await startStack();
		browser = await launchChromium();
		page = await newPage(browser);
	}, 900_000);

	afterAll(async () => {
		await browser?.close();
		await stack?.stop();
	});

	test('log in and open the "Create a test lead" workflow', async () => {
		await login(page, stack.n8n.baseUrl, OWNER.email, OWNER.password);
		await openWorkflow(page, stack.n8n.baseUrl, 'pliantExTestLead');
		await expect(page.locator('[data-test-id="canvas-node"]').count()).resolves.toBeGreaterThanOrEqual(3);
		await page.screenshot({ path: shot('workflow') });
	});

	test('the Create Lead node shows Country "Germany" and Industry "Computer Software"', async () => {
		await openNode(page, 'Create a Pliant lead');
		const country = page.locator('[data-test-id="parameter-input-country"] input').first();
		const industry = page.locator('[data-test-id="parameter-input-industry"] input').first();
		await country.waitFor({ timeout: 30_000 });
		await expect(country.inputValue()).resolves.toBe('Germany');
		await expect(industry.inputValue()).resolves.toBe('Computer Software');
		await page.screenshot({ path: shot('create-lead-node') });
	});

	test('the Country dropdown lists the 68 seed countries by name, Türkiye included', async () => {
		const country = page.locator('[data-test-id="parameter-input-country"] input').first();
		const items = await openDropdown(page, country);
		const names = (await items.allTextContents()).map((t) => t.trim());
		expect(names).toHaveLength(68);
		expect(names).toEqual(expect.arrayContaining(['Germany', 'Türkiye', 'Kosovo', 'Holy See', 'Republic of Korea']));
		expect([...names]).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		const turkiye = items.filter({ hasText: 'Türkiye' }).first();
		await turkiye.scrollIntoViewIfNeeded();
		await turkiye.hover();
		await page.screenshot({ path: shot('country-dropdown') });
		await page.keyboard.press('Escape');
	});

	test('the Industry dropdown lists "Computer Software"', async () => {
		const industry = page.locator('[data-test-id="parameter-input-industry"] input').first();
		const items = await openDropdown(page, industry);
		const names = (await items.allTextContents()).map((t) => t.trim());
		expect(names.length).toBeGreaterThan(100);
		expect(names).toEqual(expect.arrayContaining(['Computer Software', 'Accounting']));
		const software = items.filter({ hasText: /^\s*Computer Software\s*$/ }).first();
		await software.scrollIntoViewIfNeeded();
		await software.hover();
		await page.screenshot({ path: shot('industry-dropdown') });
		await page.keyboard.press('Escape');
	});
});
