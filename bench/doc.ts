/* eslint-disable @n8n/community-nodes/no-restricted-imports -- bench/test tooling, never published */
/**
 * The generated part of docs/performance.md: the chart (bench/chart.ts, written next to the doc
 * under images/) and the key-ratio table, from the results file, between two markers. The bench
 * rewrites it after every finished configuration; the prose around it is written by hand.
 */
import * as fs from 'fs';
import * as path from 'path';

import { ratioChartSvg } from './chart';
import { RATIO_COLUMNS, isShortRun, ratioCells, ratioText, table, type BenchConfigResult, type BenchResults } from './report';

export const DOC_BEGIN = '<!-- bench:generated:begin (npm run bench writes this part from bench/results/latest.json; do not edit by hand) -->';
export const DOC_END = '<!-- bench:generated:end -->';
/** The chart's path relative to the doc. */
export const CHART_FILE = 'images/performance-ratios.svg';


/** The generated section (without the markers). */
export function generatedSection(r: BenchResults, resultsPath: string): string[] {
	const lines: string[] = [];
	lines.push(`![Key ratios per configuration](${CHART_FILE})`, '');
	if (isShortRun(r)) {
		lines.push(
			`**Short run**: the configurations that ran at commit \`${r.commit}\` on ${r.generatedAt.slice(0, 10)} had ${String(r.settings.callbacksPerWorkflow)} callbacks per workflow in ${String(r.settings.rounds)} rounds: a smoke run of the bench itself, not figures to quote.`,
			'',
		);
	}
	lines.push(
		`From [\`${resultsPath}\`](${resultsPath}), last written ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC at commit \`${r.commit}\`` +
			`${r.complete === false ? ' (not every configuration of that run finished, or it is still going: see below)' : ''}. Each configuration's ratios compare workflows of the same n8n, interleaved in one run.`,
		'',
	);
	lines.push(
		...table(
			['configuration', 'ran', ...RATIO_COLUMNS],
			r.configs.map((c) => [`\`${c.key}\``, `${(c.ranAt ?? r.generatedAt).slice(0, 10)}, \`${c.commit ?? r.commit}\``, ...ratioCells(c, '')]),
		),
	);
	const lookups = r.configs.filter((c) => c.partnerLookup);
	if (lookups.length > 0) {
		lines.push('', 'Partner-ID lookup (issue 28):', '');
		for (const c of lookups) {
			const p = c.partnerLookup as NonNullable<BenchConfigResult['partnerLookup']>;
			const fresh = p.newOrganizations;
			lines.push(
				`- \`${c.key}\`: ${p.optionInPackage ? `on/off ${ratioText(c.ratios.lookupOnOff, '')}, median of ${p.onOffRoundRatios.length} rounds${p.onOffCallbacksPerBatch ? ` of A D D A / D A A D, ${p.onOffCallbacksPerBatch} callbacks a batch` : ''}, ${p.warmOrganizations} organizations warm` : 'the measured build has no lookup option (A and D were the same trigger: no on/off ratio)'}` +
					(fresh ? `; ${fresh.callbacks} callbacks for ${fresh.organizations} new organizations: ${fresh.organizationRequests} organization requests, ${fresh.responses429} × 429` : ''),
			);
		}
	}
	if (r.failures.length > 0) {
		lines.push('', 'Did not finish in the last run (figures above, if any, are from an earlier run):', '');
		for (const f of r.failures) lines.push(`- \`${f.key}\` ${f.status}: ${f.cause.split('\n')[0]}`);
	}
	return lines;
}

/** The doc with its generated section replaced (or appended, with its markers, when it has none). */
export function withGeneratedSection(doc: string, section: string[]): string {
	const block = [DOC_BEGIN, ...section, DOC_END].join('\n');
	const begin = doc.indexOf(DOC_BEGIN);
	const end = doc.indexOf(DOC_END);
	if (begin >= 0 && end > begin) return doc.slice(0, begin) + block + doc.slice(end + DOC_END.length);
	return `${doc.replace(/\n*$/, '\n\n')}${block}\n`;
}

/** Writes the chart beside the doc and the doc's generated section, from `r`. */
export function writeDocs(r: BenchResults, docFile: string, resultsFile: string): void {
	const chart = path.join(path.dirname(docFile), CHART_FILE);
	fs.mkdirSync(path.dirname(chart), { recursive: true });
	fs.writeFileSync(chart, ratioChartSvg(r));
	const doc = fs.existsSync(docFile) ? fs.readFileSync(docFile, 'utf8') : '# Performance\n';
	const resultsPath = path.relative(path.dirname(docFile), resultsFile).split(path.sep).join('/');
	fs.writeFileSync(docFile, withGeneratedSection(doc, generatedSection(r, resultsPath)));
}
