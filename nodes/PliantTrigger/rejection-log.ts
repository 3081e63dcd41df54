import { clock } from '../shared/clock';
import { boundedMap, processMemory, type BoundedMap } from '../shared/memory';
import { REJECTION_LOG_INTERVAL_MS } from './limits';

/** Trigger nodes tracked at once; beyond that the oldest is forgotten (it may log once more). */
const MAX_NODES = 500;

interface NodeLog {
	lastLoggedAt: number;
	suppressed: number;
}

/**
 * Rejected callbacks are logged at most once per interval per trigger node, with how many were
 * not logged since: forged traffic must not be able to flood n8n's log (or its disk).
 */
export class RejectionLog {
	constructor(
		private readonly now: () => number = () => clock.now(),
		private readonly intervalMs: number = REJECTION_LOG_INTERVAL_MS,
		private readonly entries: BoundedMap<string, NodeLog> = boundedMap('rejection log', { max: MAX_NODES }),
	) {}

	/** The line to log for this rejection, or undefined when it is counted instead. */
	line(node: string, text: string): string | undefined {
		const now = this.now();
		const entry = this.entries.get(node);
		if (entry && now - entry.lastLoggedAt < this.intervalMs) {
			entry.suppressed++;
			return undefined;
		}
		const suppressed = entry?.suppressed ?? 0;
		this.entries.set(node, { lastLoggedAt: now, suppressed: 0 });
		return suppressed > 0 ? `${text} (${suppressed} more rejected since the last such line, not logged)` : text;
	}
}

/** The one rejection log of this n8n process. */
export const rejectionLog = new RejectionLog(undefined, undefined, processMemory.create('rejection log', { max: MAX_NODES }));
