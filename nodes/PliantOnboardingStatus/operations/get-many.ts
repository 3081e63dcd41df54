import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	ORGANIZATION_LIST_QUERY as QUERY,
	ORGANIZATION_STATUSES,
	type Organization,
} from '../../shared/contract';
import { inputError } from '../../shared/errors/failure';
import { defineOperation } from '../../shared/execution/operations';
import { readSwitch } from '../../shared/execution/parameters';
import { FieldReader } from '../../shared/fields/readers';
import { readOrganizationPages } from '../../shared/onboarding/organization-pages';
import { statusOptions } from '../../shared/onboarding/stages';
import { shorten } from '../../shared/text';
import { simplifyProperty } from '../shared-properties';
import { simplifyOrganization } from '../simplify';
import { organizationsForAgent } from '../tool-output';

/** One item's request, read and checked before any request of the batch. */
export interface GetManyInput {
	/** Infinity with Return All. */
	limit: number;
	status: string;
	partnerOrganizationId: string;
	simplify: boolean;
}

/** The Limit of one item as a whole number ≥ 1; a mapped value may be a string or nonsense. */
function readLimit(this: IExecuteFunctions, itemIndex: number): number {
	const raw = this.getNodeParameter('limit', itemIndex, 50) as unknown;
	const limit = Number(raw);
	if (typeof raw === 'boolean' || raw === '' || raw === null || !Number.isInteger(limit) || limit < 1) {
		throw inputError(this.getNode(), itemIndex, {
			message: `Limit "${shorten(String(raw))}" is not a whole number of at least 1`,
			description: 'Enter how many organizations to return, or turn on Return All.',
		});
	}
	return limit;
}

export const getMany = defineOperation({
	option: {
		name: 'Get Many',
		action: 'Get many organizations',
		description: 'List organizations, optionally by status or partner organization ID. Changes nothing at Pliant.',
	},
	properties: [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: QUERY.maxLimit },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { returnAll: [false] } },
		},
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [
				{
					displayName: 'Partner Organization ID',
					name: 'partnerOrganizationId',
					type: 'string',
					default: '',
					placeholder: 'e.g. crm-4711',
					description:
						"Only the organization with this partner organization ID (your CRM's ID, sent with the lead). The node also checks each page, in case Pliant ignores the filter.",
				},
				{
					displayName: 'Status',
					name: 'status',
					type: 'options',
					default: 'ONBOARDING_STARTED',
					options: statusOptions(ORGANIZATION_STATUSES),
					description: 'Only organizations in this status',
				},
			],
		},
		simplifyProperty,
	],
	/** Phase 1: every parameter of the item, checked, so a bad Limit stops the batch before any request. */
	prepare(this: IExecuteFunctions, itemIndex: number): GetManyInput {
		const read = new FieldReader(this.getNode(), itemIndex);
		const returnAll = readSwitch.call(this, 'returnAll', itemIndex, false, 'Return All');
		return {
			limit: returnAll ? Infinity : readLimit.call(this, itemIndex),
			// Any text: Pliant may add statuses, and the list is only the editor's help.
			status: read.text(this.getNodeParameter('filters.status', itemIndex, ''), 'Status filter'),
			partnerOrganizationId: read.text(
				this.getNodeParameter('filters.partnerOrganizationId', itemIndex, ''),
				'Partner Organization ID filter',
			),
			simplify: readSwitch.call(this, 'simplify', itemIndex, true, 'Simplify'),
		};
	},
	async send(this: IExecuteFunctions, input: GetManyInput, itemIndex: number): Promise<IDataObject[]> {
		const { limit, status, partnerOrganizationId: partnerId } = input;
		const query: IDataObject = {};
		if (status) query[QUERY.status] = status;
		if (partnerId) query[QUERY.partnersOrganizationId] = partnerId;
		const keep = partnerId
			? (organization: Organization) => organization.partnersOrganizationId === partnerId
			: () => true;
		// One request when Pliant can do the limiting; full pages when the node filters or reads all.
		const pageSize = limit === Infinity || partnerId ? QUERY.maxLimit : Math.min(limit, QUERY.maxLimit);
		const organizations = await readOrganizationPages.call(this, { query, wanted: limit, keep, pageSize, itemIndex });
		return organizations.map((organization) =>
			input.simplify ? simplifyOrganization(organization) : (organization as IDataObject),
		);
	},
	toolOutput: (result) => organizationsForAgent(result),
	concurrency: 4,
});
