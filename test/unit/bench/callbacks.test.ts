/**
 * The order of the bench's rounds: a per-round ratio of two workflows is only fair when the run's
 * drift (n8n's execution table grows) favours neither, i.e. each runs first as often as the other.
 */
import { roundOrder, throughputRatios, type WorkflowResult } from '../../../bench/callbacks';

describe('roundOrder', () => {
	it('alternates two workflows AB, BA, BA, AB', () => {
		expect([0, 1, 2, 3, 4, 5].map((r) => roundOrder(['A', 'D'], r).join(''))).toEqual(['AD', 'DA', 'DA', 'AD', 'AD', 'DA']);
	});

	it('runs every pair of four workflows once in each order over every two rounds', () => {
		const keys = ['A', 'B', 'C', 'D'];
		for (let round = 0; round < 16; round += 2) {
			const [first, second] = [roundOrder(keys, round), roundOrder(keys, round + 1)];
			for (const x of keys) {
				for (const y of keys.filter((k) => k !== x)) {
					expect(first.indexOf(x) < first.indexOf(y)).toBe(second.indexOf(x) > second.indexOf(y));
				}
			}
		}
	});

	it('puts every workflow in every position twice over 2n rounds', () => {
		const keys = ['A', 'B', 'C', 'D'];
		const seen = new Map<string, number>();
		for (let round = 0; round < 2 * keys.length; round++) {
			roundOrder(keys, round).forEach((key, position) => seen.set(`${key}@${position}`, (seen.get(`${key}@${position}`) ?? 0) + 1));
		}
		expect(seen.size).toBe(16);
		expect([...seen.values()].every((n) => n === 2)).toBe(true);
	});

	it('leaves its input as it was', () => {
		const keys = ['A', 'B', 'C'];
		roundOrder(keys, 1);
		expect(keys).toEqual(['A', 'B', 'C']);
	});
});

describe('throughputRatios', () => {
	const result = (rounds: Array<[number, number, number]>) => ({ rounds: rounds.map(([round, count, drainMs]) => ({ round, count, drainMs })) }) as unknown as WorkflowResult;

	it('divides finished per second of the same round', () => {
		expect(throughputRatios(result([[0, 100, 1000], [1, 100, 2000]]), result([[1, 100, 1000], [0, 100, 1000]]))).toEqual([1, 0.5]);
	});

	it('sums each workflow over a group of rounds: a drift across A D D A cancels', () => {
		// every batch takes 100 ms longer than the one before: A at 1000 and 1300, D at 1100 and 1200
		const a = result([[0, 100, 1000], [1, 100, 1300], [2, 100, 1500], [3, 100, 1600]]);
		const d = result([[0, 100, 1100], [1, 100, 1200], [2, 100, 1400], [3, 100, 1700]]);
		expect(throughputRatios(a, d, 2)).toEqual([1, 1]);
		expect(throughputRatios(a, d, 1)[0]).toBeCloseTo(1.1, 5);
	});
});
