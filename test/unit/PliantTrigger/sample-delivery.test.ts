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
	pendingSamples.clear(); // cancels every session's delivery
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

	it('drops and cancels a session whose time is up', () => {
		const old = startSample('wf|old', URL, 'ORGANIZATION_ADDED');
		jest.spyOn(clock, 'now').mockReturnValue(Date.now() + SAMPLE_TTL_MS + 1);
		startSample('wf|new', URL, 'ORGANIZATION_ADDED');
		expect(pendingSamples.has('wf|old')).toBe(false);
		expect(pendingSamples.has('wf|new')).toBe(true);
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
	const PATH = '/webhook-test/x/webhook';

	it('the test URL, then the same path at n8n\'s own address when that is on this machine', () => {
		expect(deliveryTargets(`http://127.0.0.1:5701${PATH}`, 'http://127.0.0.1:5700/')).toEqual([
			`http://127.0.0.1:5701${PATH}`,
			`http://127.0.0.1:5700${PATH}`,
		]);
		expect(deliveryTargets(`http://localhost:5678${PATH}`, 'http://localhost:5678/')).toEqual([`http://localhost:5678${PATH}`]);
	});

	it('guesses no port: neither n8n\'s default 5678 nor a public URL\'s port on loopback', () => {
		expect(deliveryTargets(`https://n8n.example.com${PATH}`, 'https://n8n.example.com/')).toEqual([`https://n8n.example.com${PATH}`]);
		expect(deliveryTargets(`https://n8n.example.com:8443${PATH}`, 'https://n8n.example.com:8443/')).toEqual([
			`https://n8n.example.com:8443${PATH}`,
		]);
		expect(deliveryTargets(`https://n8n.example.com${PATH}`, undefined)).toEqual([`https://n8n.example.com${PATH}`]);
		expect(deliveryTargets(`https://n8n.example.com${PATH}`, 'not a url')).toEqual([`https://n8n.example.com${PATH}`]);
	});
});
