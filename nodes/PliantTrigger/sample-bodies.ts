import type { CallbackBody, EventType } from '../shared/contract';
import { ALL_EVENTS, normaliseEventType, resolveSelectedEvents } from '../shared/onboarding/events';

/** Made-up identifiers, recognisable as such, in the shape Pliant uses. */
export const SAMPLE_ORGANIZATION_ID = '00000000-0000-4000-8000-00000000a001';
const SAMPLE_REPRESENTATIVE_ID = '00000000-0000-4000-8000-00000000b001';

const change = (beforeChange: string | null, afterChange: string) => ({
	statusChange: { beforeChange, afterChange },
});

/** One body per event type, as Pliant sends it (docs/pliant-contract.md), with sample values. */
const SAMPLE_FIELDS: Record<EventType, Omit<CallbackBody, 'eventType' | 'organizationId'>> = {
	AUTHORIZATION_GRANTED: {},
	AUTHORIZATION_PENDING: {},
	BANK_CONNECTION_STATUS_CHANGED: change('NOT_CONNECTED', 'CONNECTED'),
	DIRECT_DEBIT_STATUS_CHANGED: change('PENDING', 'ACTIVE'),
	DOCUMENT_CUSTOMER_STATUS_CHANGED: { category: 'COMPANY_REGISTRY_EXTRACT', ...change('REQUESTED', 'UPLOADED') },
	ORGANIZATION_ADDED: { partnerOrganizationId: 'crm-sample-0001', organizationName: 'Sample Company GmbH' },
	ORGANIZATION_STATE_CHANGED: change('ONBOARDING_STARTED', 'ONBOARDING_RISK_AND_COMPLIANCE'),
	REPRESENTATIVE_LEGITIMATION_STATUS_CHANGED: {
		representativeId: SAMPLE_REPRESENTATIVE_ID,
		...change('PENDING', 'VERIFIED'),
	},
	REPRESENTATIVE_SUBMISSION_STATUS_CHANGED: {
		representativeId: SAMPLE_REPRESENTATIVE_ID,
		...change('INTERNAL_ONLY', 'INFO_REQUESTED'),
	},
};

export function sampleBody(eventType: EventType): CallbackBody {
	return { eventType, organizationId: SAMPLE_ORGANIZATION_ID, ...SAMPLE_FIELDS[eventType] };
}

/**
 * The event type the sample shows: the first one picked under "Trigger On", in the order the
 * user picked them; "All Onboarding Events" shows Organization Added, the first event of a lead.
 */
export function firstSelectedEvent(selected: unknown): EventType | undefined {
	const values = Array.isArray(selected) ? selected.map(String) : [];
	for (const value of values) {
		if (value === ALL_EVENTS) return 'ORGANIZATION_ADDED';
		const [eventType] = resolveSelectedEvents([normaliseEventType(value)]);
		if (eventType) return eventType;
	}
	return undefined;
}
