import { NodeOperationError } from 'n8n-workflow';

import { failureOf, type Failure } from '../shared/errors/failure';

/**
 * Runs the checks of one item. By default the first problem throws (a run stops at once);
 * collecting (a dry run), every problem is kept and the checks go on, so a row says all of them.
 */
export class Checks {
	readonly problems: Failure[] = [];

	constructor(private readonly collect: boolean) {}

	check<T>(read: () => T): T | undefined {
		if (!this.collect) return read();
		try {
			return read();
		} catch (error) {
			// The readers throw the package's input errors; anything else is still said, never lost.
			this.problems.push(
				error instanceof NodeOperationError ? failureOf(error) : { message: String((error as Error)?.message ?? error) },
			);
			return undefined;
		}
	}
}
