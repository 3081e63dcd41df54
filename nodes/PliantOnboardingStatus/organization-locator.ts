import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ORGANIZATION_LIST_QUERY as QUERY } from '../shared/contract';
import { buildError } from '../shared/errors/failure';
import { FieldReader } from '../shared/fields/readers';
import { readOrganizationPages } from '../shared/onboarding/organization-pages';
import { checkOrganizationId, ORGANIZATION_ID_FIELD, organizationIdProperty, UUID_PATTERN } from './organization-id';

export const ORGANIZATION_FIELD = 'Organization';

export const LOCATOR_MODES = { list: 'list', partner: 'partnerOrganizationId', id: 'id' } as const;

/** Version 2's field: pick the organization from Pliant's list, by your CRM's ID, or by ID. */
export const organizationLocatorProperty: INodeProperties = {
	displayName: ORGANIZATION_FIELD,
	name: 'organizationId',
	type: 'resourceLocator',
	default: { mode: LOCATOR_MODES.list, value: '' },
	required: true,
	description: 'The organization Pliant onboards for your referred lead',
	modes: [
		{
			displayName: 'From List',
			name: LOCATOR_MODES.list,
			type: 'list',
			placeholder: 'Select an organization...',
			typeOptions: { searchListMethod: 'searchOrganizations', searchable: true },
		},
		{
			displayName: 'By Partner Organization ID',
			name: LOCATOR_MODES.partner,
			type: 'string',
			placeholder: 'e.g. crm-4711',
			hint: "Your CRM's ID, sent with the lead; the node looks up Pliant's organization for it",
		},
		{
			displayName: 'By ID',
			name: LOCATOR_MODES.id,
			type: 'string',
			placeholder: 'e.g. b1f8e35c-c500-4bbf-aa20-3dc14b83ff19',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: UUID_PATTERN,
						errorMessage: "Not a Pliant organization ID (a UUID). For your CRM's ID, use By Partner Organization ID.",
					},
				},
			],
		},
	],
};

/** What one item names: Pliant's ID, or the partner's ID still to be looked up. */
export type OrganizationReference =
	| { kind: 'id'; organizationId: string }
	| { kind: 'partner'; partnerOrganizationId: string };

function partnerReference(this: IExecuteFunctions, raw: unknown, itemIndex: number): OrganizationReference {
	const partnerOrganizationId = new FieldReader(this.getNode(), itemIndex).required(
		raw,
		`${ORGANIZATION_FIELD} (By Partner Organization ID)`,
		"Enter your CRM's ID for the organization (the partner organization ID sent with the lead), or map it.",
	);
	return { kind: 'partner', partnerOrganizationId };
}

/**
 * Reads the organization of one item, without asking Pliant: version 1 holds a plain string,
 * version 2 a resource locator `{ mode, value }`. Invalid input fails here, naming the item.
 */
export function readOrganizationReference(this: IExecuteFunctions, itemIndex: number): OrganizationReference {
	const raw = this.getNodeParameter('organizationId', itemIndex, '') as unknown;
	if (raw !== null && typeof raw === 'object') {
		const locator = raw as IDataObject;
		if (locator.mode === LOCATOR_MODES.partner) return partnerReference.call(this, locator.value, itemIndex);
		return { kind: 'id', organizationId: checkOrganizationId.call(this, locator.value, itemIndex) };
	}
	return { kind: 'id', organizationId: checkOrganizationId.call(this, raw, itemIndex) };
}

function lookupError(this: IExecuteFunctions, partnerId: string, count: number, itemIndex: number) {
	const found = count === 0 ? 'No Pliant organization has' : `${count} Pliant organizations have`;
	return buildError(this.getNode(), {
		message: `${found} partner organization ID "${partnerId}"`,
		itemIndex,
		namesItem: true,
		description:
			count === 0
				? "Pliant creates the organization when it starts onboarding the lead, so a lead referred minutes ago may not have one yet. Check the ID and the credential's environment."
				: `Pick the organization From List or By ID (${ORGANIZATION_ID_FIELD}) instead.`,
	});
}

/** Pliant's organization ID for a reference, or the partner ID that no organization has (yet). */
export type FoundOrganization = { found: true; organizationId: string } | { found: false; partnerOrganizationId: string };

/**
 * Looks up the organization of a reference. A partner ID is looked up with the list's partner
 * filter; the pages are also filtered here, so the answer is right even where Pliant ignores
 * the filter. Two or more matches fail; none is for the caller to judge (`found: false`).
 */
export async function findOrganization(
	this: IExecuteFunctions,
	reference: OrganizationReference,
	itemIndex: number,
): Promise<FoundOrganization> {
	if (reference.kind === 'id') return { found: true, organizationId: reference.organizationId };
	const partnerId = reference.partnerOrganizationId;
	const matches = await readOrganizationPages.call(this, {
		query: { [QUERY.partnersOrganizationId]: partnerId },
		wanted: 2,
		keep: (organization) => organization.partnersOrganizationId === partnerId,
		pageSize: QUERY.maxLimit,
		itemIndex,
	});
	if (matches.length > 1) throw lookupError.call(this, partnerId, matches.length, itemIndex);
	if (matches.length === 0) return { found: false, partnerOrganizationId: partnerId };
	return { found: true, organizationId: matches[0].organizationId };
}

/** The organization ID of a lookup, or the error that no organization has the partner ID. */
export function requireFound(this: IExecuteFunctions, found: FoundOrganization, itemIndex: number): string {
	if (!found.found) throw lookupError.call(this, found.partnerOrganizationId, 0, itemIndex);
	return found.organizationId;
}

/** Pliant's organization ID for a reference; exactly one match is accepted. */
export async function resolveOrganizationId(
	this: IExecuteFunctions,
	reference: OrganizationReference,
	itemIndex: number,
): Promise<string> {
	return requireFound.call(this, await findOrganization.call(this, reference, itemIndex), itemIndex);
}

/** The Organization field of Get, Get Onboarding Details and Activate Authorization, per node version. */
export const organizationProperties: INodeProperties[] = [
	{ ...organizationIdProperty, displayOptions: { show: { '@version': [1] } } },
	{ ...organizationLocatorProperty, displayOptions: { show: { '@version': [2] } } },
];
