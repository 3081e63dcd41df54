import { RECENT_IDS_PER_NODE, RecentIds, recentIdsByNode, recentIdsFor } from '../../../nodes/PliantTrigger/dedup';

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

	it('keeps 1,000 ids per node by default', () => {
		const memory = new RecentIds();
		for (let index = 0; index < RECENT_IDS_PER_NODE + 500; index++) memory.add(`id-${index}`);
		expect(memory.size).toBe(RECENT_IDS_PER_NODE);
		expect(memory.has('id-499')).toBe(false);
		expect(memory.has('id-500')).toBe(true);
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
