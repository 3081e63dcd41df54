/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test tooling, never published */
/**
 * A test that needed a second try says so: `reportRetried(why)` prints one `RETRIED:` line
 * (the running test's full name and why), and `npm test` (scripts/test.sh) lists every such
 * line in its summary, so a pass that needed a retry never reads as a clean pass.
 */
const RETRIED_MARKER = 'RETRIED:';

export function reportRetried(why: string): void {
	const test = expect.getState().currentTestName ?? 'a test outside any test block';
	process.stdout.write(`\n${RETRIED_MARKER} ${test}: ${why}\n`);
}
