/**
 * Pliant's timestamps carry up to nine fractional digits, which Date cuts to three and which do
 * not sort as text ("…00Z" after "…00.1Z"). Compared here as nanoseconds since the epoch.
 */

// BigInt literals need ES2020; the package targets ES2019.
const NS_PER_MS = BigInt(1_000_000);
export const ZERO = BigInt(0);

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Nanoseconds since the epoch, or undefined for anything that is no ISO 8601 date(-time). */
export function timestampNs(value: unknown): bigint | undefined {
	if (typeof value !== 'string') return undefined;
	const match = ISO.exec(value.trim());
	if (!match) {
		// a date alone ("2026-01-01") counts as its midnight UTC
		const ms = /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? Date.parse(`${value.trim()}T00:00:00Z`) : NaN;
		return Number.isFinite(ms) ? BigInt(ms) * NS_PER_MS : undefined;
	}
	const ms = Date.parse(`${match[1]}${match[3]}`);
	if (!Number.isFinite(ms)) return undefined;
	return BigInt(ms) * NS_PER_MS + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** Orders two timestamps (oldest first); one that cannot be read sorts first. */
export function compareTimestamps(a: unknown, b: unknown): number {
	const x = timestampNs(a) ?? BigInt(-1);
	const y = timestampNs(b) ?? BigInt(-1);
	return x < y ? -1 : x > y ? 1 : 0;
}
