/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test of the repository's tooling, never published */
/**
 * Nothing a bench, e2e, queue or demo run leaves behind may land inside the repository (it would
 * slow lint and could reach a commit): no runner names the old in-repository work folder, and
 * the shell runners make theirs under $TMPDIR (or PLIANT_WORK_BASE).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');

function files(dir: string, pattern: RegExp): string[] {
	return readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? files(join(dir, e.name), pattern) : pattern.test(e.name) ? [join(dir, e.name)] : [],
	);
}

describe('work folders of the runners', () => {
	test('no runner, npm script or jest script puts a work folder inside the repository', () => {
		const runners = [...files('scripts', /\.(sh|ts)$/), ...files('bench', /\.ts$/), 'package.json'];
		const inRepo = runners.filter((f) => readFileSync(join(REPO, f), 'utf8').includes('.e2e-work'));
		expect(inRepo).toEqual([]);
	});

	test('the shell runners make their work folders under $TMPDIR or PLIANT_WORK_BASE', () => {
		for (const f of ['scripts/lib/run-work.sh', 'scripts/start.sh']) {
			expect({ f, outside: /\$\{PLIANT_WORK_BASE:-\$\{TMPDIR:-\/tmp\}\/n8n-nodes-pliant\}/.test(readFileSync(join(REPO, f), 'utf8')) }).toEqual({ f, outside: true });
		}
	});
});
