import { RECENT_CALLBACKS_PER_NODE, RECENT_IDS_PER_NODE, RecentIds, recentIdsByNode, recentIdsFor } from '../../../nodes/PliantTrigger/dedup';

describe('RecentIds', () => {
	it('remembers ids', () => {
		const memory = new RecentIds(3);
		memory.add('a');
		expect(memory.has('a')).toBe(true);
		expect(memory.has('b')).toBe(false);
	});

	it('is bounded: the oldest id is forgotten first', () => {
		const memory = new RecentIds(3);
		for (const id of ['a', 'b', 'c', 'd']) memory.add(id);
		expect(memory.size).toBe(3);
		expect(memory.has('a')).toBe(false);
		expect(memory.has('d')).toBe(true);
	});

	it('keeps two IDs for each of the last 1,000 callbacks per node by default', () => {
		expect(RECENT_IDS_PER_NODE).toBe(2 * RECENT_CALLBACKS_PER_NODE);
		expect(RECENT_CALLBACKS_PER_NODE).toBe(1000);
		const memory = new RecentIds();
		for (let index = 0; index < RECENT_IDS_PER_NODE + 500; index++) memory.add(`id-${index}`);
		expect(memory.size).toBe(RECENT_IDS_PER_NODE);
		expect(memory.has('id-499')).toBe(false);
		expect(memory.has('id-500')).toBe(true);
	});

	it('firstSeen: new only when none of the IDs was seen; a repeat records nothing', () => {
		const memory = new RecentIds(10);
		expect(memory.firstSeen(['msg_1', 'cb-1'])).toBe(true);
		expect(memory.firstSeen(['msg_2', 'cb-1'])).toBe(false); // same X-Callback-Id, fresh webhook-id
		expect(memory.firstSeen(['msg_1', 'cb-2'])).toBe(false); // same webhook-id, another X-Callback-Id
		expect(memory.has('msg_2')).toBe(false);
		expect(memory.has('cb-2')).toBe(false);
		expect(memory.firstSeen(['msg_3', 'cb-3'])).toBe(true);
	});

	it('does not grow on repeated ids', () => {
		const memory = new RecentIds(3);
		for (let index = 0; index < 10; index++) memory.add('same');
		expect(memory.size).toBe(1);
	});
});

describe('recentIdsFor', () => {
	beforeEach(() => recentIdsByNode.clear());

	it('gives each node (and mode) its own memory', () => {
		recentIdsFor('wf|node|webhook').add('cb-1');
		expect(recentIdsFor('wf|node|webhook').has('cb-1')).toBe(true);
		expect(recentIdsFor('wf|node|manual').has('cb-1')).toBe(false);
		expect(recentIdsFor('wf|other|webhook').has('cb-1')).toBe(false);
	});

	it('forgets the least recently used node when too many are remembered', () => {
		recentIdsFor('first').add('x');
		for (let index = 0; index < 600; index++) recentIdsFor(`node-${index}`);
		expect(recentIdsFor('first').has('x')).toBe(false);
	});
});
