import { createHash } from 'crypto';
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { EventType } from '../shared/contract';
import { endpointsFor } from '../shared/http/endpoints';
import { processMemory } from '../shared/memory';
import { buildEventItem } from '../shared/onboarding/event-item';
import { POLLABLE_EVENT_TYPES, resolveSelectedEvents } from '../shared/onboarding/events';
import { accountKey, CREDENTIAL_TYPE, nodeKey } from '../shared/identity';
import { EMPTY_SNAPSHOT, currentStateBodies, detectChanges, type DetectedChange } from './changes';
import { observeOrganizations } from './observe';
import {
	isOnboarding,
	readSnapshot,
	sameState,
	takeSnapshot,
	writeSnapshot,
	type Observation,
} from './snapshot';

/** What the items of this trigger carry in `source`; the webhook trigger's items come from callbacks. */
export const POLL_SOURCE = 'poll';

/** Polls under way in this process: a poll that outlasts the interval is not run twice at once. */
const inFlight = processMemory.create<string, true>('polls under way', { max: 10_000 });

const NOTHING_LOST =
	'No change is lost: the next poll compares against the last successful one and reports it.';

/** Identifies the Pliant account, so a credential switched to another one starts a new baseline. */
export async function accountFingerprint(this: IPollFunctions): Promise<string> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const { baseUrl } = endpointsFor(credentials);
	return createHash('sha256')
		.update(accountKey({ baseUrl, clientId: credentials.clientId }))
		.digest('hex')
		.slice(0, 16);
}

/**
 * A stable ID for a detected change (UUID-shaped, where callbacks carry X-Callback-Id): the same
 * change seen from the same snapshot gets the same ID, so a poll repeated after a crash can be
 * deduplicated downstream (Remove Duplicates on callbackId).
 */
function changeId(since: string, change: DetectedChange): string {
	const { body } = change;
	const hex = createHash('sha256')
		.update(
			JSON.stringify([
				since,
				body.organizationId,
				body.eventType,
				body.representativeId ?? body.category ?? null,
				body.statusChange?.beforeChange ?? null,
				body.statusChange?.afterChange ?? null,
			]),
		)
		.digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The item of a detected change: the Pliant Trigger's item shape, plus `source: "poll"`. */
export function pollItem(change: DetectedChange, since: string, detectedAt: Date): IDataObject {
	return {
		...buildEventItem({
			body: change.body,
			eventType: change.body.eventType,
			facts: {
				partnerOrganizationId: change.organization.partnersOrganizationId ?? null,
				callbackId: changeId(since, change),
				// Not a signed message: the key exists, so both triggers' items have the same fields.
				webhookId: null,
				// When the poll saw the change; Pliant's list does not say when it happened.
				createdAt: detectedAt.toISOString(),
			},
			receivedAt: detectedAt,
		}),
		source: POLL_SOURCE,
	};
}

/**
 * "Fetch Test Event" with no change to show: one item built from a real organization (one in
 * onboarding with shared details if there is one), of the first selected event type it can show.
 */
function sampleItem(this: IPollFunctions, observation: Observation, selected: EventType[], now: Date): IDataObject {
	const { organizations, details } = observation;
	const organization =
		organizations.find((o) => isOnboarding(o.status) && details.get(o.organizationId)) ??
		organizations.find((o) => isOnboarding(o.status)) ??
		organizations[0];
	if (!organization) {
		throw new NodeOperationError(this.getNode(), 'No organization to build a test event from', {
			description:
				'This Pliant account has no organization yet. Refer a lead (Pliant Create Lead) and wait until Pliant starts its onboarding, then fetch a test event again.',
		});
	}
	const bodies = currentStateBodies(organization, details.get(organization.organizationId));
	const body = bodies.find((b) => selected.includes(b.eventType as EventType)) ?? bodies[0];
	return { ...pollItem({ organization, body }, 'sample', now), sample: true };
}

/** Runs a production poll unless this node's previous one is still running in this process. */
export async function withoutOverlap(
	this: IPollFunctions,
	run: () => Promise<INodeExecutionData[][] | null>,
): Promise<INodeExecutionData[][] | null> {
	const key = nodeKey(this.getWorkflow().id, this.getNode());
	if (inFlight.has(key)) {
		this.logger.debug('Pliant Onboarding Status Trigger: the previous poll is still running; skipped this one');
		return null;
	}
	inFlight.set(key, true);
	try {
		return await run();
	} finally {
		inFlight.delete(key);
	}
}

/**
 * One poll. Production: compares with the snapshot in static data, remembers the new one, and
 * starts one execution per change (as the webhook trigger does per callback); the first poll
 * only records the baseline unless "Emit Current State on First Run" is on.
 * Manual ("Fetch Test Event"): returns the changes since the snapshot, or one sample item, and
 * leaves the snapshot alone.
 */
export async function pollOnboardingChanges(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	if (this.getMode() === 'manual') return await pollOnce.call(this, true);
	return await withoutOverlap.call(this, async () => await pollOnce.call(this, false));
}

async function pollOnce(this: IPollFunctions, manual: boolean): Promise<INodeExecutionData[][] | null> {
	const selected = resolveSelectedEvents(this.getNodeParameter('events', []), POLLABLE_EVENT_TYPES);
	const emitCurrentState = this.getNodeParameter('options.emitCurrentState', false) === true;
	const staticData = this.getWorkflowStaticData('node');
	const now = new Date();

	const account = await accountFingerprint.call(this);
	const previous = readSnapshot(staticData, account);
	let observation: Observation;
	try {
		observation = await observeOrganizations.call(this, previous);
	} catch (error) {
		if (error instanceof NodeApiError) {
			error.description = [error.description, NOTHING_LOST].filter(Boolean).join(' ');
		}
		throw error instanceof NodeApiError
			? error
			: new NodeOperationError(this.getNode(), error as Error, { description: NOTHING_LOST });
	}

	const baseline = previous ?? (emitCurrentState && !manual ? EMPTY_SNAPSHOT : undefined);
	const since = previous?.takenAt ?? 'first-run';
	const changes = baseline ? detectChanges(baseline, observation) : [];
	const items = changes
		.filter((change) => selected.includes(change.body.eventType as EventType))
		.map((change) => pollItem(change, since, now));

	if (manual) {
		const shown = items.length > 0 ? items : [sampleItem.call(this, observation, selected, now)];
		return [shown.map((json) => ({ json }))];
	}

	// Remembered before the executions start: n8n saves static data when the first one starts.
	const next = takeSnapshot(observation, account, now);
	if (!previous || !sameState(previous, next)) writeSnapshot(staticData, next);
	for (const json of items) this.__emit([[{ json }]]);
	return null;
}
