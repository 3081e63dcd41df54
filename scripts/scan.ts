/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- dev tooling, never published */
/**
 * `npm run scan`: the rules of n8n's community package scanner, applied before publishing. It
 * packs the package, unpacks the tarball and lints it with the pinned
 * `@n8n/scan-community-package`'s own `analyzePackage`: its ESLint config, inline disables
 * ignored, on the tarball's compiled `.js` and package.json and on the `nodes/` and
 * `credentials/` sources, as the scanner does after its provenance check. No network.
 * Needs a build (`npm run build`). Exits 1 on any violation.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '..');

interface Analysis {
	passed: boolean;
	message?: string;
	details?: string;
}

interface Scanner {
	analyzePackage(dir: string, patterns?: string[]): Promise<Analysis>;
	SOURCE_FILE_PATTERNS: string[];
}

/** The patterns the scanner lints the published tarball with (`analyzePackageByName`). */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

async function main(): Promise<number> {
	const scannerFile = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
	// the scanner makes a temporary folder when it is loaded: have its own `tmp` remove it at exit
	(createRequire(scannerFile)('tmp') as { setGracefulCleanup(): void }).setGracefulCleanup();
	const scanner = (await import(scannerFile)) as Scanner;

	// outside the repository: the sources leg scans the repository itself
	const work = mkdtempSync(join(tmpdir(), 'n8n-nodes-pliant-scan-'));
	try {
		const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: REPO, encoding: 'utf8' })
			.trim()
			.split('\n')
			.pop() as string;
		const unpacked = join(work, 'package');
		mkdirSync(unpacked);
		execFileSync('tar', ['-xzf', join(work, tgz), '-C', unpacked, '--strip-components=1']);

		const legs: Array<[string, string, string[]]> = [
			[`tarball ${tgz}`, unpacked, TARBALL_FILE_PATTERNS],
			['sources', REPO, scanner.SOURCE_FILE_PATTERNS],
		];
		let failed = 0;
		for (const [what, dir, patterns] of legs) {
			const result = await scanner.analyzePackage(dir, patterns);
			// "No files found to analyze" passes in the scanner; here it means a missing build
			if (result.passed && !result.message) {
				process.stdout.write(`scan: ${what} (${patterns.join(', ')}): 0 violations\n`);
			} else {
				failed++;
				process.stdout.write(`scan: ${what}: ${result.message ?? 'failed'}\n${result.details ?? ''}\n`);
			}
		}
		return failed === 0 ? 0 : 1;
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		process.stderr.write(`scan: ${error.stack ?? error.message}\n`);
		process.exit(1);
	},
);
