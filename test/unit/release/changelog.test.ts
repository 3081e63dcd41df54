/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test of the repository's release tooling, never published */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { cutRelease, parseChangelog, releaseNotes } from '../../../scripts/lib/changelog';
import { nextVersion } from '../../../scripts/release';

const ROOT = resolve(__dirname, '../../..');
const CHANGELOG = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

const SAMPLE = `# Changelog

Intro.

## [Unreleased]

### Fixed

- A fix.

## [0.1.0] - 2026-11-30

### Added

- Everything.

[Unreleased]: https://github.com/n8n-nodes-pliant/n8n-nodes-pliant/compare/0.1.0...HEAD
[0.1.0]: https://github.com/n8n-nodes-pliant/n8n-nodes-pliant/releases/tag/0.1.0
`;

describe('CHANGELOG.md', () => {
	const releases = parseChangelog(CHANGELOG);

	it('follows Keep a Changelog: Unreleased first, then dated versions, newest first', () => {
		expect(CHANGELOG).toMatch(/^# Changelog\n/);
		expect(CHANGELOG).toContain('https://keepachangelog.com/en/1.1.0/');
		expect(releases[0].version).toBe('Unreleased');
		const versions = releases.slice(1);
		expect(versions.length).toBeGreaterThan(0);
		for (const release of versions) {
			expect(release.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
			expect(release.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
			expect(release.body).toMatch(/^### (Added|Changed|Deprecated|Removed|Fixed|Security)$/m);
		}
		const dates = versions.map((release) => release.date);
		expect(dates).toEqual([...dates].sort().reverse());
	});

	it('has a link reference for every heading', () => {
		for (const release of releases) {
			expect(CHANGELOG).toMatch(new RegExp(`^\\[${release.version.replace(/\./g, '\\.')}\\]: https://`, 'm'));
		}
	});

	it("has a section for package.json's version, or that version's entries under Unreleased", () => {
		const section = releases.find((release) => release.version === pkg.version);
		expect(section !== undefined || releases[0].body !== '').toBe(true);
	});

	it('starts at 0.1.0', () => {
		expect(releases[releases.length - 1].version).toBe('0.1.0');
	});
});

describe('cutRelease', () => {
	it('moves the Unreleased entries into a dated section and rewrites the links', () => {
		const next = cutRelease(SAMPLE, '0.2.0', '2027-01-15');
		expect(next).toBe(`# Changelog

Intro.

## [Unreleased]

## [0.2.0] - 2027-01-15

### Fixed

- A fix.

## [0.1.0] - 2026-11-30

### Added

- Everything.

[Unreleased]: https://github.com/n8n-nodes-pliant/n8n-nodes-pliant/compare/0.2.0...HEAD
[0.2.0]: https://github.com/n8n-nodes-pliant/n8n-nodes-pliant/compare/0.1.0...0.2.0
[0.1.0]: https://github.com/n8n-nodes-pliant/n8n-nodes-pliant/releases/tag/0.1.0
`);
		expect(releaseNotes(next, '0.2.0')).toBe('### Fixed\n\n- A fix.');
		expect(parseChangelog(next)[0]).toEqual({ version: 'Unreleased', date: undefined, body: '' });
	});

	it('refuses an empty Unreleased section and a version released before', () => {
		const released = cutRelease(SAMPLE, '0.2.0', '2027-01-15');
		expect(() => cutRelease(released, '0.3.0', '2027-02-01')).toThrow(/nothing to release/);
		expect(() => cutRelease(SAMPLE, '0.1.0', '2027-02-01')).toThrow(/already has a section for 0.1.0/);
	});

	it('keeps the real changelog cuttable', () => {
		const withEntry = CHANGELOG.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Fixed\n\n- Something.\n');
		const next = cutRelease(withEntry, '99.0.0', '2099-01-01');
		expect(parseChangelog(next).map((release) => release.version).slice(0, 2)).toEqual(['Unreleased', '99.0.0']);
	});
});

describe('nextVersion', () => {
	it.each([
		['0.1.0', 'patch', '0.1.1'],
		['0.1.0', 'minor', '0.2.0'],
		['0.1.3', 'major', '1.0.0'],
		['0.1.0', '1.0.0-rc.1', '1.0.0-rc.1'],
	])('%s + %s = %s', (current, bump, next) => {
		expect(nextVersion(current, bump)).toBe(next);
	});

	it('rejects anything else', () => {
		expect(() => nextVersion('0.1.0', 'huge')).toThrow(/not patch, minor, major/);
	});
});
