/**
 * Stopping a run stops waiting: backoff between retries ends as soon as n8n's execution cancel
 * signal fires, and the item fails with a message that says the run was stopped.
 */
import nock from 'nock';

import { PliantOnboardingStatus } from '../../../../nodes/PliantOnboardingStatus/PliantOnboardingStatus.node';
import { cancelSignalOf, untilCancelled } from '../../../../nodes/shared/http/cancellation';
import { clock } from '../../../../nodes/shared/clock';
import { failureFacts } from '../../../../nodes/shared/errors/failure-facts';
import { execute, fakeContextFor, ORIGIN } from '../../../support/fake-execute-context';
import { useNock } from '../../../support/nock';

const fakeContext = fakeContextFor(PliantOnboardingStatus);

describe('untilCancelled', () => {
	it('passes the result through without a signal, or while the signal is quiet', async () => {
		expect(await untilCancelled(Promise.resolve(1), undefined)).toBe(1);
		expect(await untilCancelled(Promise.resolve(2), new AbortController().signal)).toBe(2);
	});

	it('rejects at once when the run is stopped, read as cancelled by failureFacts', async () => {
		const stop = new AbortController();
		const waiting = untilCancelled(new Promise(() => undefined), stop.signal);
		stop.abort();
		const error = await waiting.catch((reason: unknown) => reason);
		expect(failureFacts(error).cancelled).toBe(true);
		await expect(untilCancelled(Promise.resolve(3), stop.signal)).rejects.toThrow('The run was stopped');
	});

	it('finds the signal only where n8n offers it', () => {
		const signal = new AbortController().signal;
		expect(cancelSignalOf({ getExecutionCancelSignal: () => signal })).toBe(signal);
		expect(cancelSignalOf({})).toBeUndefined();
	});
});

describe('transport: a stopped run ends the backoff wait', () => {
	useNock();
	afterEach(() => jest.restoreAllMocks());

	it('a 503 is retried after a wait; stopping the run during the wait fails the item at once', async () => {
		nock(ORIGIN).get(/\/api\/organizations\/.*/).reply(503, { code: 'SERVICE_UNAVAILABLE' });
		const stop = new AbortController();
		// the wait never ends by itself: only the cancel signal can end it
		jest.spyOn(clock, 'sleep').mockImplementation(async () => {
			stop.abort();
			await new Promise(() => undefined);
		});
		const run = fakeContext({ operation: 'get', organizationId: '0b0c1d2e-0000-4000-8000-000000000001' });
		(run.context.getExecutionCancelSignal as jest.Mock).mockReturnValue(stop.signal);
		Object.assign(run.context, { logger: { debug: () => undefined } });
		const error = (await execute(run).catch((reason: unknown) => reason)) as Error;
		expect(error.message).toBe('The run was stopped while waiting for Pliant');
		expect(run.requests).toHaveBeenCalledTimes(1);
	});
});
