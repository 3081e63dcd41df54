import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { shorten } from '../shared/text';

export const SYNC_FROM_DATE_FIELD = 'Sync From Date';

const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/;

function isCalendarDate(year: number, month: number, day: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

/**
 * The calendar date (YYYY-MM-DD) a value names, or undefined when it names none.
 * The date part of a string is taken as written: n8n's date picker sends local times
 * without a zone, and converting to UTC could move the date a day back.
 */
export function toIsoDate(value: unknown): string | undefined {
	if (value instanceof Date) {
		return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
	}
	// A Luxon DateTime, e.g. from {{ $now }}
	if (
		value &&
		typeof value === 'object' &&
		typeof (value as { toISODate?: unknown }).toISODate === 'function'
	) {
		const date = (value as { toISODate: () => string | null }).toISODate();
		return date ?? undefined;
	}
	if (typeof value !== 'string') return undefined;
	const match = DATE_PREFIX.exec(value.trim());
	if (!match) return undefined;
	const [, year, month, day] = match;
	if (!isCalendarDate(Number(year), Number(month), Number(day))) return undefined;
	return `${year}-${month}-${day}`;
}

/** Reads the optional Sync From Date of one item as YYYY-MM-DD; fails before any request. */
export function readSyncFromDate(
	this: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		return undefined;
	}
	const date = toIsoDate(value);
	if (date === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`${SYNC_FROM_DATE_FIELD} "${shorten(String(value))}" is not a valid date (item ${itemIndex})`,
			{
				itemIndex,
				description:
					'Pick a date, or map one such as 2026-01-01 or 2026-01-01T00:00:00Z. Pliant then sends callbacks only for entities created from that day on.',
			},
		);
	}
	return date;
}
