/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev server, never published */
/**
 * The onboarding simulation: a lead becomes an organization (step 1, ORGANIZATION_ADDED),
 * then walks through steps 2..11 up to AUTHORIZATION_PENDING; the partner's Activate call
 * then grants the authorization. Every step changes the organization and its `/risk`
 * details first and then emits its callback(s), so a receiver that reads the API on a
 * callback sees the new state.
 *
 * Onboarding events (everything but ORGANIZATION_ADDED and AUTHORIZATION_*) are only sent
 * when the organization shares its details, as Pliant sends them only on opt-in.
 */
import { randomUUID } from 'node:crypto';

import {
	CURRENCY,
	ERROR_CODES,
	type CallbackBody,
	type EventType,
	type OrganizationStatus,
} from '../nodes/shared/contract';
import type { DeliveryService } from './delivery';
import { EmulatorError } from './http';
import type { EmulatorState, LeadRecord, OrganizationRecord } from './state';

export const LAST_STEP = 11;

/** What each step does, for the control API and the README. */
export const STEP_NAMES: Record<number, string> = {
	1: 'ORGANIZATION_ADDED (organization created, status ONBOARDING_STARTED)',
	2: 'ORGANIZATION_STATE_CHANGED ONBOARDING_STARTED → ONBOARDING_RISK_AND_COMPLIANCE',
	3: 'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED INTERNAL_ONLY → INFO_REQUESTED',
	4: 'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED INFO_REQUESTED → SUBMITTED',
	5: 'REPRESENTATIVE_LEGITIMATION_STATUS_CHANGED PENDING → VERIFIED',
	6: 'DOCUMENT_CUSTOMER_STATUS_CHANGED COMPANY_REGISTRY_EXTRACT REQUESTED → UPLOADED',
	7: 'ORGANIZATION_STATE_CHANGED ONBOARDING_RISK_AND_COMPLIANCE → ONBOARDING_MANDATES_AND_TERMS',
	8: 'BANK_CONNECTION_STATUS_CHANGED NOT_CONNECTED → CONNECTED',
	9: 'DIRECT_DEBIT_STATUS_CHANGED PENDING → ACTIVE',
	10: 'ORGANIZATION_STATE_CHANGED ONBOARDING_MANDATES_AND_TERMS → ACTIVE',
	11: 'AUTHORIZATION_PENDING',
};

/** Sent whether or not the customer opted in to sharing onboarding details. */
const ALWAYS_SENT = new Set<string>([
	'ORGANIZATION_ADDED',
	'AUTHORIZATION_PENDING',
	'AUTHORIZATION_GRANTED',
]);

const DOCUMENT_CATEGORY = 'COMPANY_REGISTRY_EXTRACT';
const DEFAULT_CREDIT_LIMIT_CENTS = 2_500_000;

export interface StepResult {
	organizationId: string;
	step: number;
	stepName: string;
	status: string | undefined;
	/** Callback bodies sent to subscribers. */
	events: CallbackBody[];
	/** Bodies not sent because the organization does not share onboarding details. */
	suppressed: CallbackBody[];
	callbacks: number;
}

function nowIso(): string {
	return new Date().toISOString();
}

function event(
	eventType: EventType,
	organizationId: string,
	fields: Omit<CallbackBody, 'eventType' | 'organizationId'> = {},
): CallbackBody {
	return { eventType, organizationId, ...fields };
}

/** Only a lead Pliant has not decided on yet can be onboarded or rejected. */
function assertReceived(lead: LeadRecord): void {
	if (lead.status === 'RECEIVED') return;
	throw new EmulatorError(409, ERROR_CODES.illegalStatusTransition, `Lead ${lead.leadId} is ${lead.status}, not RECEIVED`, {
		leadId: lead.leadId,
		organizationId: lead.organizationId,
	});
}

export class Onboarding {
	private timers = new Set<ReturnType<typeof setTimeout>>();

	constructor(
		private readonly state: EmulatorState,
		private readonly deliveries: DeliveryService,
		private readonly log: (line: string) => void,
		private readonly persist: () => void,
	) {}

	/* ---------------------------------------------------------------- manual steps */

	/** Step 1: Pliant starts onboarding a lead. */
	onboardLead(lead: LeadRecord): StepResult {
		assertReceived(lead);
		const company = lead.request.company;
		const contacts = lead.request.contactPersons ?? [];
		const primary = contacts.find((contact) => contact.isPrimary) ?? contacts[0];
		const organizationId = randomUUID();
		const createdAt = nowIso();
		const record: OrganizationRecord = {
			organization: {
				organizationId,
				name: company.name,
				status: 'ONBOARDING_STARTED',
				partnersOrganizationId: lead.partnerOrganizationId,
				tradeName: company.tradeName,
				legalForm: company.legalForm,
				country: company.country,
				accountType: 'CREDIT',
				creditLimit: { value: 0, currency: CURRENCY },
				availableLimit: { value: 0, currency: CURRENCY },
				syncType: 'FULL',
				integrationType: 'CUSTOMER',
				paymentFrequency: 'MONTHLY',
				vatId: company.vatId,
				nationalRegisterId: company.nationalRegisterId,
				nationalRegisterCourt: company.nationalRegisterCourt,
				foundationDate: null,
				cardsAccount: [],
				createdAt,
				updatedAt: createdAt,
			},
			leadId: lead.leadId,
			step: 1,
			detailsShared: this.state.config.detailsSharedByDefault,
			authorizationStatus: 'NONE',
			details: {
				organizationId,
				representatives: [
					{
						representativeId: randomUUID(),
						name: primary ? `${primary.firstName} ${primary.lastName}` : 'Company Representative',
						submissionStatus: 'INTERNAL_ONLY',
						legitimationStatus: 'PENDING',
					},
				],
				documents: [{ category: DOCUMENT_CATEGORY, customerStatus: 'REQUESTED' }],
				bankConnection: { status: 'NOT_CONNECTED' },
				directDebit: { status: 'PENDING' },
			},
		};
		this.state.organizations.set(organizationId, record);
		lead.status = 'ONBOARDING';
		lead.organizationId = organizationId;
		this.log(
			`lead ${lead.leadId} (${lead.partnerOrganizationId}) → organization ${organizationId}`,
		);
		return this.emit(record, [
			event('ORGANIZATION_ADDED', organizationId, {
				partnerOrganizationId: lead.partnerOrganizationId,
				organizationName: company.name,
			}),
		]);
	}

	rejectLead(lead: LeadRecord): LeadRecord {
		assertReceived(lead);
		lead.status = 'REJECTED';
		lead.rejectedAt = nowIso();
		return lead;
	}

	/** One step forward (2..11). */
	advance(record: OrganizationRecord): StepResult {
		if (record.step >= LAST_STEP) {
			throw new EmulatorError(
				409,
				ERROR_CODES.illegalStatusTransition,
				`Organization ${record.organization.organizationId} finished onboarding (step ${LAST_STEP}, authorization ${record.authorizationStatus}); call POST /api/organizations/{id}/activate`,
			);
		}
		record.step++;
		const events = this.applyStep(record, record.step);
		record.organization.updatedAt = nowIso();
		return this.emit(record, events);
	}

	/** Every remaining step up to AUTHORIZATION_PENDING, delivered as one batch. */
	complete(record: OrganizationRecord): StepResult {
		const events: CallbackBody[] = [];
		while (record.step < LAST_STEP) {
			record.step++;
			events.push(...this.applyStep(record, record.step));
		}
		record.organization.updatedAt = nowIso();
		return this.emit(record, events);
	}

	/** The partner's Activate call: AUTHORIZATION_PENDING → AUTHORIZATION_GRANTED. */
	activate(record: OrganizationRecord, syncFromDate: string | undefined): StepResult {
		if (record.authorizationStatus !== 'PENDING') {
			throw new EmulatorError(
				409,
				ERROR_CODES.illegalStatusTransition,
				record.authorizationStatus === 'GRANTED'
					? 'The authorization was already granted'
					: `The organization is not in AUTHORIZATION_PENDING state (onboarding step ${record.step} of ${LAST_STEP})`,
			);
		}
		record.authorizationStatus = 'GRANTED';
		record.syncFromDate = syncFromDate ?? null;
		record.organization.updatedAt = nowIso();
		return this.emit(record, [event('AUTHORIZATION_GRANTED', record.organization.organizationId)]);
	}

	/* ---------------------------------------------------------------- automatic mode */

	/** With `onboardingDelayMs`, a new lead is onboarded after the delay, then walks every `stepIntervalMs`. */
	scheduleLead(leadId: string): void {
		const { onboardingDelayMs } = this.state.config;
		if (onboardingDelayMs <= 0) return;
		this.later(onboardingDelayMs, () => {
			const lead = this.state.leads.get(leadId);
			if (!lead || lead.status !== 'RECEIVED') return;
			const result = this.onboardLead(lead);
			this.persist();
			this.scheduleWalk(result.organizationId);
		});
	}

	/** After a restart with --state and automatic mode on: pick up where things were. */
	resume(): void {
		if (this.state.config.onboardingDelayMs <= 0) return;
		for (const lead of this.state.leads.values()) {
			if (lead.status === 'RECEIVED') this.scheduleLead(lead.leadId);
		}
		for (const record of this.state.organizations.values()) {
			if (record.step < LAST_STEP) this.scheduleWalk(record.organization.organizationId);
		}
	}

	cancelTimers(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	private scheduleWalk(organizationId: string): void {
		this.later(this.state.config.stepIntervalMs, () => {
			const record = this.state.organizations.get(organizationId);
			// A manual `advance`/`complete` may have got there first.
			if (!record || record.step >= LAST_STEP) return;
			this.advance(record);
			this.persist();
			if (record.step < LAST_STEP) this.scheduleWalk(organizationId);
		});
	}

	private later(ms: number, run: () => void): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			try {
				run();
			} catch (error) {
				this.log(`automatic onboarding: ${(error as Error).message}`);
			}
		}, ms);
		this.timers.add(timer);
	}

	/* ---------------------------------------------------------------- internals */

	private emit(record: OrganizationRecord, events: CallbackBody[]): StepResult {
		const sent = events.filter((body) => record.detailsShared || ALWAYS_SENT.has(body.eventType));
		const suppressed = events.filter((body) => !sent.includes(body));
		const partnerOrganizationId = record.organization.partnersOrganizationId ?? undefined;
		const deliveries = this.deliveries.dispatch(
			sent.map((body) => ({ body, partnerOrganizationId })),
		);
		return {
			organizationId: record.organization.organizationId,
			step: record.step,
			stepName: STEP_NAMES[record.step],
			status: record.organization.status,
			events: sent,
			suppressed,
			callbacks: deliveries.length,
		};
	}

	private setStatus(record: OrganizationRecord, next: OrganizationStatus): CallbackBody {
		const before = record.organization.status ?? null;
		record.organization.status = next;
		if (next === 'ACTIVE') {
			const spend =
				(record.leadId &&
					this.state.leads.get(record.leadId)?.request.company.expectedMonthlySpend?.value) ||
				0;
			const limit = spend > 0 ? spend * 2 : DEFAULT_CREDIT_LIMIT_CENTS;
			record.organization.creditLimit = { value: limit, currency: CURRENCY };
			record.organization.availableLimit = { value: limit, currency: CURRENCY };
		}
		return event('ORGANIZATION_STATE_CHANGED', record.organization.organizationId, {
			statusChange: { beforeChange: before, afterChange: next },
		});
	}

	/** Changes the organization for `step` and returns the callback bodies it causes. */
	private applyStep(record: OrganizationRecord, step: number): CallbackBody[] {
		const id = record.organization.organizationId;
		const representative = record.details.representatives[0];
		const document = record.details.documents[0];
		const change = (before: string | undefined, after: string) => ({
			statusChange: { beforeChange: before ?? null, afterChange: after },
		});
		switch (step) {
			case 2:
				return [this.setStatus(record, 'ONBOARDING_RISK_AND_COMPLIANCE')];
			case 3:
			case 4: {
				const before = representative.submissionStatus;
				representative.submissionStatus = step === 3 ? 'INFO_REQUESTED' : 'SUBMITTED';
				return [
					event('REPRESENTATIVE_SUBMISSION_STATUS_CHANGED', id, {
						representativeId: representative.representativeId,
						...change(before, representative.submissionStatus),
					}),
				];
			}
			case 5: {
				const before = representative.legitimationStatus;
				representative.legitimationStatus = 'VERIFIED';
				return [
					event('REPRESENTATIVE_LEGITIMATION_STATUS_CHANGED', id, {
						representativeId: representative.representativeId,
						...change(before, 'VERIFIED'),
					}),
				];
			}
			case 6: {
				const before = document.customerStatus;
				document.customerStatus = 'UPLOADED';
				return [
					event('DOCUMENT_CUSTOMER_STATUS_CHANGED', id, {
						category: document.category,
						...change(before, 'UPLOADED'),
					}),
				];
			}
			case 7:
				return [this.setStatus(record, 'ONBOARDING_MANDATES_AND_TERMS')];
			case 8: {
				const before = record.details.bankConnection?.status;
				record.details.bankConnection = { status: 'CONNECTED' };
				return [event('BANK_CONNECTION_STATUS_CHANGED', id, change(before, 'CONNECTED'))];
			}
			case 9: {
				const before = record.details.directDebit?.status;
				record.details.directDebit = { status: 'ACTIVE' };
				return [event('DIRECT_DEBIT_STATUS_CHANGED', id, change(before, 'ACTIVE'))];
			}
			case 10:
				return [this.setStatus(record, 'ACTIVE')];
			case 11:
				record.authorizationStatus = 'PENDING';
				return [event('AUTHORIZATION_PENDING', id)];
			default:
				return [];
		}
	}
}
