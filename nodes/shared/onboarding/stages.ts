import { ONBOARDING_PATH, type OrganizationStatus } from '../contract';
import { label, titleCase } from '../text';

/** Where an organization stands, in words an ops team can paste into a message. */
export interface Stage {
	/** e.g. "Risk and compliance"; null when Pliant sent no status. */
	label: string | null;
	/** 1-based step on the onboarding path; null off the path (deactivated, cancelled, unknown). */
	position: number | null;
	count: number;
	/** e.g. "Risk and compliance — step 2 of 4". */
	summary: string | null;
}

const LABELS: Record<OrganizationStatus, string> = {
	ONBOARDING_STARTED: 'Onboarding started',
	ONBOARDING_RISK_AND_COMPLIANCE: 'Risk and compliance',
	ONBOARDING_MANDATES_AND_TERMS: 'Mandates and terms',
	ACTIVE: 'Active',
	DEACTIVATED: 'Deactivated',
	CANCELLED: 'Cancelled',
};

export const STAGE_COUNT = ONBOARDING_PATH.length;

/** The human label of a status; unknown statuses get a readable version of their own name. */
export function stageLabel(status: string): string {
	return label(status, LABELS);
}

export function stageOf(status: unknown): Stage {
	if (typeof status !== 'string' || status.trim() === '') {
		return { label: null, position: null, count: STAGE_COUNT, summary: null };
	}
	const label = stageLabel(status);
	const index = (ONBOARDING_PATH as readonly string[]).indexOf(status);
	if (index < 0) return { label, position: null, count: STAGE_COUNT, summary: label };
	const position = index + 1;
	return {
		label,
		position,
		count: STAGE_COUNT,
		summary: `${label} — step ${position} of ${STAGE_COUNT}`,
	};
}

/** Dropdown options for a status filter: every documented status, sorted by display name. */
export function statusOptions(statuses: readonly OrganizationStatus[]) {
	return statuses
		.map((status) => {
			const stage = stageOf(status);
			return {
				name: titleCase(LABELS[status]),
				value: status,
				description:
					stage.position === null
						? `Status ${status}`
						: `Status ${status}, step ${stage.position} of ${STAGE_COUNT} of onboarding`,
			};
		})
		.sort((a, b) => a.name.localeCompare(b.name));
}
