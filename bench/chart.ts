/**
 * The key ratios of the results file as an SVG bar chart (written by hand: no dependency), for
 * docs/performance.md. One group of bars per configuration, one bar per ratio, a line at 1×
 * (the Pliant Trigger costs what n8n's own node costs) and each target as a tick.
 */
import type { BenchConfigResult, BenchResults } from './report';

export interface RatioMetric {
	key: keyof BenchConfigResult['ratios'];
	label: string;
	colour: string;
	/** the target (none: informative), and whether higher is better */
	target?: number;
	higherIsBetter: boolean;
}

export const CHART_METRICS: RatioMetric[] = [
	{ key: 'throughputAtoB', label: 'throughput vs Webhook node (higher is better, target ≥ 0.9×)', colour: '#2f6fb0', target: 0.9, higherIsBetter: true },
	{ key: 'cpuAtoB', label: 'n8n CPU per callback vs Webhook node (lower is better)', colour: '#d08a1e', higherIsBetter: false },
	{ key: 'ackP50AtoB', label: 'ack p50 vs Webhook node (lower is better, target ≤ 1.1×)', colour: '#6a9f3a', target: 1.1, higherIsBetter: false },
	{ key: 'lookupOnOff', label: 'throughput, partner-ID lookup on vs off (target ≥ 0.97×)', colour: '#8a55b5', target: 0.97, higherIsBetter: true },
	{ key: 'forgedToHeaderAuthCpu', label: 'CPU, forged callback vs wrong header to Webhook with header auth (target ≤ 1.1×)', colour: '#b5484a', target: 1.1, higherIsBetter: false },
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number) => (Math.round(n * 100) / 100).toFixed(2);
/** An axis label: 0×, 0.5×, 1×, ... */
const tick = (n: number) => `${Number(n.toFixed(2))}×`;

const LAYOUT = { width: 820, left: 170, right: 60, top: 16, bar: 13, gap: 3, groupGap: 14, legendLine: 18 };

/** The largest value the axis shows: at least 2×, else the largest ratio rounded up to a half. */
export function axisMax(values: number[]): number {
	const top = Math.max(2, ...values.filter((v) => Number.isFinite(v)));
	return Math.ceil(top * 2) / 2;
}

/** The chart as an SVG document; configurations without any of the ratios are left out. */
export function ratioChartSvg(r: Pick<BenchResults, 'configs'>, title = 'Pliant Trigger against n8n’s own nodes, per configuration'): string {
	const rows = r.configs
		.map((c) => ({ key: c.key, bars: CHART_METRICS.flatMap((m) => (typeof c.ratios[m.key] === 'number' && Number.isFinite(c.ratios[m.key]) ? [{ metric: m, value: c.ratios[m.key] as number }] : [])) }))
		.filter((row) => row.bars.length > 0);
	const usedMetrics = CHART_METRICS.filter((m) => rows.some((row) => row.bars.some((b) => b.metric.key === m.key)));
	const max = axisMax(rows.flatMap((row) => row.bars.map((b) => b.value)));
	const plotW = LAYOUT.width - LAYOUT.left - LAYOUT.right;
	const xOf = (v: number) => LAYOUT.left + (Math.min(v, max) / max) * plotW;
	const out: string[] = [];
	let y = LAYOUT.top + 22;
	for (const row of rows) {
		const groupH = row.bars.length * (LAYOUT.bar + LAYOUT.gap) - LAYOUT.gap;
		out.push(`<text x="${LAYOUT.left - 8}" y="${y + groupH / 2 + 4}" text-anchor="end" class="cfg">${esc(row.key)}</text>`);
		for (const b of row.bars) {
			const w = Math.max(1, xOf(b.value) - LAYOUT.left);
			const { target } = b.metric;
			const met = target === undefined || (b.metric.higherIsBetter ? b.value >= target : b.value <= target);
			out.push(`<rect x="${LAYOUT.left}" y="${y}" width="${w.toFixed(1)}" height="${LAYOUT.bar}" fill="${b.metric.colour}"><title>${esc(`${row.key}: ${b.metric.label}: ${fmt(b.value)}×`)}</title></rect>`);
			if (target !== undefined) out.push(`<line x1="${xOf(target).toFixed(1)}" x2="${xOf(target).toFixed(1)}" y1="${y - 1}" y2="${y + LAYOUT.bar + 1}" class="target"/>`);
			// the value right of the bar, and of the target tick when the tick is just past the bar
			const labelX = Math.max(LAYOUT.left + w, target !== undefined && xOf(target) > LAYOUT.left + w - 2 && xOf(target) < LAYOUT.left + w + 40 ? xOf(target) : 0) + 5;
			out.push(`<text x="${labelX.toFixed(1)}" y="${y + LAYOUT.bar - 2}" class="val">${fmt(b.value)}×${met ? '' : ' ✗'}${b.value > max ? ' →' : ''}</text>`);
			y += LAYOUT.bar + LAYOUT.gap;
		}
		y += LAYOUT.groupGap;
	}
	const plotBottom = y - LAYOUT.groupGap + 4;
	const axis: string[] = [];
	for (let v = 0; v <= max + 1e-9; v += 0.5) {
		const x = xOf(v).toFixed(1);
		axis.push(`<line x1="${x}" x2="${x}" y1="${LAYOUT.top + 16}" y2="${plotBottom}" class="${v === 1 ? 'one' : 'grid'}"/>`, `<text x="${x}" y="${plotBottom + 14}" text-anchor="middle" class="tick">${tick(v)}</text>`);
	}
	let ly = plotBottom + 34;
	const legend = usedMetrics.map((m) => {
		const line = `<rect x="${LAYOUT.left}" y="${ly - 10}" width="12" height="12" fill="${m.colour}"/><text x="${LAYOUT.left + 18}" y="${ly}" class="legend">${esc(m.label)}</text>`;
		ly += LAYOUT.legendLine;
		return line;
	});
	legend.push(`<text x="${LAYOUT.left}" y="${ly}" class="legend">Black tick: the target of a ratio; ✗: target missed; the 1× line: the same as n8n’s own node.</text>`);
	const height = ly + 12;
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${LAYOUT.width}" height="${height}" viewBox="0 0 ${LAYOUT.width} ${height}" role="img" aria-label="${esc(title)}">`,
		'<style>text{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;fill:#24292f}.cfg{font-size:12px}.val,.tick{font-size:11px}.legend{font-size:12px}.title{font-size:14px;font-weight:600}.grid{stroke:#d0d7de;stroke-width:1}.one{stroke:#57606a;stroke-width:1.5;stroke-dasharray:4 3}.target{stroke:#000;stroke-width:2}</style>',
		`<rect width="${LAYOUT.width}" height="${height}" fill="#ffffff"/>`,
		`<text x="${LAYOUT.left}" y="${LAYOUT.top + 4}" class="title">${esc(title)}</text>`,
		...axis,
		...out,
		...legend,
		'</svg>',
		'',
	].join('\n');
}
