/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test of the repository's GitHub workflows, never published */
/**
 * What the GitHub workflows must do for n8n's verification; that they are valid workflows at
 * all is `npm run validate:workflows` (a stage of `npm test`).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
/** The workflow without its comments. */
const code = (file: string) => read(file).replace(/^\s*#.*$/gm, '');
const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

describe('.github/workflows/ci.yml', () => {
	const ci = code('.github/workflows/ci.yml');

	it("runs the README's test line on every push and pull request", () => {
		expect(ci).toMatch(/^on:\n\s+push:\n\s+pull_request:/m);
		expect(ci).toMatch(/run: npm ci && npm test$/m);
		expect(read('README.md')).toContain('npm ci && npm test');
	});
});

describe('.github/workflows/publish.yml', () => {
	const publish = code('.github/workflows/publish.yml');
	const publishJob = publish.slice(publish.indexOf('\n  publish:'));

	it('runs on version tags only', () => {
		expect(publish).toMatch(/^on:\n\s+push:\n\s+tags:\n\s+- '\*\.\*\.\*'\n/m);
		expect(publish).not.toMatch(/pull_request|branches:/);
	});

	it('tests with the full test command before publishing', () => {
		expect(publish).toMatch(/run: npm ci && npm test$/m);
		expect(publishJob).toMatch(/needs: test/);
	});

	it('publishes with provenance through trusted publishing: id-token, no npm token', () => {
		expect(publishJob).toMatch(/permissions:\n\s+contents: read\n\s+id-token: write/);
		expect(publish).not.toMatch(/secrets\.|NPM_TOKEN|NODE_AUTH_TOKEN|_authToken/);
		expect(publishJob).toMatch(/run: npm ci$/m);
		expect(publishJob).toMatch(/run: npm run release$/m);
		// in GitHub Actions `npm run release` is n8n's `n8n-node release`: npm publish with provenance
		expect(pkg.scripts.release).toBe('tsx scripts/release.ts');
		expect(read('scripts/release.ts')).toMatch(/GITHUB_ACTIONS[\s\S]*run\('npx', \['n8n-node', 'release'\]\)/);
		expect(pkg.scripts.prepublishOnly).toBe('n8n-node prerelease');
	});

	it('has npm new enough for trusted publishing (11.5.1 or later)', () => {
		const npm = /npm install -g npm@(\d+)\.(\d+)\.(\d+)/.exec(publishJob);
		expect(npm).not.toBeNull();
		const [major, minor, patch] = npm!.slice(1).map(Number);
		expect(major * 1e6 + minor * 1e3 + patch).toBeGreaterThanOrEqual(11 * 1e6 + 5 * 1e3 + 1);
	});
});

describe('npm test', () => {
	it('validates the workflows and runs the scanner rules as stages', () => {
		const stages = read('scripts/test.sh');
		expect(stages).toContain('"workflows:validate:workflows:"');
		expect(stages).toContain('"scan:scan:build"');
		expect(pkg.scripts['validate:workflows']).toMatch(/action-validator/);
		expect(pkg.scripts.scan).toBe('tsx scripts/scan.ts');
	});
});
