/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test tooling that watches the process's timers and sockets, never published */
/**
 * The unit and integration projects' test environment: Node's, plus a check that a test file
 * leaves nothing running. After the file's last test and last afterAll hook, nothing it started
 * may still keep the process alive: no timer (setTimeout/setInterval of the test or the code it
 * runs, or one of Node's own), no socket, server or child process, no request in flight. Else
 * the file fails with what was left, and the leftovers are unref'd so that jest still exits.
 * So a background loop that outlives its test fails that test file every time, instead of
 * crashing jest's teardown now and then.
 *
 * What was closed a moment ago may take a few event-loop turns to go (a socket's handle after
 * `server.close()`), so the check gives the process up to LEFTOVER_GRACE_MS to get there.
 * `NO_LEFTOVERS_CHECK=0` turns it off (e.g. together with `--detectOpenHandles`, which shows
 * where a leftover was started).
 */
import type { Circus } from '@jest/types';
import { TestEnvironment } from 'jest-environment-node';

export const LEFTOVER_GRACE_MS = 2_000;

type Live = { unref?: () => void; hasRef?: () => boolean };

/** Node's own lists of live handles (sockets, servers, child processes) and requests; only ref'd ones. */
function liveHandlesAndRequests(): Live[] {
	const read = (name: string) => {
		const list = Reflect.get(process, name) as (() => Live[]) | undefined;
		return typeof list === 'function' ? list.call(process) : [];
	};
	return [...read('_getActiveHandles'), ...read('_getActiveRequests')];
}

function timerCount(): number {
	return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

function counted(names: string[]): string[] {
	const counts = new Map<string, number>();
	for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
	return [...counts].map(([name, count]) => `${count} × ${name}`).sort();
}

type TimerGlobals = Pick<typeof globalThis, 'setTimeout' | 'setInterval'>;
type Timer = NodeJS.Timeout & { _destroyed?: boolean };

/** A timer that has neither fired (setTimeout) nor been cleared, and holds the process. */
function pending(timer: Timer): boolean {
	return timer._destroyed !== true && timer.hasRef();
}

/** Wraps the test file's setTimeout and setInterval to remember the timers it starts. */
function trackTimers(global: TimerGlobals): Map<Timer, string> {
	const started = new Map<Timer, string>();
	const remember = (timer: Timer, what: string) => {
		if (started.size >= 1_000) for (const [old] of started) if (!pending(old)) started.delete(old);
		started.set(timer, what);
		return timer;
	};
	type Start = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => Timer;
	const once = global.setTimeout as unknown as Start;
	const every = global.setInterval as unknown as Start;
	// The originals' own properties too (util.promisify.custom: `promisify(setTimeout)` keeps working).
	const wrap = (start: Start, name: string) =>
		Object.defineProperties(
			(callback: () => void, ms?: number, ...args: unknown[]) => remember(start(callback, ms, ...args), `${name}(${ms ?? 0} ms)`),
			Object.getOwnPropertyDescriptors(start),
		);
	global.setTimeout = wrap(once, 'setTimeout') as unknown as typeof setTimeout;
	global.setInterval = wrap(every, 'setInterval') as unknown as typeof setInterval;
	return started;
}

export default class NoLeftoversEnvironment extends TestEnvironment {
	private baseline = new Set<Live>();

	private baselineTimers = 0;

	private timers = new Map<Timer, string>();

	override async setup(): Promise<void> {
		await super.setup();
		this.timers = trackTimers(this.global as unknown as TimerGlobals);
		this.baseline = new Set(liveHandlesAndRequests());
		this.baselineTimers = timerCount();
	}

	/** What this file started and is still running, e.g. ["1 × Server", "setTimeout(500 ms)"]. */
	private leftovers(): { described: string[]; live: Live[] } {
		const live = liveHandlesAndRequests().filter((item) => !this.baseline.has(item));
		const ownTimers = [...this.timers].filter(([timer]) => pending(timer)).map(([, what]) => what);
		// Node's own timers (sockets' timeouts, timers/promises) are only counted.
		const otherTimers = Math.max(0, timerCount() - this.baselineTimers - ownTimers.length);
		const described = [
			...counted(live.map((item) => item.constructor?.name ?? 'handle')),
			...counted(ownTimers),
			...(otherTimers > 0 ? [`${otherTimers} × timer`] : []),
		];
		return { described, live };
	}

	private async settledLeftovers(): Promise<{ described: string[]; live: Live[] }> {
		const until = Date.now() + LEFTOVER_GRACE_MS;
		let left = this.leftovers();
		while (left.described.length > 0 && Date.now() < until) {
			await new Promise((resolve) => setTimeout(resolve, 25));
			left = this.leftovers();
		}
		return left;
	}

	async handleTestEvent(event: Circus.Event, state: Circus.State): Promise<void> {
		if (event.name !== 'run_finish' || process.env.NO_LEFTOVERS_CHECK === '0') return;
		const left = await this.settledLeftovers();
		if (left.described.length === 0) return;
		const error = new Error(
			`This test file left ${left.described.join(', ')} running after its last test. Every test must wait for or ` +
				'cancel what it started (timers, sockets, servers, requests, child processes). To see where it was started: ' +
				'NO_LEFTOVERS_CHECK=0 npx jest --detectOpenHandles <this file>',
		);
		error.stack = error.message;
		state.unhandledErrors.push(error);
		// The file has failed; what it left must not also keep jest from exiting.
		for (const item of left.live) item.unref?.();
		for (const [timer] of this.timers) timer.unref();
	}
}
