import type { Organization } from '../../../nodes/shared/contract';
import {
	EMPTY_SNAPSHOT,
	currentStateBodies,
	detectChanges,
} from '../../../nodes/PliantOnboardingStatusTrigger/changes';
import {
	detailsState,
	takeSnapshot,
	type DetailsState,
	type Observation,
} from '../../../nodes/PliantOnboardingStatusTrigger/snapshot';
import { normaliseOnboardingDetails } from '../../../nodes/shared/onboarding/details';

const AT = new Date('2026-01-15T12:00:00.000Z');

function org(id: string, status: string, partner = `crm-${id}`): Organization {
	return { organizationId: id, name: `Company ${id}`, status, partnersOrganizationId: partner };
}

function details(overrides: Partial<DetailsState> = {}): DetailsState {
	return {
		representatives: { rep1: { submission: 'INTERNAL_ONLY', legitimation: 'PENDING' } },
		documents: { COMPANY_REGISTRY_EXTRACT: 'REQUESTED' },
		bankConnection: 'NOT_CONNECTED',
		directDebit: 'PENDING',
		...overrides,
	};
}

function observe(organizations: Organization[], read: Record<string, DetailsState | null> = {}): Observation {
	return { organizations, details: new Map(Object.entries(read)) };
}

/** The snapshot a poll of `observation` leaves behind. */
function after(observation: Observation) {
	return takeSnapshot(observation, 'acct', AT);
}

describe('detectChanges', () => {
	it('reports a newly seen organization as ORGANIZATION_ADDED with the partner organization ID', () => {
		const previous = after(observe([org('a', 'ACTIVE')]));
		const changes = detectChanges(previous, observe([org('a', 'ACTIVE'), org('b', 'ONBOARDING_STARTED')], { b: details() }));
		expect(changes.map((c) => c.body)).toEqual([
			{ eventType: 'ORGANIZATION_ADDED', organizationId: 'b', partnerOrganizationId: 'crm-b', organizationName: 'Company b' },
		]);
	});

	it('adds the status when a new organization is already past the first step (before: null)', () => {
		const changes = detectChanges(after(observe([])), observe([org('b', 'ONBOARDING_RISK_AND_COMPLIANCE')]));
		expect(changes.map((c) => c.body.eventType)).toEqual(['ORGANIZATION_ADDED', 'ORGANIZATION_STATE_CHANGED']);
		expect(changes[1].body.statusChange).toEqual({ beforeChange: null, afterChange: 'ONBOARDING_RISK_AND_COMPLIANCE' });
	});

	it('reports a status change with before and after', () => {
		const previous = after(observe([org('a', 'ONBOARDING_STARTED')], { a: details() }));
		const changes = detectChanges(previous, observe([org('a', 'ONBOARDING_RISK_AND_COMPLIANCE')], { a: details() }));
		expect(changes.map((c) => c.body)).toEqual([
			{
				eventType: 'ORGANIZATION_STATE_CHANGED',
				organizationId: 'a',
				statusChange: { beforeChange: 'ONBOARDING_STARTED', afterChange: 'ONBOARDING_RISK_AND_COMPLIANCE' },
			},
		]);
	});

	it('reports each onboarding step of the details as the callback would', () => {
		const previous = after(observe([org('a', 'ONBOARDING_RISK_AND_COMPLIANCE')], { a: details() }));
		const now = details({
			representatives: { rep1: { submission: 'INFO_REQUESTED', legitimation: 'VERIFIED' } },
			documents: { COMPANY_REGISTRY_EXTRACT: 'UPLOADED' },
			bankConnection: 'CONNECTED',
			directDebit: 'ACTIVE',
		});
		const bodies = detectChanges(previous, observe([org('a', 'ONBOARDING_RISK_AND_COMPLIANCE')], { a: now })).map((c) => c.body);
		expect(bodies).toEqual([
			{
				eventType: 'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED',
				organizationId: 'a',
				representativeId: 'rep1',
				statusChange: { beforeChange: 'INTERNAL_ONLY', afterChange: 'INFO_REQUESTED' },
			},
			{
				eventType: 'REPRESENTATIVE_LEGITIMATION_STATUS_CHANGED',
				organizationId: 'a',
				representativeId: 'rep1',
				statusChange: { beforeChange: 'PENDING', afterChange: 'VERIFIED' },
			},
			{
				eventType: 'DOCUMENT_CUSTOMER_STATUS_CHANGED',
				organizationId: 'a',
				category: 'COMPANY_REGISTRY_EXTRACT',
				statusChange: { beforeChange: 'REQUESTED', afterChange: 'UPLOADED' },
			},
			{
				eventType: 'BANK_CONNECTION_STATUS_CHANGED',
				organizationId: 'a',
				statusChange: { beforeChange: 'NOT_CONNECTED', afterChange: 'CONNECTED' },
			},
			{
				eventType: 'DIRECT_DEBIT_STATUS_CHANGED',
				organizationId: 'a',
				statusChange: { beforeChange: 'PENDING', afterChange: 'ACTIVE' },
			},
		]);
	});

	it('reports nothing when nothing changed, and treats the first details reading as the baseline', () => {
		const previous = after(observe([org('a', 'ONBOARDING_STARTED')], { a: null }));
		expect(detectChanges(previous, observe([org('a', 'ONBOARDING_STARTED')], { a: null }))).toEqual([]);
		// the customer starts sharing: the first reading is only remembered
		expect(detectChanges(previous, observe([org('a', 'ONBOARDING_STARTED')], { a: details() }))).toEqual([]);
	});

	it('reports a representative or document that appears later with before: null', () => {
		const previous = after(observe([org('a', 'ONBOARDING_STARTED')], { a: details() }));
		const now = details({
			representatives: {
				rep1: { submission: 'INTERNAL_ONLY', legitimation: 'PENDING' },
				rep2: { submission: 'INFO_REQUESTED', legitimation: null },
			},
			documents: { COMPANY_REGISTRY_EXTRACT: 'REQUESTED', 'COMPANY_REGISTRY_EXTRACT#2': 'REQUESTED' },
		});
		const bodies = detectChanges(previous, observe([org('a', 'ONBOARDING_STARTED')], { a: now })).map((c) => c.body);
		expect(bodies).toEqual([
			expect.objectContaining({
				eventType: 'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED',
				representativeId: 'rep2',
				statusChange: { beforeChange: null, afterChange: 'INFO_REQUESTED' },
			}),
			expect.objectContaining({
				eventType: 'DOCUMENT_CUSTOMER_STATUS_CHANGED',
				category: 'COMPANY_REGISTRY_EXTRACT',
				statusChange: { beforeChange: null, afterChange: 'REQUESTED' },
			}),
		]);
	});

	it('treats every organization as new against the empty snapshot (emit current state)', () => {
		const bodies = detectChanges(EMPTY_SNAPSHOT, observe([org('a', 'ONBOARDING_STARTED'), org('b', 'ACTIVE')])).map(
			(c) => [c.body.organizationId, c.body.eventType],
		);
		expect(bodies).toEqual([
			['a', 'ORGANIZATION_ADDED'],
			['b', 'ORGANIZATION_ADDED'],
			['b', 'ORGANIZATION_STATE_CHANGED'],
		]);
	});

	it('after a truncated snapshot, counts only untracked organizations in onboarding as new', () => {
		const many = [org('done-1', 'ACTIVE'), org('done-2', 'ACTIVE'), org('on-1', 'ONBOARDING_STARTED')];
		const previous = takeSnapshot(observe(many), 'acct', AT, 2);
		expect(previous.truncated).toBe(true);
		expect(Object.keys(previous.statuses)).toEqual(['on-1', 'done-1']);
		const changes = detectChanges(previous, observe([...many, org('on-2', 'ONBOARDING_STARTED')]));
		expect(changes.map((c) => c.body.organizationId)).toEqual(['on-2']);
	});
});

describe('takeSnapshot', () => {
	it('keeps details only while an organization is onboarding', () => {
		const snapshot = after(
			observe([org('a', 'ONBOARDING_STARTED'), org('b', 'ACTIVE'), org('c', 'ONBOARDING_STARTED')], {
				a: details(),
				b: details(),
				c: null,
			}),
		);
		expect(snapshot.statuses).toEqual({ a: 'ONBOARDING_STARTED', c: 'ONBOARDING_STARTED', b: 'ACTIVE' });
		expect(Object.keys(snapshot.details).sort()).toEqual(['a', 'c']);
		expect(snapshot.details.c).toBeNull();
	});

	it('stays within its bound: onboarding organizations first, then the others in list order', () => {
		const organizations = Array.from({ length: 30 }, (_, i) => org(`o${i}`, i % 3 === 0 ? 'ONBOARDING_STARTED' : 'ACTIVE'));
		const snapshot = takeSnapshot(observe(organizations), 'acct', AT, 12);
		expect(Object.keys(snapshot.statuses)).toHaveLength(12);
		expect(Object.values(snapshot.statuses).filter((s) => s === 'ONBOARDING_STARTED')).toHaveLength(10);
		expect(snapshot.truncated).toBe(true);
	});
});

describe('detailsState', () => {
	it('keys representatives by ID and documents by category, repeated categories numbered', () => {
		const normalised = normaliseOnboardingDetails(
			{
				organizationId: 'a',
				representatives: [{ representativeId: 'r1', submissionStatus: 'INFO_REQUESTED' }],
				documents: [
					{ category: 'ID_CARD', customerStatus: 'REQUESTED' },
					{ category: 'ID_CARD', customerStatus: 'UPLOADED' },
				],
				bankConnection: { status: 'CONNECTED' },
			},
			'a',
		);
		expect(detailsState(normalised)).toEqual({
			representatives: { r1: { submission: 'INFO_REQUESTED', legitimation: null } },
			documents: { ID_CARD: 'REQUESTED', 'ID_CARD#2': 'UPLOADED' },
			bankConnection: 'CONNECTED',
			directDebit: null,
		});
	});
});

describe('currentStateBodies', () => {
	it('describes an organization as events, details included', () => {
		const types = currentStateBodies(org('a', 'ONBOARDING_STARTED'), details()).map((b) => b.eventType);
		expect(types).toEqual([
			'ORGANIZATION_ADDED',
			'ORGANIZATION_STATE_CHANGED',
			'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED',
			'REPRESENTATIVE_LEGITIMATION_STATUS_CHANGED',
			'DOCUMENT_CUSTOMER_STATUS_CHANGED',
			'BANK_CONNECTION_STATUS_CHANGED',
			'DIRECT_DEBIT_STATUS_CHANGED',
		]);
	});
});
