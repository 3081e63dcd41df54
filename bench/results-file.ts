/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- bench/test tooling, never published */
/**
 * The results file (bench/results/latest.json), written as the run goes: after every finished
 * configuration, so a failure later in the run never loses the figures before it. A run starts
 * from the file it finds: configurations it runs again are replaced, the others stay, each
 * stamped with the run it came from (`ranAt`, `commit`). Failed and skipped configurations of
 * this run are listed with their cause under `failures`.
 */
import * as fs from 'fs';
import * as path from 'path';

import { evaluateTargets, type BenchConfigFailure, type BenchConfigResult, type BenchResults } from './report';

/** The results file as found, or undefined when there is none or it is not a results file. */
export function readResults(file: string): BenchResults | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
	const r = parsed as Partial<BenchResults>;
	if (!Array.isArray(r.configs) || typeof r.generatedAt !== 'string') return undefined;
	// files written before runs listed their failures have none
	return { ...(parsed as BenchResults), failures: Array.isArray(r.failures) ? r.failures : [] };
}

/** Each configuration stamped with the run it came from (files written before stamps: the file's own). */
function stamped(previous: BenchResults): BenchConfigResult[] {
	return previous.configs.map((c) => ({ ...c, ranAt: c.ranAt ?? previous.generatedAt, commit: c.commit ?? previous.commit }));
}

/**
 * The results of a run that has just started: this run's metadata, the previous file's
 * configurations (until this run replaces them) and its signature and package figures (until
 * measured again), no failures yet.
 */
export function startResults(previous: BenchResults | undefined, run: Omit<BenchResults, 'configs' | 'signature' | 'package' | 'targets' | 'failures'>): BenchResults {
	const configs = previous ? stamped(previous) : [];
	const r: BenchResults = {
		...run,
		configs,
		signature: previous?.signature ?? {},
		package: previous?.package,
		failures: [],
		targets: [],
	};
	return { ...r, targets: evaluateTargets(r) };
}

/** The results with one finished configuration: it replaces one of the same key (in its place) or comes last. */
export function withConfig(r: BenchResults, config: BenchConfigResult): BenchResults {
	const stampedConfig: BenchConfigResult = { ...config, ranAt: config.ranAt ?? new Date().toISOString(), commit: config.commit ?? r.commit };
	const at = r.configs.findIndex((c) => c.key === config.key);
	const configs = at >= 0 ? r.configs.map((c, i) => (i === at ? stampedConfig : c)) : [...r.configs, stampedConfig];
	const next: BenchResults = { ...r, configs, failures: r.failures.filter((f) => f.key !== config.key) };
	return { ...next, targets: evaluateTargets(next) };
}

/** The results with one configuration that failed or was skipped in this run (its earlier figures, if any, stay). */
export function withFailure(r: BenchResults, failure: BenchConfigFailure): BenchResults {
	return { ...r, failures: [...r.failures.filter((f) => f.key !== failure.key), failure] };
}

/** Other fields measured by this run (signature, package, duration). */
export function withFields(r: BenchResults, fields: Partial<Pick<BenchResults, 'signature' | 'package' | 'durationS' | 'complete'>>): BenchResults {
	const next = { ...r, ...fields };
	return { ...next, targets: evaluateTargets(next) };
}

/**
 * Writes the file whole or not at all (a temporary file renamed over it), so a run killed
 * mid-write leaves the previous figures. The temporary name matches .gitignore's `*.tmp.json`.
 */
export function writeResults(file: string, r: BenchResults): void {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const tmp = `${file.replace(/\.json$/, '')}.${process.pid}.tmp.json`;
	fs.writeFileSync(tmp, `${JSON.stringify(r, null, 2)}\n`);
	fs.renameSync(tmp, file);
}
