import type { IDataObject } from 'n8n-workflow';

import type { CallbackLogEntry } from '../shared/contract';
import { compareTimestamps, timestampNs, ZERO } from '../shared/timestamps';

/**
 * Where the "Missed callbacks" source stands in Pliant's callback log, kept in the node's
 * static data (saved by n8n with the workflow, so it survives restarts). Pure: every function
 * takes the time it works with.
 *
 * A callback becomes FAILED only after Pliant's retries, long after it was created. So a scan
 * reads every FAILED entry created since `window` before the last complete scan (oldest first),
 * and the IDs already emitted keep a re-read entry from running twice. A scan cut short by the
 * per-poll bound continues where it stopped at the next poll; only a complete scan moves the
 * window on. After a long gap the window is counted back from the last complete scan, so the
 * gap itself is caught up too, oldest first.
 */

/** How far back a poll re-reads the log by default: Pliant's retries end well within it. */
export const DEFAULT_WINDOW_HOURS = 48;

/** Missed callbacks one poll emits by default (each costs one request for its body). */
export const DEFAULT_MAX_PER_POLL = 100;

/** Callback IDs remembered at most (about 70 bytes each in static data). */
export const MAX_REMEMBERED_CALLBACKS = 5000;

export interface CatchUpState {
	/** Which Pliant account and which callback URL the position belongs to. */
	account: string;
	callbackUrl: string;
	/** When the last scan that reached the end of the log started; null before the first. */
	scannedAt: string | null;
	/** Where a scan cut short continues (the `createdAt` of the first entry not yet done). */
	resumeFrom: string | null;
	/** Callback ID → its `createdAt`, for every callback emitted within the window. */
	emitted: Record<string, string>;
}

const STATIC_DATA_KEY = 'callbackLogPosition';

export function freshState(account: string, callbackUrl: string): CatchUpState {
	return { account, callbackUrl, scannedAt: null, resumeFrom: null, emitted: {} };
}

/** The stored position, or a fresh one for another account or callback URL. */
export function readCatchUpState(staticData: IDataObject, account: string, callbackUrl: string): CatchUpState {
	const stored = staticData[STATIC_DATA_KEY] as CatchUpState | undefined;
	if (!stored || typeof stored !== 'object' || stored.account !== account || stored.callbackUrl !== callbackUrl) {
		return freshState(account, callbackUrl);
	}
	return {
		...freshState(account, callbackUrl),
		scannedAt: typeof stored.scannedAt === 'string' ? stored.scannedAt : null,
		resumeFrom: typeof stored.resumeFrom === 'string' ? stored.resumeFrom : null,
		emitted: stored.emitted && typeof stored.emitted === 'object' ? { ...stored.emitted } : {},
	};
}

export function writeCatchUpState(staticData: IDataObject, state: CatchUpState): void {
	// A new object each time: n8n notices the change and saves it with the workflow.
	staticData[STATIC_DATA_KEY] = state as unknown as IDataObject;
}

/** Where the next scan starts reading (inclusive). */
export function scanStart(state: CatchUpState, now: Date, windowMs: number): string {
	if (state.resumeFrom) return state.resumeFrom;
	const anchor = state.scannedAt ? Math.min(Date.parse(state.scannedAt), now.getTime()) : now.getTime();
	return new Date(anchor - windowMs).toISOString();
}

/** The entries of one page that are this node's to emit: its URL, not emitted before, oldest first. */
export function entriesToEmit(
	page: CallbackLogEntry[],
	state: CatchUpState,
	taken: ReadonlySet<string>,
): CallbackLogEntry[] {
	return page
		.filter((entry) => entry.callbackUrl === state.callbackUrl)
		.filter((entry) => !(entry.callbackId in state.emitted) && !taken.has(entry.callbackId))
		.sort((a, b) => compareTimestamps(a.createdAt, b.createdAt));
}

export interface ScanOutcome {
	/** The entries emitted, in order. */
	emitted: CallbackLogEntry[];
	/** Whether the scan reached the end of the log; else where it stopped. */
	complete: boolean;
	stoppedAt?: string;
}

/**
 * The state after a scan: emitted IDs remembered, the position moved, and IDs the window has
 * left behind forgotten (they will never be read again), then the oldest beyond the bound.
 */
export function advance(
	state: CatchUpState,
	outcome: ScanOutcome,
	startedAt: Date,
	windowMs: number,
	bound: number = MAX_REMEMBERED_CALLBACKS,
): CatchUpState {
	const next: CatchUpState = {
		...state,
		scannedAt: outcome.complete ? startedAt.toISOString() : state.scannedAt,
		resumeFrom: outcome.complete ? null : (outcome.stoppedAt ?? state.resumeFrom),
		emitted: { ...state.emitted },
	};
	for (const entry of outcome.emitted) next.emitted[entry.callbackId] = entry.createdAt;
	const windowStart = timestampNs(new Date(startedAt.getTime() - windowMs).toISOString()) ?? ZERO;
	const nextStart = timestampNs(scanStart(next, startedAt, windowMs)) ?? ZERO;
	const forgetBefore = nextStart < windowStart ? nextStart : windowStart;
	const kept = Object.entries(next.emitted)
		.filter(([, createdAt]) => (timestampNs(createdAt) ?? ZERO) >= forgetBefore)
		.sort(([, a], [, b]) => compareTimestamps(a, b))
		.slice(-bound);
	next.emitted = Object.fromEntries(kept);
	return next;
}
