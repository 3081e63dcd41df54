/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test of the bench tooling, never published */
/**
 * The generated part of docs/performance.md: replaced between its markers (the prose around it
 * untouched), with the chart beside it, a line per configuration, failures with their cause, and
 * a short run marked as such.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CHART_FILE, DOC_BEGIN, DOC_END, generatedSection, withGeneratedSection, writeDocs } from '../../../bench/doc';
import type { BenchConfigResult, BenchResults } from '../../../bench/report';

function config(key: string, ratios: BenchConfigResult['ratios']): BenchConfigResult {
	return { key, label: key, n8nVersion: '2.41.1', nodeVersion: 'v24', line: false, env: {}, callbacks: [], ratios, jwksFetches: 0, triggerTypeVersion: 1.1, durationS: 1, ranAt: '2026-12-05T10:00:00Z', commit: 'abc1234' };
}

function results(settings: Record<string, unknown>): BenchResults {
	return {
		generatedAt: '2026-12-06T11:22:33.000Z',
		commit: 'def5678',
		packageFilesChangedSinceCommit: 0,
		machine: { cpus: 2, cpuModel: 't', memoryGiB: 1, loadAverageAtStart: [], platform: 'linux' },
		settings,
		configs: [config('1.123.50', { throughputAtoB: 1.14, cpuAtoB: 0.85 })],
		failures: [{ key: '2.41.1-queue', label: 'q', status: 'failed', cause: 'cannot start redis-server (redis-server): not found; install X\nmore', at: 'now' }],
		signature: {},
		targets: [],
		durationS: 1,
	};
}

describe('the generated section', () => {
	test('chart, a row per configuration with its run, and each failure with the first line of its cause', () => {
		const text = generatedSection(results({ callbacksPerWorkflow: 2000, rounds: 8 }), '../bench/results/latest.json').join('\n');
		expect(text).toContain(`![Key ratios per configuration](${CHART_FILE})`);
		expect(text).toMatch(/\| `1\.123\.50` +\| 2026-12-05, `abc1234` \| +\| 1\.14× +\| +\| 0\.85× /);
		expect(text).toContain('- `2.41.1-queue` failed: cannot start redis-server (redis-server): not found; install X');
		expect(text).not.toContain('more');
		expect(text).not.toContain('Short run');
	});

	test('the partner-ID lookup figures, and that a build without the option gives no on/off ratio', () => {
		const r = results({});
		r.configs = [
			{ ...config('a', { lookupOnOff: 0.98 }), partnerLookup: { optionInPackage: true, warmOrganizations: 20, onOffRoundRatios: [0.98, 0.99], onOffCallbacksPerBatch: 250, newOrganizations: { organizations: 100, callbacks: 1000, accepted: 1000, organizationRequests: 100, responses429: 0, executions: 1000 } } },
			{ ...config('b', {}), partnerLookup: { optionInPackage: false, warmOrganizations: 20, onOffRoundRatios: [0.9] } },
		];
		const text = generatedSection(r, 'x.json').join('\n');
		expect(text).toContain('- `a`: on/off 0.98×, median of 2 rounds of A D D A / D A A D, 250 callbacks a batch, 20 organizations warm; 1000 callbacks for 100 new organizations: 100 organization requests, 0 × 429');
		expect(text).toContain('- `b`: the measured build has no lookup option (A and D were the same trigger: no on/off ratio)');
	});

	test('a run with fewer callbacks or rounds than the defaults says it is a smoke run', () => {
		expect(generatedSection(results({ callbacksPerWorkflow: 40, rounds: 2 }), 'x.json').join('\n')).toContain('**Short run**: the configurations that ran at commit `def5678` on 2026-12-06 had 40 callbacks per workflow in 2 rounds');
	});
});

describe('withGeneratedSection', () => {
	test('replaces only what is between the markers', () => {
		const doc = `# T\n\nbefore\n\n${DOC_BEGIN}\nold\n${DOC_END}\n\nafter\n`;
		expect(withGeneratedSection(doc, ['new 1', 'new 2'])).toBe(`# T\n\nbefore\n\n${DOC_BEGIN}\nnew 1\nnew 2\n${DOC_END}\n\nafter\n`);
	});

	test('appends the section with its markers to a doc without them', () => {
		expect(withGeneratedSection('# T\n', ['x'])).toBe(`# T\n\n${DOC_BEGIN}\nx\n${DOC_END}\n`);
	});
});

describe('writeDocs', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'bench-doc-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	test('writes the chart beside the doc and links the results file relative to it', () => {
		const doc = join(dir, 'docs', 'performance.md');
		writeDocs(results({}), doc, join(dir, 'bench', 'results', 'latest.json'));
		expect(existsSync(join(dir, 'docs', CHART_FILE))).toBe(true);
		expect(readFileSync(join(dir, 'docs', CHART_FILE), 'utf8')).toContain('1.14×');
		expect(readFileSync(doc, 'utf8')).toContain('[`../bench/results/latest.json`](../bench/results/latest.json)');
		writeFileSync(doc, readFileSync(doc, 'utf8').replace('# Performance', '# Performance\n\nhand-written'));
		writeDocs(results({}), doc, join(dir, 'bench', 'results', 'latest.json'));
		expect(readFileSync(doc, 'utf8').split(DOC_BEGIN)).toHaveLength(2);
		expect(readFileSync(doc, 'utf8')).toContain('hand-written');
	});
});
