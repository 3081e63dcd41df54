/**
 * The position of the "Missed callbacks" source in Pliant's callback log (pure, time given):
 * where a scan starts, which entries are this node's to emit, and the state after a scan.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	advance,
	entriesToEmit,
	freshState,
	readCatchUpState,
	scanStart,
	writeCatchUpState,
	type CatchUpState,
} from '../../../nodes/PliantOnboardingStatusTrigger/catch-up';
import type { CallbackLogEntry } from '../../../nodes/shared/contract';

const URL = 'https://n8n.example/webhook/abc/webhook';
const HOUR = 3_600_000;
const WINDOW = 48 * HOUR;
const now = new Date('2026-03-10T12:00:00.000Z');

function entry(callbackId: string, createdAt: string, callbackUrl = URL): CallbackLogEntry {
	return { callbackId, eventType: 'ORGANIZATION_ADDED', status: 'FAILED', createdAt, callbackUrl };
}

const at = (hoursBeforeNow: number) => new Date(now.getTime() - hoursBeforeNow * HOUR).toISOString();

describe('where a scan starts', () => {
	it('first poll: the whole window before now', () => {
		expect(scanStart(freshState('a', URL), now, WINDOW)).toBe(at(48));
	});

	it('after a complete scan: the window before that scan, so a long gap is caught up from there', () => {
		const state = { ...freshState('a', URL), scannedAt: at(24 * 5) }; // n8n down for 5 days
		expect(scanStart(state, now, WINDOW)).toBe(at(24 * 5 + 48));
	});

	it('a scan cut short continues where it stopped, without re-reading the window first', () => {
		const state = { ...freshState('a', URL), scannedAt: at(100), resumeFrom: '2026-03-08T00:00:00.123456789Z' };
		expect(scanStart(state, now, WINDOW)).toBe('2026-03-08T00:00:00.123456789Z');
	});
});

describe('which entries are this node\'s to emit', () => {
	it('only its URL, none emitted before or earlier in this poll, oldest first to the nanosecond', () => {
		const state: CatchUpState = { ...freshState('a', URL), emitted: { done: at(2) } };
		const page = [
			entry('b', '2026-03-10T10:00:00.000000002Z'),
			entry('a', '2026-03-10T10:00:00.000000001Z'),
			entry('other', at(3), 'https://n8n.example/webhook/other/webhook'),
			entry('done', at(2)),
			entry('taken', at(1)),
		];
		expect(entriesToEmit(page, state, new Set(['taken'])).map((e) => e.callbackId)).toEqual(['a', 'b']);
	});
});

describe('the state after a scan', () => {
	it('a complete scan remembers what it emitted and moves the window on', () => {
		const next = advance(freshState('a', URL), { emitted: [entry('x', at(5))], complete: true }, now, WINDOW);
		expect(next).toEqual({ account: 'a', callbackUrl: URL, scannedAt: now.toISOString(), resumeFrom: null, emitted: { x: at(5) } });
	});

	it('a scan cut short keeps the window and records where to continue', () => {
		const state = { ...freshState('a', URL), scannedAt: at(1) };
		const next = advance(state, { emitted: [entry('x', at(30))], complete: false, stoppedAt: at(29) }, now, WINDOW);
		expect(next).toMatchObject({ scannedAt: at(1), resumeFrom: at(29), emitted: { x: at(30) } });
	});

	it('forgets IDs the next scans can no longer read, never one they still can', () => {
		const state: CatchUpState = { ...freshState('a', URL), emitted: { old: at(60), edge: at(48), recent: at(1) } };
		const next = advance(state, { emitted: [], complete: true }, now, WINDOW);
		expect(Object.keys(next.emitted).sort()).toEqual(['edge', 'recent']);
		// while catching up from an older position, the IDs back there are kept
		const behind = advance({ ...state, resumeFrom: at(70) }, { emitted: [], complete: false, stoppedAt: at(65) }, now, WINDOW);
		expect(Object.keys(behind.emitted).sort()).toEqual(['edge', 'old', 'recent']);
	});

	it('keeps at most the bound, the newest', () => {
		const emitted = [1, 2, 3, 4].map((n) => entry(`id${n}`, at(10 - n)));
		expect(Object.keys(advance(freshState('a', URL), { emitted, complete: true }, now, WINDOW, 2).emitted)).toEqual(['id3', 'id4']);
	});
});

describe('static data', () => {
	it('survives a round trip; another account or URL starts afresh', () => {
		const staticData: IDataObject = {};
		const state = { ...freshState('a', URL), scannedAt: at(1), emitted: { x: at(2) } };
		writeCatchUpState(staticData, state);
		const saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		expect(readCatchUpState(saved, 'a', URL)).toEqual(state);
		expect(readCatchUpState(saved, 'b', URL)).toEqual(freshState('b', URL));
		expect(readCatchUpState(saved, 'a', `${URL}2`)).toEqual(freshState('a', `${URL}2`));
	});
});
