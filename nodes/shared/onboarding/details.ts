import type { IDataObject } from 'n8n-workflow';

import { ONBOARDING_DETAIL_STATUSES as STATUSES, type OnboardingDetails } from '../contract';
import { label } from '../text';

type Representative = NonNullable<OnboardingDetails['representatives']>[number];
type Document = NonNullable<OnboardingDetails['documents']>[number];

function representativeName(representative: Representative): string {
	return representative.name?.trim() || representative.representativeId || 'unnamed';
}

/**
 * What still waits on the customer, one line each, ready for a message to the customer or
 * the account manager. Only statuses known to mean "the customer must act" count; any other
 * value is left out here (it still shows, unchanged, in the normalised details).
 */
export function pendingOnCustomer(details: OnboardingDetails): string[] {
	const pending: string[] = [];
	for (const representative of details.representatives ?? []) {
		const name = representativeName(representative);
		if (representative.submissionStatus === STATUSES.representativeSubmission.infoRequested) {
			pending.push(`Representative ${name}: information requested`);
		}
		if (representative.legitimationStatus === STATUSES.representativeLegitimation.pending) {
			pending.push(`Representative ${name}: identity verification pending`);
		}
	}
	for (const document of details.documents ?? []) {
		if (document.customerStatus === STATUSES.documentCustomer.requested) {
			pending.push(
				`Document ${document.category ? label(document.category) : '(no category)'}: requested`,
			);
		}
	}
	const bankStatus = details.bankConnection?.status;
	if (bankStatus && bankStatus !== STATUSES.bankConnection.connected) {
		pending.push(`Bank connection: not connected (${bankStatus})`);
	}
	if (details.directDebit?.status === STATUSES.directDebit.pending) {
		pending.push('Direct debit mandate: pending');
	}
	return pending;
}

/** The `/risk` body in a flat, stable shape. */
export interface NormalisedOnboardingDetails extends IDataObject {
	organizationId: string;
	detailsShared: true;
	representatives: Array<{
		representativeId: string | null;
		name: string | null;
		submissionStatus: string | null;
		legitimationStatus: string | null;
	}>;
	documents: Array<{ category: string | null; customerStatus: string | null }>;
	bankConnectionStatus: string | null;
	directDebitStatus: string | null;
	pendingOnCustomer: string[];
}

/** The `/risk` body in a flat, stable shape; status values pass through unchanged. */
export function normaliseOnboardingDetails(
	details: OnboardingDetails,
	organizationId: string,
): NormalisedOnboardingDetails {
	return {
		organizationId: details.organizationId ?? organizationId,
		detailsShared: true,
		representatives: (details.representatives ?? []).map((representative: Representative) => ({
			representativeId: representative.representativeId ?? null,
			name: representative.name ?? null,
			submissionStatus: representative.submissionStatus ?? null,
			legitimationStatus: representative.legitimationStatus ?? null,
		})),
		documents: (details.documents ?? []).map((document: Document) => ({
			category: document.category ?? null,
			customerStatus: document.customerStatus ?? null,
		})),
		bankConnectionStatus: details.bankConnection?.status ?? null,
		directDebitStatus: details.directDebit?.status ?? null,
		pendingOnCustomer: pendingOnCustomer(details),
	};
}

/** The item for an organization whose owner has not agreed to share onboarding details. */
export function detailsNotSharedItem(organizationId: string): IDataObject {
	return { organizationId, detailsShared: false };
}
