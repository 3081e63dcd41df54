/* eslint-disable @n8n/community-nodes/no-restricted-globals -- a test counting the process's timers, never published */
import { clock } from '../../../nodes/shared/clock';

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

describe('clock.sleep with a signal', () => {
	it('ends as soon as the signal aborts, without throwing, and leaves no timer behind', async () => {
		const before = timers();
		const stop = new AbortController();
		const wait = clock.sleep(60_000, stop.signal);
		expect(timers()).toBe(before + 1);
		stop.abort();
		await expect(wait).resolves.toBeUndefined();
		expect(timers()).toBe(before);
	});

	it('does not wait at all when the signal is already aborted', async () => {
		const before = timers();
		const stop = new AbortController();
		stop.abort();
		await clock.sleep(60_000, stop.signal);
		expect(timers()).toBe(before);
	});

	it('waits the full time when nothing aborts', async () => {
		const stop = new AbortController();
		let done = false;
		const wait = clock.sleep(5, stop.signal).then(() => (done = true));
		expect(done).toBe(false);
		await wait;
		expect(stop.signal.aborted).toBe(false);
	});
});
