import { randomUUID } from 'crypto';
import type { IDataObject, INodeExecutionData, IPollFunctions, IRun } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { clock } from '../shared/clock';
import { explained } from '../shared/errors/failure';
import { isUuid } from '../shared/uuid';
import {
	advance,
	DEFAULT_MAX_PER_POLL,
	DEFAULT_WINDOW_HOURS,
	readCatchUpState,
	writeCatchUpState,
	type CatchUpState,
} from './catch-up';
import {
	loggedBody,
	missedCallbackItem,
	partnerIdResolver,
	readFailedPage,
	scanLog,
	type Scan,
	type ScanSettings,
} from './callback-log';
import { readCallbackUrl } from './callback-urls';
import { accountFingerprint, withoutOverlap } from './poll';


/** Pages of the newest entries "Fetch Test Event" looks through for one of this URL's. */
const TEST_EVENT_PAGES = 3;

/** How long one missed callback's execution may run before the next one is started anyway. */
export const EXECUTION_WAIT_MS = 30_000;
const WAIT_STEP_MS = 25;

const NOTHING_LOST = 'No missed callback is lost: the next poll reads the log again from the same position.';

function readSettings(this: IPollFunctions): ScanSettings {
	const hours = Number(this.getNodeParameter('options.windowHours', DEFAULT_WINDOW_HOURS));
	const maxPerPoll = Number(this.getNodeParameter('options.maxCallbacksPerPoll', DEFAULT_MAX_PER_POLL));
	return {
		callbackUrl: readCallbackUrl.call(this),
		windowMs: (Number.isFinite(hours) && hours > 0 ? hours : DEFAULT_WINDOW_HOURS) * 3_600_000,
		maxPerPoll: Number.isInteger(maxPerPoll) && maxPerPoll > 0 ? maxPerPoll : DEFAULT_MAX_PER_POLL,
	};
}

/** "Fetch Test Event" without a failed callback to show: a sample of the same shape. */
function sampleItem(now: Date): IDataObject {
	const callbackId = randomUUID();
	const entry = { callbackId, eventType: 'ORGANIZATION_STATE_CHANGED', status: 'FAILED', createdAt: now.toISOString(), callbackUrl: '' };
	const body = {
		eventType: entry.eventType,
		organizationId: '00000000-0000-4000-8000-000000000000',
		statusChange: { beforeChange: 'ONBOARDING_STARTED', afterChange: 'ONBOARDING_RISK_AND_COMPLIANCE' },
	};
	return { ...missedCallbackItem(entry, body, 'crm-sample', now), sample: true };
}

/** "Fetch Test Event": the newest callback Pliant failed to deliver to the URL, or a sample. */
async function fetchTestEvent(this: IPollFunctions): Promise<INodeExecutionData[][]> {
	const { callbackUrl } = readSettings.call(this);
	const now = new Date(clock.now());
	for (let page = 0; page < TEST_EVENT_PAGES; page++) {
		const { entries, hasNextPage } = await readFailedPage.call(this, page, { limit: 100 });
		const newest = entries.find((entry) => entry.callbackUrl === callbackUrl && isUuid(entry.callbackId));
		if (newest) {
			const body = await loggedBody.call(this, newest);
			const partnerId = await (await partnerIdResolver.call(this))(body);
			return [[{ json: missedCallbackItem(newest, body, partnerId, now) }]];
		}
		if (!hasNextPage) break;
	}
	return [[{ json: sampleItem(now) }]];
}

/** Starts one execution and waits until n8n reports it finished (at most EXECUTION_WAIT_MS). */
async function emitAndWait(this: IPollFunctions, json: IDataObject): Promise<void> {
	const done = this.helpers.createDeferredPromise<IRun | undefined>();
	let finished = false;
	const settle = () => {
		finished = true;
	};
	done.promise.then(settle, settle);
	this.__emit([[{ json }]], undefined, done);
	// Short steps, so no long timer outlives the poll.
	for (let waited = 0; !finished && waited < EXECUTION_WAIT_MS; waited += WAIT_STEP_MS) await clock.sleep(WAIT_STEP_MS);
}

/**
 * One execution per missed callback, each started when the one before has finished: in Pliant's
 * order, and never two at once through Remove Duplicates (n8n keeps a workflow's history in one
 * database row, and executions that write it at the same moment fail). n8n saves static data as
 * each execution starts, so before each one the state says it and those before it are emitted,
 * and only before the last does the position move: n8n stopped half-way loses none of the rest.
 */
async function emitInOrder(this: IPollFunctions, state: CatchUpState, scan: Scan, startedAt: Date, windowMs: number) {
	const staticData = this.getWorkflowStaticData('node');
	const final = advance(state, scan, startedAt, windowMs);
	if (scan.items.length === 0) writeCatchUpState(staticData, final);
	for (const [index, json] of scan.items.entries()) {
		const last = index === scan.items.length - 1;
		const emitted = scan.emitted.slice(0, index + 1);
		writeCatchUpState(staticData, last ? final : advance(state, { emitted, complete: false }, startedAt, windowMs));
		await emitAndWait.call(this, json);
	}
}

/**
 * The "Missed callbacks" source. Production: reads the callback log from the stored position,
 * remembers the new one, then starts one execution per missed callback in the order Pliant
 * created them, each with the Pliant Trigger's item. Manual: the newest missed callback.
 */
export async function pollMissedCallbacks(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	if (this.getMode() === 'manual') return await fetchTestEvent.call(this);
	return await withoutOverlap.call(this, async () => {
		const settings = readSettings.call(this);
		const staticData = this.getWorkflowStaticData('node');
		const state = readCatchUpState(staticData, await accountFingerprint.call(this), settings.callbackUrl);
		const startedAt = new Date(clock.now());
		let scan: Scan;
		try {
			scan = await scanLog.call(this, state, settings, startedAt);
		} catch (error) {
			if (error instanceof NodeApiError || error instanceof NodeOperationError) {
				throw explained(error, { description: [error.description, NOTHING_LOST].filter(Boolean).join(' ') });
			}
			throw new NodeOperationError(this.getNode(), error as Error, { description: NOTHING_LOST });
		}
		await emitInOrder.call(this, state, scan, startedAt, settings.windowMs);
		return null;
	});
}
