import { clock } from './clock';

/**
 * What the package keeps in the n8n process between executions (tokens, rate limiters,
 * signing keys, recent callback IDs, …). n8n runs node code in one long-lived process, so
 * every such cache must be bounded, or a busy instance (or forged traffic) grows it forever.
 * One map type for all of them, each created with its own bound (one cache never evicts
 * another's entries), and all registered here, so that the whole memory is forgotten at once.
 */

export interface MemoryBounds {
	/** Entries held at most; the oldest written is forgotten first. */
	max: number;
	/** Entries older than this (since written) count as absent. */
	ttlMs?: number;
	/** Told of an entry the map drops by itself (bound, time, clear), for one that owns work to stop. */
	onForget?: (value: never) => void;
}

/** A bounded map: `set` (re)writes an entry as the newest; `get` and `has` never reorder. */
export interface BoundedMap<K, V> {
	readonly name: string;
	readonly size: number;
	get(key: K): V | undefined;
	has(key: K): boolean;
	set(key: K, value: V): void;
	delete(key: K): boolean;
	clear(): void;
}

interface Slot<V> {
	value: V;
	writtenAt: number;
}

class Bounded<K, V> implements BoundedMap<K, V> {
	private readonly entries = new Map<K, Slot<V>>();

	constructor(
		readonly name: string,
		private readonly bounds: MemoryBounds,
	) {}

	get size(): number {
		return this.entries.size;
	}

	get(key: K): V | undefined {
		return this.live(key)?.value;
	}

	has(key: K): boolean {
		return this.live(key) !== undefined;
	}

	set(key: K, value: V): void {
		// Map keeps insertion order: deleting first makes this entry the newest.
		this.entries.delete(key);
		this.entries.set(key, { value, writtenAt: clock.now() });
		while (this.entries.size > Math.max(1, this.bounds.max)) {
			const oldest = this.entries.keys().next().value as K;
			this.forget(this.entries.get(oldest));
			this.entries.delete(oldest);
		}
	}

	delete(key: K): boolean {
		return this.entries.delete(key);
	}

	clear(): void {
		for (const slot of this.entries.values()) this.forget(slot);
		this.entries.clear();
	}

	private forget(slot: Slot<V> | undefined): void {
		if (slot) (this.bounds.onForget as ((value: V) => void) | undefined)?.(slot.value);
	}

	/** The entry unless its time is up (then it is dropped). */
	private live(key: K): Slot<V> | undefined {
		const slot = this.entries.get(key);
		if (slot && this.bounds.ttlMs !== undefined && clock.now() - slot.writtenAt >= this.bounds.ttlMs) {
			this.entries.delete(key);
			this.forget(slot);
			return undefined;
		}
		return slot;
	}
}

/** A bounded map of its own, not registered (inside a registered cache, cleared with it). */
export function boundedMap<K, V>(name: string, bounds: MemoryBounds): BoundedMap<K, V> {
	return new Bounded<K, V>(name, bounds);
}

const registered = new Map<string, BoundedMap<unknown, unknown>>();

/** The one registry of the process's caches. */
export const processMemory = {
	/** A new process-wide cache, registered under `name` (a reload of the module replaces it). */
	create<K, V>(name: string, bounds: MemoryBounds): BoundedMap<K, V> {
		const map = boundedMap<K, V>(name, bounds);
		registered.set(name, map as BoundedMap<unknown, unknown>);
		return map;
	},
	/** The names of the registered caches. */
	names(): string[] {
		return [...registered.keys()];
	},
	/** Forgets everything every registered cache holds, as a restarted n8n would. */
	forgetAll(): void {
		for (const map of registered.values()) map.clear();
	},
};
