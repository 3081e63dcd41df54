/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test of the bench tooling, never published */
/**
 * The results file grows configuration by configuration: a finished configuration replaces its
 * earlier figures in place or comes last, the others stay stamped with the run they came from,
 * a failure is listed with its cause without dropping earlier figures, and a write is whole.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { BenchConfigResult, BenchResults } from '../../../bench/report';
import { readResults, startResults, withConfig, withFailure, withFields, writeResults } from '../../../bench/results-file';

function config(key: string, throughputAtoB: number): BenchConfigResult {
	return {
		key,
		label: `label ${key}`,
		n8nVersion: '2.41.1',
		nodeVersion: 'v24.21.0',
		line: false,
		env: {},
		callbacks: [],
		ratios: { throughputAtoB },
		jwksFetches: 1,
		triggerTypeVersion: 1.1,
		durationS: 10,
	};
}

const RUN = {
	generatedAt: '2026-12-06T11:00:00.000Z',
	commit: 'new0001',
	packageFilesChangedSinceCommit: 0,
	machine: { cpus: 2, cpuModel: 'test', memoryGiB: 1, loadAverageAtStart: [0, 0, 0], platform: 'linux' },
	settings: { callbacksPerWorkflow: 2000, rounds: 8 },
	durationS: 0,
};

/** A file written before configurations carried their own stamps. */
function previousFile(): BenchResults {
	return {
		...RUN,
		generatedAt: '2026-12-03T00:15:36.878Z',
		commit: 'old0001',
		configs: [config('2.41.1', 0.57), config('1.123.50', 1.14)],
		failures: [],
		signature: { 'node v24.21.0': { packageUs: 74.7, rawUs: 72.9, ratio: 1.02 } as never },
		targets: [],
	};
}

describe('the results file of a run', () => {
	test('starts from the previous file: its configurations stamped with the run they came from, no failures', () => {
		const r = startResults(previousFile(), RUN);
		expect(r.configs.map((c) => [c.key, c.ranAt, c.commit])).toEqual([
			['2.41.1', '2026-12-03T00:15:36.878Z', 'old0001'],
			['1.123.50', '2026-12-03T00:15:36.878Z', 'old0001'],
		]);
		expect(r.failures).toEqual([]);
		expect(r.commit).toBe('new0001');
		expect(Object.keys(r.signature)).toEqual(['node v24.21.0']);
	});

	test('starts empty when there is no previous file', () => {
		expect(startResults(undefined, RUN).configs).toEqual([]);
	});

	test('a finished configuration replaces its earlier figures in place; a new one comes last', () => {
		let r = startResults(previousFile(), RUN);
		r = withConfig(r, config('2.41.1', 0.6));
		r = withConfig(r, config('2.41.1-queue', 0.3));
		expect(r.configs.map((c) => [c.key, c.ratios.throughputAtoB, c.commit])).toEqual([
			['2.41.1', 0.6, 'new0001'],
			['1.123.50', 1.14, 'old0001'],
			['2.41.1-queue', 0.3, 'new0001'],
		]);
		// the targets follow the figures
		expect(r.targets.filter((t) => t.target.startsWith('Trigger throughput')).map((t) => t.value)).toEqual(['0.60×', '1.14×', '0.30×']);
	});

	test('a failed configuration is listed with its cause; its earlier figures stay; finishing later clears it', () => {
		let r = startResults(previousFile(), RUN);
		r = withFailure(r, { key: '1.123.50', label: 'l', status: 'failed', cause: 'redis-server (pid 7) stopped during the configuration', at: 'now' });
		expect(r.failures.map((f) => [f.key, f.cause])).toEqual([['1.123.50', 'redis-server (pid 7) stopped during the configuration']]);
		expect(r.configs.find((c) => c.key === '1.123.50')?.ratios.throughputAtoB).toBe(1.14);
		r = withConfig(r, config('1.123.50', 1.2));
		expect(r.failures).toEqual([]);
	});

	test('other fields of the run are added without touching the configurations', () => {
		const r = withFields(withConfig(startResults(undefined, RUN), config('a', 1)), { complete: true, durationS: 12 });
		expect([r.complete, r.durationS, r.configs.length]).toEqual([true, 12, 1]);
	});
});

describe('reading and writing the file', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
	});
	afterEach(() => rmSync(dir, { recursive: true, force: true }));

	test('what is written is read back, and no temporary file is left beside it', () => {
		const file = join(dir, 'latest.json');
		const r = withConfig(startResults(undefined, RUN), config('2.41.1', 0.9));
		writeResults(file, r);
		expect(readResults(file)).toEqual(r);
		expect(readdirSync(dir)).toEqual(['latest.json']);
	});

	test('each write replaces the file whole: it grows configuration by configuration', () => {
		const file = join(dir, 'latest.json');
		let r = startResults(undefined, RUN);
		writeResults(file, r);
		r = withConfig(r, config('first', 1));
		writeResults(file, r);
		r = withConfig(r, config('second', 1));
		writeResults(file, r);
		expect(readResults(file)?.configs.map((c) => c.key)).toEqual(['first', 'second']);
		expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
	});

	test('a file from before failures were listed reads with none', () => {
		const file = join(dir, 'old.json');
		const old: Partial<BenchResults> = previousFile();
		delete old.failures;
		writeFileSync(file, JSON.stringify(old));
		expect(readResults(file)?.failures).toEqual([]);
	});

	test('a missing, broken or foreign file reads as none', () => {
		expect(readResults(join(dir, 'missing.json'))).toBeUndefined();
		writeFileSync(join(dir, 'broken.json'), '{"configs": [');
		expect(readResults(join(dir, 'broken.json'))).toBeUndefined();
		writeFileSync(join(dir, 'foreign.json'), '{"name": "x"}');
		expect(readResults(join(dir, 'foreign.json'))).toBeUndefined();
	});
});
