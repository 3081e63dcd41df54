import { compareTimestamps, timestampNs } from '../../../nodes/shared/timestamps';

describe('timestamps', () => {
	it('reads up to nine fractional digits, offsets and plain dates', () => {
		expect(timestampNs('1970-01-01T00:00:01.000000002Z')).toBe(1_000_000_002n);
		expect(timestampNs('1970-01-01T01:00:00+01:00')).toBe(0n);
		expect(timestampNs('1970-01-02')).toBe(86_400_000_000_000n);
		expect(timestampNs('yesterday')).toBeUndefined();
		expect(timestampNs(42)).toBeUndefined();
	});

	it('orders by time, not as text', () => {
		// as text "…00Z" sorts after "…00.000000001Z"
		expect(compareTimestamps('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000000001Z')).toBe(-1);
		expect(compareTimestamps('2026-01-01T00:00:00.5Z', '2026-01-01T00:00:00.500Z')).toBe(0);
		expect(compareTimestamps('2026-01-02T00:00:00Z', '2026-01-01T23:59:59.999999999Z')).toBe(1);
	});
});
