import {
	INITIAL_ORGANIZATION_STATUS,
	type CallbackBody,
	type EventType,
	type Organization,
} from '../shared/contract';
import {
	categoryOfKey,
	isOnboarding,
	type DetailsState,
	type Observation,
	type Snapshot,
} from './snapshot';

/**
 * Turns two readings of Pliant into the events Pliant's callbacks would have announced. Polling
 * sees states, not transitions: two changes of the same value between polls arrive as one
 * event from the first value to the last.
 */

export interface DetectedChange {
	organization: Organization;
	/** The callback body Pliant would have sent for this change. */
	body: CallbackBody;
}

/** Compared against on the first poll when the current state is to be emitted. */
export const EMPTY_SNAPSHOT: Snapshot = {
	account: '',
	takenAt: '',
	statuses: {},
	details: {},
	truncated: false,
};

const NO_DETAILS: DetailsState = {
	representatives: {},
	documents: {},
	bankConnection: null,
	directDebit: null,
};

function statusChange(
	eventType: EventType,
	organizationId: string,
	before: string | null | undefined,
	after: string | null,
	fields: Partial<CallbackBody> = {},
): CallbackBody {
	return {
		eventType,
		organizationId,
		...fields,
		statusChange: { beforeChange: before ?? null, afterChange: after },
	};
}

/** A value counts as changed when it has one now and had another (or none) before. */
function changed(before: string | null | undefined, after: string | null): after is string {
	return after !== null && after !== (before ?? null);
}

/** The onboarding-step events between two readings of one organization's details. */
export function detailChanges(
	organizationId: string,
	before: DetailsState,
	after: DetailsState,
): CallbackBody[] {
	const bodies: CallbackBody[] = [];
	for (const [representativeId, now] of Object.entries(after.representatives)) {
		const then = before.representatives[representativeId];
		if (changed(then?.submission, now.submission)) {
			bodies.push(
				statusChange('REPRESENTATIVE_SUBMISSION_STATUS_CHANGED', organizationId, then?.submission, now.submission, {
					representativeId,
				}),
			);
		}
		if (changed(then?.legitimation, now.legitimation)) {
			bodies.push(
				statusChange('REPRESENTATIVE_LEGITIMATION_STATUS_CHANGED', organizationId, then?.legitimation, now.legitimation, {
					representativeId,
				}),
			);
		}
	}
	for (const [key, now] of Object.entries(after.documents)) {
		const then = before.documents[key];
		if (changed(then, now)) {
			bodies.push(
				statusChange('DOCUMENT_CUSTOMER_STATUS_CHANGED', organizationId, then, now, {
					category: categoryOfKey(key) ?? undefined,
				}),
			);
		}
	}
	if (changed(before.bankConnection, after.bankConnection)) {
		bodies.push(statusChange('BANK_CONNECTION_STATUS_CHANGED', organizationId, before.bankConnection, after.bankConnection));
	}
	if (changed(before.directDebit, after.directDebit)) {
		bodies.push(statusChange('DIRECT_DEBIT_STATUS_CHANGED', organizationId, before.directDebit, after.directDebit));
	}
	return bodies;
}

/** ORGANIZATION_ADDED, plus the status when it is already past the first one. */
export function addedBodies(organization: Organization): CallbackBody[] {
	const organizationId = organization.organizationId;
	const bodies: CallbackBody[] = [
		{
			eventType: 'ORGANIZATION_ADDED',
			organizationId,
			partnerOrganizationId: organization.partnersOrganizationId ?? undefined,
			organizationName: organization.name,
		},
	];
	const status = organization.status ?? null;
	if (status !== null && status !== INITIAL_ORGANIZATION_STATUS) {
		bodies.push(statusChange('ORGANIZATION_STATE_CHANGED', organizationId, null, status));
	}
	return bodies;
}

/**
 * Every change from `previous` to `observation`, organization by organization in list order:
 * added, status, then the onboarding steps.
 * - An organization not in `previous` is new (ORGANIZATION_ADDED). When `previous` had to
 *   leave organizations out, only one in onboarding counts as new: those are always kept.
 * - Details compare only against details read before; the first reading is the baseline.
 */
export function detectChanges(previous: Snapshot, observation: Observation): DetectedChange[] {
	const changes: DetectedChange[] = [];
	for (const organization of observation.organizations) {
		const id = organization.organizationId;
		const push = (body: CallbackBody) => changes.push({ organization, body });
		const status = organization.status ?? null;

		if (!Object.prototype.hasOwnProperty.call(previous.statuses, id)) {
			if (!previous.truncated || isOnboarding(status)) addedBodies(organization).forEach(push);
			continue;
		}
		const before = previous.statuses[id];
		if (changed(before, status)) push(statusChange('ORGANIZATION_STATE_CHANGED', id, before, status));

		const detailsBefore = previous.details[id];
		const detailsNow = observation.details.get(id);
		if (detailsBefore && detailsNow) detailChanges(id, detailsBefore, detailsNow).forEach(push);
	}
	return changes;
}

/** The organization's current state as events (a test event's material): added, status, details. */
export function currentStateBodies(organization: Organization, details: DetailsState | null | undefined): CallbackBody[] {
	const id = organization.organizationId;
	const [added] = addedBodies(organization);
	const bodies = [added, statusChange('ORGANIZATION_STATE_CHANGED', id, null, organization.status ?? null)];
	if (details) bodies.push(...detailChanges(id, NO_DETAILS, details));
	return bodies;
}
