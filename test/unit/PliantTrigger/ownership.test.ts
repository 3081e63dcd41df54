import type { Subscription } from '../../../nodes/shared/contract';
import { ownership, webhookIdOf } from '../../../nodes/PliantTrigger/ownership';
import type { SubscriptionRecord } from '../../../nodes/PliantTrigger/subscription-record';

const URL_HERE = 'https://n8n.example/webhook/7f0c/webhook';
const URL_STAGING = 'https://staging.example/webhook/7f0c/webhook';
const URL_OTHER = 'https://n8n.example/webhook/other/webhook';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const sub = (n: number, callbackUrl: string): Subscription => ({ id: id(n), eventType: 'ORGANIZATION_ADDED', callbackUrl });
const here = { url: URL_HERE, credentialId: 'cred-1' };
const recorded = (fields: Partial<SubscriptionRecord>): SubscriptionRecord => ({
	state: 'registered',
	callbackUrl: URL_HERE,
	credentialId: 'cred-1',
	eventTypes: [],
	own: [],
	...fields,
});

describe('ownership', () => {
	it('owns nothing without a record, whatever the URL holds', () => {
		expect(ownership(undefined, [sub(1, URL_HERE)], here).own).toEqual([]);
	});

	it('owns a recorded ID only while Pliant lists it at the current URL', () => {
		const listed = [sub(1, URL_HERE), sub(2, URL_STAGING), sub(3, URL_OTHER), sub(5, URL_HERE)];
		const sorted = ownership(recorded({ own: [id(1), id(2), id(3), id(4)] }), listed, here);
		expect(sorted.own).toEqual([listed[0]]);
		expect(sorted.earlier).toEqual([listed[1]]);
		expect(sorted.foreign).toEqual([id(3)]);
		expect(sorted.hidden).toEqual([]); // id 4: not listed, same credential: gone
	});

	it('while registering, what appeared at the URL after the listing taken before the upsert is its own', () => {
		const listed = [sub(1, URL_HERE), sub(2, URL_HERE)];
		const sorted = ownership(recorded({ state: 'registering', listedBefore: [id(1)] }), listed, here);
		expect(sorted.own).toEqual([listed[1]]);
	});

	it('keeps IDs of another credential that are not listed, and never owns what is not a UUID', () => {
		const sorted = ownership(
			recorded({ credentialId: 'cred-old', own: [id(1), '../organizations/x'], otherCredentials: [{ credentialId: 'cred-0', ids: [id(2)] }] }),
			[],
			here,
		);
		expect(sorted.hidden).toEqual([
			{ credentialId: 'cred-old', ids: [id(1)] },
			{ credentialId: 'cred-0', ids: [id(2)] },
		]);
		expect(sorted.foreign).toEqual(['../organizations/x']);
	});

	it('reads the webhook ID from an n8n webhook URL', () => {
		expect(webhookIdOf(URL_HERE)).toBe('7f0c');
		expect(webhookIdOf('not a url')).toBeUndefined();
	});
});
