/**
 * The chart of the key ratios: one bar per ratio a configuration has, its length proportional
 * to the ratio, labelled with the value and marked when the target is missed; well-formed SVG.
 */
import { axisMax, CHART_METRICS, ratioChartSvg } from '../../../bench/chart';
import type { BenchConfigResult } from '../../../bench/report';

function config(key: string, ratios: BenchConfigResult['ratios']): BenchConfigResult {
	return { key, label: key, n8nVersion: '2.41.1', nodeVersion: 'v24', line: false, env: {}, callbacks: [], ratios, jwksFetches: 0, triggerTypeVersion: 1.1, durationS: 1 };
}

const bars = (svg: string) => [...svg.matchAll(/<rect x="(\d+(?:\.\d+)?)" y="[\d.]+" width="([\d.]+)" height="13" fill="(#[0-9a-f]{6})"><title>([^<]*)<\/title>/g)].map((m) => ({ width: Number(m[2]), colour: m[3], title: m[4] }));

describe('ratioChartSvg', () => {
	const svg = ratioChartSvg({
		configs: [
			config('1.123.50', { throughputAtoB: 1.14, cpuAtoB: 0.85, ackP50AtoB: 0.8, forgedToHeaderAuthCpu: 1.05 }),
			config('2.41.1', { throughputAtoB: 0.57, cpuAtoB: 1.89, ackP50AtoB: 1.74, lookupOnOff: 0.99 }),
			config('no ratios <&>', {}),
		],
	});

	test('one bar per ratio present, in the configuration order, titled with configuration and value', () => {
		expect(bars(svg).map((b) => b.title)).toEqual([
			'1.123.50: throughput vs Webhook node (higher is better, target ≥ 0.9×): 1.14×',
			'1.123.50: n8n CPU per callback vs Webhook node (lower is better): 0.85×',
			'1.123.50: ack p50 vs Webhook node (lower is better, target ≤ 1.1×): 0.80×',
			'1.123.50: CPU, forged callback vs wrong header to Webhook with header auth (target ≤ 1.1×): 1.05×',
			'2.41.1: throughput vs Webhook node (higher is better, target ≥ 0.9×): 0.57×',
			'2.41.1: n8n CPU per callback vs Webhook node (lower is better): 1.89×',
			'2.41.1: ack p50 vs Webhook node (lower is better, target ≤ 1.1×): 1.74×',
			'2.41.1: throughput, partner-ID lookup on vs off (target ≥ 0.97×): 0.99×',
		]);
	});

	test('bar lengths are proportional to the ratios', () => {
		const [t114, , , , t057, c189] = bars(svg);
		expect(t114.width / t057.width).toBeCloseTo(1.14 / 0.57, 1);
		expect(c189.width / t057.width).toBeCloseTo(1.89 / 0.57, 1);
	});

	test('each metric has its own colour', () => {
		const colours = new Map(bars(svg).map((b) => [b.title.split(': ')[1], b.colour]));
		expect(new Set(colours.values()).size).toBe(colours.size);
	});

	test('a missed target is marked, a met one is not, an informative ratio never', () => {
		expect(svg).toContain('>0.57× ✗<');
		expect(svg).toContain('>1.74× ✗<');
		expect(svg).toContain('>1.14×<');
		expect(svg).toContain('>0.99×<');
		expect(svg).toContain('>1.89×<'); // CPU against the Webhook node has no target
	});

	test('the axis is labelled in halves', () => {
		expect([...svg.matchAll(/class="tick">([^<]+)</g)].map((m) => m[1])).toEqual(['0×', '0.5×', '1×', '1.5×', '2×']);
	});

	test('a configuration without ratios is left out; text is escaped; the document is closed', () => {
		expect(svg).not.toContain('no ratios');
		expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
		expect(svg.trim().endsWith('</svg>')).toBe(true);
		expect(svg.match(/<rect/g)?.length).toBe((svg.match(/<\/rect>|<rect[^>]*\/>/g) ?? []).length);
	});

	test('the legend names only the metrics present', () => {
		const only = ratioChartSvg({ configs: [config('x', { throughputAtoB: 1 })] });
		const legends = CHART_METRICS.filter((m) => only.includes(`class="legend">${m.label.replace(/&/g, '&amp;')}`));
		expect(legends.map((m) => m.key)).toEqual(['throughputAtoB']);
	});
});

describe('axisMax', () => {
	test('at least 2×, else the largest ratio rounded up to a half', () => {
		expect(axisMax([0.5, 1.2])).toBe(2);
		expect(axisMax([2.42, 1])).toBe(2.5);
		expect(axisMax([NaN, 3.01])).toBe(3.5);
	});
});
