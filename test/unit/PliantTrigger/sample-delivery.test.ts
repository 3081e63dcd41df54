import { clock } from '../../../nodes/shared/clock';
import {
	MAX_PENDING_SAMPLES,
	SAMPLE_TTL_MS,
	deliveryTargets,
	endSample,
	pendingSamples,
	startSample,
} from '../../../nodes/PliantTrigger/sample-delivery';

const URL = 'https://n8n.example/webhook-test/a/webhook';

afterEach(() => {
	for (const key of [...pendingSamples.keys()]) endSample(key, true);
	jest.restoreAllMocks();
});

describe('test sessions', () => {
	it('one per node: a new session cancels the one it replaces', () => {
		const first = startSample('wf|a', URL, 'ORGANIZATION_ADDED');
		const second = startSample('wf|a', URL, 'ORGANIZATION_ADDED');
		expect(first.stop.signal.aborted).toBe(true);
		expect(second.stop.signal.aborted).toBe(false);
		expect(pendingSamples.get('wf|a')).toBe(second);
		expect(second.nonce.equals(first.nonce)).toBe(false);
	});

	it('stays bounded: the oldest session gives way, and its delivery is cancelled', () => {
		const oldest = startSample('wf|0', URL, 'ORGANIZATION_ADDED');
		for (let i = 1; i <= MAX_PENDING_SAMPLES; i++) startSample(`wf|${i}`, URL, 'ORGANIZATION_ADDED');
		expect(pendingSamples.size).toBe(MAX_PENDING_SAMPLES);
		expect(pendingSamples.has('wf|0')).toBe(false);
		expect(oldest.stop.signal.aborted).toBe(true);
	});

	it('drops and cancels expired sessions when a new one starts', () => {
		const old = startSample('wf|old', URL, 'ORGANIZATION_ADDED');
		jest.spyOn(clock, 'now').mockReturnValue(Date.now() + SAMPLE_TTL_MS + 1);
		startSample('wf|new', URL, 'ORGANIZATION_ADDED');
		expect([...pendingSamples.keys()]).toEqual(['wf|new']);
		expect(old.stop.signal.aborted).toBe(true);
	});

	it('ending a taken session does not abort its delivery (its own POST is being answered)', () => {
		const taken = startSample('wf|a', URL, 'ORGANIZATION_ADDED');
		expect(endSample('wf|a', false)).toBe(taken);
		expect(taken.stop.signal.aborted).toBe(false);
		expect(endSample('wf|a', true)).toBeUndefined();
	});
});

describe('deliveryTargets', () => {
	it('tries the test URL, then loopback on its port, the instance port and 5678', () => {
		expect(deliveryTargets('https://n8n.example.com/webhook-test/x/webhook', 'https://n8n.example.com/')).toEqual([
			'https://n8n.example.com/webhook-test/x/webhook',
			'http://127.0.0.1:5678/webhook-test/x/webhook',
		]);
		expect(deliveryTargets('http://127.0.0.1:5680/webhook-test/x/webhook', 'http://127.0.0.1:5680/')).toEqual([
			'http://127.0.0.1:5680/webhook-test/x/webhook',
			'http://127.0.0.1:5678/webhook-test/x/webhook',
		]);
	});
});
