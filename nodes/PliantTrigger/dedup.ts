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
	private readonly ids = new Set<string>();

	constructor(private readonly capacity: number = RECENT_IDS_PER_NODE) {}

	has(id: string): boolean {
		return this.ids.has(id);
	}

	/** Remembers an id, forgetting the oldest one when full. */
	add(id: string): void {
		if (this.ids.has(id)) return;
		this.ids.add(id);
		if (this.ids.size > this.capacity) {
			const oldest = this.ids.values().next().value;
			if (oldest !== undefined) this.ids.delete(oldest);
		}
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
export const recentIdsByNode = new Map<string, RecentIds>();

/** The memory of one trigger node (workflow, node and test/production mode form the key). */
export function recentIdsFor(key: string): RecentIds {
	let memory = recentIdsByNode.get(key);
	if (memory) {
		// Map keeps insertion order: re-inserting marks this node as recently used.
		recentIdsByNode.delete(key);
	} else {
		memory = new RecentIds();
	}
	recentIdsByNode.set(key, memory);
	if (recentIdsByNode.size > MAX_NODES) {
		const leastRecent = recentIdsByNode.keys().next().value;
		if (leastRecent !== undefined) recentIdsByNode.delete(leastRecent);
	}
	return memory;
}
