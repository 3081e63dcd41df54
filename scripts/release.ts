/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- release tooling, never published */
/**
 * `npm run release [patch|minor|major|x.y.z]` (docs/releasing.md).
 *
 * On a developer's machine: moves CHANGELOG.md's Unreleased entries into a section for the new
 * version (with no argument: releases package.json's version, which must already have its
 * section and no tag yet), bumps package.json, checks lint, build and the scanner's rules,
 * commits "Release x.y.z", tags x.y.z and pushes both. The tag starts .github/workflows/publish.yml.
 *
 * In GitHub Actions (publish.yml): n8n's own `n8n-node release`, which lints, builds and runs
 * `npm publish` with a provenance statement.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { cutRelease, parseChangelog, releaseNotes } from './lib/changelog';

const REPO = join(__dirname, '..');
const CHANGELOG = join(REPO, 'CHANGELOG.md');

function run(command: string, args: string[]): void {
	const result = spawnSync(command, args, { cwd: REPO, stdio: 'inherit' });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

function git(...args: string[]): string {
	return execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();
}

/** "patch" | "minor" | "major" | "x.y.z" applied to the current version. */
export function nextVersion(current: string, bump: string): string {
	if (/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(bump)) return bump;
	const [major, minor, patch] = current.split(/[.-]/).map(Number);
	if (bump === 'major') return `${major + 1}.0.0`;
	if (bump === 'minor') return `${major}.${minor + 1}.0`;
	if (bump === 'patch') return `${major}.${minor}.${patch + 1}`;
	throw new Error(`"${bump}" is not patch, minor, major or a version like 1.2.3`);
}

function main(bump: string | undefined): void {
	if (process.env.GITHUB_ACTIONS) {
		run('npx', ['n8n-node', 'release']);
		return;
	}
	if (git('status', '--porcelain') !== '') throw new Error('commit or stash your changes first');
	if (git('rev-parse', '--abbrev-ref', 'HEAD') !== 'main') throw new Error('release from the main branch');

	const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
	const version = bump ? nextVersion(pkg.version, bump) : pkg.version;
	if (git('tag', '--list', version) !== '') throw new Error(`the tag ${version} exists already`);

	const changelog = readFileSync(CHANGELOG, 'utf8');
	const hasSection = parseChangelog(changelog).some((release) => release.version === version);
	if (!bump && !hasSection) {
		throw new Error(`CHANGELOG.md has no section for ${version}: run npm run release -- patch|minor|major`);
	}
	if (bump && !hasSection) {
		writeFileSync(CHANGELOG, cutRelease(changelog, version, new Date().toISOString().slice(0, 10)));
	}
	if (version !== pkg.version) run('npm', ['version', version, '--no-git-tag-version']);

	run('npm', ['run', 'lint']);
	run('npm', ['run', 'build']);
	run('npm', ['run', 'scan']);

	if (git('status', '--porcelain') !== '') {
		git('commit', '-am', `Release ${version}`);
	}
	git('tag', '-a', version, '--cleanup=verbatim', '-m', `${version}\n\n${releaseNotes(readFileSync(CHANGELOG, 'utf8'), version)}`);
	if (git('remote') === '') {
		process.stdout.write(`Tagged ${version}. Push the commit and the tag to start publishing: git push --follow-tags\n`);
		return;
	}
	run('git', ['push', '--follow-tags', 'origin', 'HEAD']);
	process.stdout.write(`Pushed ${version}: .github/workflows/publish.yml tests and publishes it.\n`);
}

if (require.main === module) {
	try {
		main(process.argv[2]);
	} catch (error) {
		process.stderr.write(`release: ${(error as Error).message}\n`);
		process.exit(1);
	}
}
