/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- test of the built package: reads dist/ and package.json from disk and runs `npm pack --dry-run` */
/**
 * What n8n and npm get from this package, checked on the built output the way they read it:
 * - loader smoke test: every file in package.json's `n8n` block loads from dist/, exports the
 *   class named after the file (n8n's rule; a mismatch shows as "Class could not be found"),
 *   instantiates, and has sound description basics, icons, codex and credentials;
 * - the npm tarball holds only dist/, package.json, README.md and LICENSE, with no source maps,
 *   type declarations or second package.json;
 * - package.json follows n8n's community-package rules (no runtime dependencies).
 *
 * Needs a build: `npm test` runs `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

const ROOT = resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	license: string;
	files: string[];
	keywords: string[];
	scripts: Record<string, string>;
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	overrides?: unknown;
	n8n: { n8nNodesApiVersion: number; strict: boolean; credentials: string[]; nodes: string[] };
};

if (!existsSync(join(ROOT, 'dist'))) {
	throw new Error(
		'dist/ is missing: run `npm run build` first (`npm test` builds before the unit tests).',
	);
}

/** The class n8n would look for: the file name up to its first dot. */
function className(file: string): string {
	return basename(file).split('.')[0];
}

function load<T>(file: string): T {
	const path = join(ROOT, file);
	expect(existsSync(path)).toBe(true);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(path) as Record<string, new () => T>;
	const Class = exported[className(file)];
	if (typeof Class !== 'function') {
		throw new Error(
			`${file} does not export a class named ${className(file)} (n8n: "Class could not be found")`,
		);
	}
	return new Class();
}

function iconFiles(file: string, icon: unknown): string[] {
	const { light, dark } = icon as { light: string; dark: string };
	return [light, dark].map((entry) => {
		expect(entry).toMatch(/^file:.+\.svg$/);
		return resolve(dirname(join(ROOT, file)), entry.slice('file:'.length));
	});
}

const credentialFiles = pkg.n8n.credentials;
const nodeFiles = pkg.n8n.nodes;
const credentialNames = credentialFiles.map((file) => load<ICredentialType>(file).name);

describe('loader smoke test (dist/)', () => {
	it('lists credentials and nodes under dist/', () => {
		expect(credentialFiles.length).toBeGreaterThan(0);
		expect(nodeFiles.length).toBeGreaterThan(0);
		for (const file of [...credentialFiles, ...nodeFiles]) expect(file).toMatch(/^dist\/.+\.js$/);
	});

	describe.each(credentialFiles)('%s', (file) => {
		const credential = load<ICredentialType>(file);

		it('is a credential type with name, display name, properties and a test', () => {
			expect(credential.name).toMatch(/^[a-z][A-Za-z0-9]*Api$/);
			expect(credential.displayName).toBeTruthy();
			expect(Array.isArray(credential.properties)).toBe(true);
			expect(credential.test).toBeDefined();
			expect(credential.documentationUrl).toMatch(/^https:\/\//);
		});

		it('has light and dark icons that exist in dist/ and differ', () => {
			const [light, dark] = iconFiles(file, credential.icon);
			expect(existsSync(light)).toBe(true);
			expect(existsSync(dark)).toBe(true);
			expect(readFileSync(light, 'utf8')).not.toBe(readFileSync(dark, 'utf8'));
		});
	});

	describe.each(nodeFiles)('%s', (file) => {
		const node = load<INodeType>(file);
		const { description } = node;

		it('is named after its file and instantiates again without throwing', () => {
			expect(description.name.toLowerCase()).toBe(className(file).toLowerCase());
			expect(() => load<INodeType>(file)).not.toThrow();
		});

		it('has the description basics', () => {
			expect(description.displayName).toBeTruthy();
			expect(description.displayName).not.toMatch(/\bNode\b/);
			expect(description.description).toBeTruthy();
			expect(description.version).toBeDefined();
			expect(description.defaults?.name).toBeTruthy();
			expect(Array.isArray(description.inputs)).toBe(true);
			expect(Array.isArray(description.outputs)).toBe(true);
			expect(Array.isArray(description.properties)).toBe(true);
		});

		it('has light and dark icons that exist in dist/', () => {
			for (const icon of iconFiles(file, description.icon)) expect(existsSync(icon)).toBe(true);
		});

		it('uses only credentials of this package', () => {
			expect(description.credentials?.length).toBeGreaterThan(0);
			for (const { name } of description.credentials ?? []) expect(credentialNames).toContain(name);
		});

		it('has its codex JSON beside it', () => {
			const codexPath = join(ROOT, file.replace(/\.js$/, '.json'));
			expect(existsSync(codexPath)).toBe(true);
			const codex = JSON.parse(readFileSync(codexPath, 'utf8')) as Record<string, unknown>;
			expect(codex).toMatchObject({
				node: `${pkg.name}.${description.name}`,
				nodeVersion: '1.0',
				codexVersion: '1.0',
				categories: expect.arrayContaining([expect.any(String)]),
			});
			const resources = codex.resources as { primaryDocumentation?: Array<{ url: string }> };
			expect(resources.primaryDocumentation?.[0]?.url).toMatch(/^https:\/\//);
		});
	});

	it('exports every class from index.js', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const index = require(join(ROOT, 'index.js')) as Record<string, unknown>;
		for (const file of [...credentialFiles, ...nodeFiles]) {
			expect(typeof index[className(file)]).toBe('function');
		}
	});
});

describe('package.json', () => {
	it('has no runtime dependencies and only n8n-workflow as peer', () => {
		expect(pkg.dependencies).toBeUndefined();
		expect(Object.keys(pkg.peerDependencies ?? {})).toEqual(['n8n-workflow']);
		expect(pkg.overrides).toBeUndefined();
	});

	it("follows n8n's community-package rules", () => {
		expect(pkg.name).toMatch(/^(@[a-z0-9-]+\/)?n8n-nodes-/);
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.license).toBe('MIT');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.n8n).toMatchObject({ n8nNodesApiVersion: 1, strict: true });
		for (const hook of ['preinstall', 'install', 'postinstall', 'prepare'])
			expect(pkg.scripts[hook]).toBeUndefined();
		expect(existsSync(join(ROOT, 'LICENSE'))).toBe(true);
	});
});

describe('npm pack', () => {
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
			cwd: ROOT,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	) as Array<{ files: Array<{ path: string }> }>;
	const paths = packed[0].files.map((file) => file.path);

	it('holds only dist/, package.json, README.md and LICENSE', () => {
		const outside = paths.filter(
			(path) =>
				!path.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(path),
		);
		expect(outside).toEqual([]);
		expect(paths).toContain('package.json');
		expect(paths).toContain('LICENSE');
		if (existsSync(join(ROOT, 'README.md'))) expect(paths).toContain('README.md');
	});

	it('ships from dist/ only the nodes, credentials, icons and package.json', () => {
		const strays = paths.filter(
			(path) =>
				path.startsWith('dist/') &&
				!/^dist\/(nodes|credentials|icons)\/|^dist\/package\.json$/.test(path),
		);
		expect(strays).toEqual([]);
		expect(paths.filter((path) => /\.test\.|(^|\/)test\//.test(path))).toEqual([]);
	});

	it('ships no source maps, no type declarations and no second package.json', () => {
		// maps would point at TypeScript sources the tarball lacks; n8n reads only the root package.json
		expect(paths.filter((path) => /\.map$|\.d\.ts$/.test(path))).toEqual([]);
		expect(paths.filter((path) => path.endsWith('package.json'))).toEqual(['package.json']);
	});

	it('ships every file the n8n block names, and the codex of every node', () => {
		for (const file of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) expect(paths).toContain(file);
		for (const file of pkg.n8n.nodes) expect(paths).toContain(file.replace(/\.js$/, '.json'));
	});

	it('ships no test hooks: no reset, set or clear functions, no "for tests" code', () => {
		const hooks = /^(reset|clear|set)[A-Z]|^(reset|clear)$/;
		const found: string[] = [];
		for (const file of paths.filter((path) => path.endsWith('.js'))) {
			const text = readFileSync(join(ROOT, file), 'utf8');
			for (const name of ['resetRateLimiters', 'setBackoffSleep', 'clearRecentIds', 'For tests', 'for tests:']) {
				if (text.includes(name)) found.push(`${file}: ${name}`);
			}
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const exported = require(join(ROOT, file)) as Record<string, unknown>;
			for (const [name, value] of Object.entries(exported)) {
				if (hooks.test(name)) found.push(`${file}: export ${name}`);
				if (typeof value === 'function' && value.prototype) {
					for (const method of Object.getOwnPropertyNames(value.prototype)) {
						if (hooks.test(method)) found.push(`${file}: ${name}.${method}()`);
					}
				}
			}
		}
		expect(found).toEqual([]);
	});
});
