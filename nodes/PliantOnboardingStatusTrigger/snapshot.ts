import type { IDataObject } from 'n8n-workflow';

import { ONBOARDING_STATUS_PREFIX, type Organization } from '../shared/contract';
import type { NormalisedOnboardingDetails } from '../shared/onboarding/details';

/**
 * What the trigger saw at its last successful poll, kept in the node's static data (saved by
 * n8n with the workflow). Only what a later comparison needs: each organization's status and,
 * while it is onboarding, the status values of its onboarding details.
 */

/** Organizations remembered at most: about 70 bytes each, 5 to 10 times that while onboarding. */
export const MAX_TRACKED_ORGANIZATIONS = 5000;

export interface RepresentativeState {
	submission: string | null;
	legitimation: string | null;
}

/** The status values of one organization's onboarding details. */
export interface DetailsState {
	representatives: Record<string, RepresentativeState>;
	/** By document category (`CATEGORY#2` for a second document of a category). */
	documents: Record<string, string | null>;
	bankConnection: string | null;
	directDebit: string | null;
}

export interface Snapshot {
	/** Which Pliant account (API base and client) the snapshot belongs to. */
	account: string;
	/** When it was taken; part of each event's ID, so a poll repeated after a crash repeats the IDs. */
	takenAt: string;
	/** Status by organization ID. */
	statuses: Record<string, string | null>;
	/** Onboarding details of organizations in onboarding: null when the customer does not share them. */
	details: Record<string, DetailsState | null>;
	/** Whether organizations were left out to stay within MAX_TRACKED_ORGANIZATIONS. */
	truncated: boolean;
}

/** One poll's reading of Pliant, in list order. */
export interface Observation {
	organizations: Organization[];
	/** Details read this poll: null when not shared. Organizations not read are absent. */
	details: Map<string, DetailsState | null>;
}

const STATIC_DATA_KEY = 'onboardingSnapshot';

export function isOnboarding(status: unknown): boolean {
	return typeof status === 'string' && status.startsWith(ONBOARDING_STATUS_PREFIX);
}

/** The status values of normalised onboarding details, keyed so that a later poll can compare. */
export function detailsState(details: NormalisedOnboardingDetails): DetailsState {
	const representatives: Record<string, RepresentativeState> = {};
	for (const representative of details.representatives) {
		if (!representative.representativeId) continue; // cannot be followed without an ID
		representatives[representative.representativeId] = {
			submission: representative.submissionStatus,
			legitimation: representative.legitimationStatus,
		};
	}
	const documents: Record<string, string | null> = {};
	for (const document of details.documents) {
		const category = document.category ?? '';
		let key = category;
		for (let n = 2; key in documents; n++) key = `${category}#${n}`;
		documents[key] = document.customerStatus;
	}
	return {
		representatives,
		documents,
		bankConnection: details.bankConnectionStatus,
		directDebit: details.directDebitStatus,
	};
}

/** The document category a details key stands for. */
export function categoryOfKey(key: string): string | null {
	const category = key.replace(/#\d+$/, '');
	return category === '' ? null : category;
}

/** The snapshot of the account, or undefined before the first poll (or after a credential change). */
export function readSnapshot(staticData: IDataObject, account: string): Snapshot | undefined {
	const stored = staticData[STATIC_DATA_KEY] as Snapshot | undefined;
	if (!stored || typeof stored !== 'object' || stored.account !== account) return undefined;
	if (!stored.statuses || typeof stored.statuses !== 'object') return undefined;
	return { ...stored, details: stored.details ?? {}, truncated: stored.truncated === true };
}

export function writeSnapshot(staticData: IDataObject, snapshot: Snapshot): void {
	// A new object each time: n8n notices the change and saves it with the workflow.
	staticData[STATIC_DATA_KEY] = snapshot as unknown as IDataObject;
}

/**
 * Whether two snapshots hold the same state. An unchanged snapshot is not rewritten: its
 * `takenAt`, part of every event ID, then stays what n8n last saved.
 */
export function sameState(a: Snapshot, b: Snapshot): boolean {
	const state = (s: Snapshot) => JSON.stringify([s.statuses, s.details, s.truncated]);
	return state(a) === state(b);
}

/**
 * The snapshot after a poll. Organizations in onboarding come first (they still change), then
 * the others in list order, up to MAX_TRACKED_ORGANIZATIONS. Details are kept only while an
 * organization is onboarding.
 */
export function takeSnapshot(
	observation: Observation,
	account: string,
	takenAt: Date,
	limit: number = MAX_TRACKED_ORGANIZATIONS,
): Snapshot {
	const onboarding = observation.organizations.filter((o) => isOnboarding(o.status));
	const others = observation.organizations.filter((o) => !isOnboarding(o.status));
	const kept = [...onboarding, ...others].slice(0, limit);
	const statuses: Record<string, string | null> = {};
	const details: Record<string, DetailsState | null> = {};
	for (const organization of kept) {
		const id = organization.organizationId;
		statuses[id] = organization.status ?? null;
		if (isOnboarding(organization.status) && observation.details.has(id)) {
			details[id] = observation.details.get(id) ?? null;
		}
	}
	return {
		account,
		takenAt: takenAt.toISOString(),
		statuses,
		details,
		truncated: observation.organizations.length > kept.length,
	};
}
