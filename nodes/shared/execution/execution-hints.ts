import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';

import { clock } from '../clock';
import { credentialLimiter } from '../http/transport';
import { CREDENTIAL_TYPE } from '../identity';

function count(items: IDataObject[], test: (json: IDataObject) => boolean): number {
	return items.filter(test).length;
}

/** The first normalised value of the run, e.g. `country: Germany → DE`. */
function normalisedExample(items: IDataObject[]): string {
	for (const json of items) {
		const normalised = json.normalised as IDataObject | undefined;
		const [key, value] = Object.entries(normalised ?? {})[0] ?? [];
		if (key) return `${key}: ${String(value)}`;
	}
	return '';
}

/**
 * What a run has to say beyond its items: leads that already existed, values the node
 * normalised, organizations that do not share details. Plain facts from the output items.
 */
export function outcomeHints(output: INodeExecutionData[]): string[] {
	const items = output.map((item) => item.json).filter((json) => json.error === undefined);
	const total = items.length;
	const hints: string[] = [];
	const duplicates = count(items, (json) => json.duplicate === true);
	if (duplicates > 0) {
		hints.push(`${duplicates} of ${total} leads already existed at Pliant: returned as existing (duplicate: true)`);
	}
	const normalised = count(items, (json) => Object.keys((json.normalised as IDataObject) ?? {}).length > 0);
	if (normalised > 0) {
		hints.push(`${normalised} of ${total} leads had values normalised (see normalised), e.g. ${normalisedExample(items)}`);
	}
	const notShared = count(items, (json) => json.detailsShared === false);
	if (notShared > 0) {
		hints.push(`${notShared} of ${total} organizations do not share onboarding details (detailsShared: false)`);
	}
	return hints;
}

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
 * Shows the run's outcome hints on the output pane. `addExecutionHints` exists on both
 * supported n8n lines; should a host lack it, the hints are skipped silently (the items
 * still say everything).
 */
export async function addRunHints(this: IExecuteFunctions, output: INodeExecutionData[]): Promise<void> {
	if (typeof this.addExecutionHints !== 'function') return;
	const messages = outcomeHints(output);
	if (await isPacing.call(this)) messages.push(PACING_HINT);
	if (messages.length === 0) return;
	const hints: NodeExecutionHint[] = messages.map((message) => ({ message, type: 'info', location: 'outputPane' }));
	this.addExecutionHints(...hints);
}
