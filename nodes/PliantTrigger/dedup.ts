import { boundedMap, processMemory, type BoundedMap } from '../shared/memory';

/**
 * A bounded memory of recently seen callback IDs. Pliant delivers at least once, so the same
 * callback can arrive twice; this drops most repeats cheaply. It lives in this process's
 * memory only (lost on restart, not shared between n8n instances): for exact deduplication
 * users add a Remove Duplicates node (README).
 */
// Callbacks remembered per node; each leaves up to two IDs (webhook-id and X-Callback-Id).
export const RECENT_CALLBACKS_PER_NODE = 1000;
export const RECENT_IDS_PER_NODE = 2 * RECENT_CALLBACKS_PER_NODE;

/** Trigger nodes remembered at once; the least recently used one is forgotten first. */
const MAX_NODES = 500;

export class RecentIds {
	private readonly ids: BoundedMap<string, true>;

	constructor(capacity: number = RECENT_IDS_PER_NODE) {
		this.ids = boundedMap('recent callback ids of one node', { max: capacity });
	}

	has(id: string): boolean {
		return this.ids.has(id);
	}

	/** Remembers an id, forgetting the oldest one when full. */
	add(id: string): void {
		if (!this.ids.has(id)) this.ids.set(id, true);
	}

	/**
	 * Whether none of a callback's IDs was seen; if so they are remembered. Checked and recorded
	 * without an await in between, so of two concurrent deliveries only one is new. A repeat
	 * records nothing: replays of one message cannot push real IDs out.
	 */
	firstSeen(ids: readonly string[]): boolean {
		if (ids.some((id) => this.ids.has(id))) return false;
		for (const id of ids) this.add(id);
		return true;
	}

	get size(): number {
		return this.ids.size;
	}
}

/** Every trigger node's memory, least recently used first. */
export const recentIdsByNode = processMemory.create<string, RecentIds>('recent callback ids', { max: MAX_NODES });

/** The memory of one trigger node (workflow, node and test/production mode form the key). */
export function recentIdsFor(key: string): RecentIds {
	const memory = recentIdsByNode.get(key) ?? new RecentIds();
	// Written again on every use: the least recently used node is the one forgotten.
	recentIdsByNode.set(key, memory);
	return memory;
}
