import type { IDataObject, IExecuteFunctions, NodeExecutionHint } from 'n8n-workflow';

import { clock } from '../clock';
import { credentialLimiter } from '../http/transport';
import { CREDENTIAL_TYPE } from '../identity';

/**
 * A node's own words on a run's outcome (leads that already existed, organizations that share
 * no details...), from the JSON of the items that succeeded. Each node hands its own to the
 * item runner, next to its tool output: this module knows no node's fields.
 */
export type OutcomeHints = (succeeded: IDataObject[]) => string[];

export const PACING_HINT =
	"Pliant's rate limit was reached: this credential's requests are paced for a few minutes, later leads wait";

/** Whether requests of this node's credential are being held or paced after a 429. */
async function isPacing(this: IExecuteFunctions): Promise<boolean> {
	try {
		return credentialLimiter(await this.getCredentials(CREDENTIAL_TYPE)).isThrottled(clock.now());
	} catch (error) {
		this.logger?.debug(`Pliant: no rate-limit state for the execution hint (${(error as Error).message})`);
		return false;
	}
}

/**
 * Shows a run's outcome hints, and the pacing hint while the credential is paced, on the
 * output pane. `addExecutionHints` exists on both supported n8n lines; should a host lack it,
 * the hints are skipped silently (the items still say everything).
 */
export async function addRunHints(this: IExecuteFunctions, outcome: string[]): Promise<void> {
	if (typeof this.addExecutionHints !== 'function') return;
	const messages = [...outcome];
	if (await isPacing.call(this)) messages.push(PACING_HINT);
	if (messages.length === 0) return;
	const hints: NodeExecutionHint[] = messages.map((message) => ({ message, type: 'info', location: 'outputPane' }));
	this.addExecutionHints(...hints);
}
