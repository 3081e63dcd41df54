/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test of the repository's documents, never published */
/**
 * The README is for people: short, in the order someone who installs the package needs it
 * (install, credential, a first workflow, examples; development last), and every fact it states
 * taken from the code or the tested setup it describes, so a change there fails here until the
 * README says the same. Links and pictures in README.md and docs/*.md must resolve; the README's
 * own point into the repository by absolute URL, since npmjs.com shows it without the repository.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import { EMULATOR_DEFAULTS } from '../../../emulator/defaults';
import { INDUSTRY_LABELS } from '../../../nodes/shared/fields/industries';
import {
	ENVIRONMENTS,
	EVENT_TYPES,
	RATE_LIMIT,
	SANDBOX_AUDIENCE_ALTERNATIVE,
	SUBSCRIPTION_LIMIT_PER_EVENT,
} from '../../../nodes/shared/contract';
import { properties as onboardingStatusProperties } from '../../../nodes/PliantOnboardingStatus/description';
import { triggerProperties } from '../../../nodes/PliantTrigger/description';
import { eventOptions } from '../../../nodes/shared/onboarding/events';
import { BY_HAND_INSTALL, TESTED_N8N_VERSIONS } from '../../../scripts/lib/n8n';

const ROOT = resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const PKG = JSON.parse(read('package.json')) as { repository: { url: string }; n8n: { nodes: string[] } };
/** `git+https://github.com/owner/name.git` → `https://github.com/owner/name` */
const REPO_URL = PKG.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const BLOB = `${REPO_URL}/blob/main/`;
const RAW = `${REPO_URL.replace('https://github.com/', 'https://raw.githubusercontent.com/')}/main/`;
const TREE = `${REPO_URL}/tree/main/`;
/** The repository file an absolute README link points at, or undefined for any other link. */
function repositoryFile(link: string): string | undefined {
	const prefix = [BLOB, RAW, TREE].find((p) => link.startsWith(p));
	return prefix === undefined ? undefined : link.slice(prefix.length).split('#')[0];
}
const README = read('README.md');
/** The README with line breaks as spaces, for phrases that wrap. */
const FLAT = README.replace(/\s+/g, ' ');
const DOCS = readdirSync(join(ROOT, 'docs'))
	.filter((file) => file.endsWith('.md'))
	.map((file) => `docs/${file}`);

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
function anchor(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N} _-]/gu, '')
		.replace(/ /g, '-');
}

function anchorsOf(text: string): Set<string> {
	const withoutCode = text.replace(/```[\s\S]*?```/g, '');
	return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchor(match[1])));
}

describe('README.md', () => {
	it('is short enough to read (at most 400 lines)', () => {
		expect(README.split('\n').length).toBeLessThanOrEqual(400);
	});

	it('has the two commands, the install, the credential and every node', () => {
		expect(README).toContain('npm ci && npm start');
		expect(README).toContain('npm ci && npm test');
		for (const heading of [
			'## Try it without a Pliant account',
			'## Install',
			'## Set up the credential',
			'## Your first workflow',
			'## Custom API calls (HTTP Request)',
			'## Pliant Create Lead',
			'## Pliant Onboarding Status',
			'## Pliant Trigger',
			'## Example workflows',
			'## Limits, retries and errors',
			'## Troubleshooting',
			'## Versioning',
			'## Development',
		]) {
			expect(README).toContain(`\n${heading}\n`);
		}
	});

	it('names every node of the package in the table at the top', () => {
		const intro = README.slice(0, README.indexOf('\n## '));
		const names = PKG.n8n.nodes.map((file) => basename(file).split('.')[0].replace(/([a-z])([A-Z])/g, '$1 $2'));
		expect(names).toHaveLength(4);
		for (const name of names) expect(intro).toContain(`| **${name}** |`);
	});

	it('comes in the order a new user needs it: install, credential, first workflow, examples, then development', () => {
		const order = ['## Install', '## Set up the credential', '## Your first workflow', '## Example workflows', '## Development', '## Try it without a Pliant account'];
		const positions = order.map((heading) => README.indexOf(`\n${heading}\n`));
		expect(positions).toEqual([...positions].sort((a, b) => a - b));
	});

	it("says what n8n Cloud requires and that the package is not verified yet", () => {
		expect(README).toContain('\n### n8n Cloud\n');
		expect(FLAT).toMatch(/n8n Cloud installs only community nodes n8n has \*\*verified\*\*/);
		expect(FLAT).toContain('provenance');
	});

	it('gives the by-hand install command the e2e suite installs the package with', () => {
		expect(README).toContain(['npm', ...BY_HAND_INSTALL('~/.n8n/nodes', 'n8n-nodes-pliant')].join(' '));
	});

	it('names exactly the n8n versions the end-to-end suite runs, and no other', () => {
		const line = /\*\*Tested with ([^*]+)\.\*\*/.exec(README)?.[1] ?? '';
		const stated = [...line.matchAll(/n8n (\d+\.\d+\.\d+)/g)].map((match) => match[1]);
		expect(stated.sort()).toEqual([...TESTED_N8N_VERSIONS].sort());
		// any other n8n version named anywhere (a minimum, a demo) must be a tested one
		for (const match of README.matchAll(/\bn8n (\d+\.\d+(?:\.\d+)?)/g)) {
			expect(TESTED_N8N_VERSIONS).toContain(match[1]);
		}
	});

	it('states the credential environments as the contract module has them', () => {
		for (const environment of Object.values(ENVIRONMENTS)) {
			for (const value of [environment.tokenUrl, environment.audience, environment.baseUrl]) {
				expect(README).toContain(`\`${value}\``);
			}
		}
		expect(README).toContain(`\`${SANDBOX_AUDIENCE_ALTERNATIVE}\``);
		const emulator = `http://127.0.0.1:${EMULATOR_DEFAULTS.port}`;
		expect(README).toContain(`\`${emulator}${EMULATOR_DEFAULTS.tokenPath}\``);
		expect(README).toContain(`\`${emulator}${EMULATOR_DEFAULTS.apiPrefix}\``);
		expect(README).toContain(`Audience \`${EMULATOR_DEFAULTS.audience}\``);
	});

	it('states the limits the code enforces', () => {
		expect(FLAT).toContain(`${RATE_LIMIT.requests} requests per ${RATE_LIMIT.windowMs / 60_000} minutes`);
		expect(FLAT).toContain(`${RATE_LIMIT.requests} per ${RATE_LIMIT.windowMs / 1000} s`);
		expect(FLAT).toContain(`${SUBSCRIPTION_LIMIT_PER_EVENT} subscriptions per event type`);
	});

	it('states the demo timing the demo script uses', () => {
		const demo = read('scripts/demo.ts');
		const delay = Number(/DEMO_ONBOARDING_DELAY_MS \|\| (\d+)/.exec(demo)?.[1]) / 1000;
		const step = Number(/DEMO_STEP_INTERVAL_MS \|\| (\d+)/.exec(demo)?.[1]) / 1000;
		expect(FLAT).toContain(`onboarded ${delay} seconds later and moves on one step every ${step} seconds`);
	});

	it('lists every Trigger On choice and option of the Pliant Trigger', () => {
		for (const option of eventOptions()) expect(FLAT).toContain(option.name);
		expect(eventOptions()).toHaveLength(EVENT_TYPES.length + 1);
		const options = triggerProperties.find((property) => property.name === 'options');
		for (const option of (options?.options ?? []) as Array<{ displayName: string }>) {
			expect(README).toContain(`| ${option.displayName} |`);
		}
	});

	it('lists every operation of Pliant Onboarding Status', () => {
		const operation = onboardingStatusProperties.find((property) => property.name === 'operation');
		const names = ((operation?.options ?? []) as Array<{ name: string }>).map((option) => option.name);
		expect(names.length).toBeGreaterThan(0);
		for (const name of names) expect(README).toContain(`| ${name} |`);
	});

	it('quotes industry labels the dropdown really shows', () => {
		for (const match of README.matchAll(/"([^"]+)"/g)) {
			if (/Food|Airlines/.test(match[1])) expect(Object.values(INDUSTRY_LABELS)).toContain(match[1]);
		}
		expect(README).toContain(`"${INDUSTRY_LABELS.FOOD_BEVERAGES}"`);
	});

	it('links every example workflow', () => {
		for (const file of readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.json'))) {
			expect(README).toContain(`(${BLOB}examples/${file})`);
		}
	});

	it('links the moved documents', () => {
		for (const doc of ['docs/emulator.md', 'docs/performance.md', 'docs/development.md', 'docs/releasing.md']) {
			expect(DOCS).toContain(doc);
			expect(README).toContain(`](${BLOB}${doc})`);
		}
	});
});

describe.each(['README.md', ...DOCS, 'CHANGELOG.md', 'emulator/README.md'])('links in %s', (file) => {
	const text = read(file);
	const links = [...text.replace(/```[\s\S]*?```/g, '').matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);

	const local = links.filter((link) => !/^(https?|mailto):/.test(link));

	it('has only repository links that resolve to a file', () => {
		for (const link of links) {
			const target = repositoryFile(link);
			if (target !== undefined) expect({ link, exists: existsSync(join(ROOT, target)) }).toEqual({ link, exists: true });
		}
		// npmjs.com shows the README without the repository: no relative links there
		if (file === 'README.md') expect(local.filter((link) => !link.startsWith('#'))).toEqual([]);
	});

	it('has only links that resolve to a file and, with #, to a heading in it', () => {
		for (const link of local) {
			const [target, hash] = link.split('#');
			const path = target === '' ? join(ROOT, file) : resolve(dirname(join(ROOT, file)), target);
			expect({ link, exists: existsSync(path) }).toEqual({ link, exists: true });
			if (hash) expect({ link, anchors: [...anchorsOf(readFileSync(path, 'utf8'))] }).toEqual({ link, anchors: expect.arrayContaining([hash]) });
		}
	});
});
