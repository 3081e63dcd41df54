import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import {
	ORGANIZATION_LIST_QUERY as QUERY,
	ORGANIZATION_STATUSES,
	type Organization,
} from '../../shared/contract';
import { readOrganizationPages } from '../../shared/onboarding/organization-pages';
import { simplifyProperty } from '../shared-properties';
import { simplifyOrganization } from '../simplify';
import { statusOptions } from '../../shared/onboarding/stages';

const properties: INodeProperties[] = [
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
					"Only the organization with this partner organization ID (your CRM's ID, sent with the lead). Pliant's list has no such filter, so the node reads the pages and filters them.",
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
];

export const description = updateDisplayOptions({ show: { operation: ['getMany'] } }, properties);

interface GetManyFilters {
	status?: string;
	partnerOrganizationId?: string;
}

/** The Limit of one item as a whole number ≥ 1; a mapped value may be a string or nonsense. */
function readLimit(this: IExecuteFunctions, itemIndex: number): number {
	const raw = this.getNodeParameter('limit', itemIndex, 50) as unknown;
	const limit = Number(raw);
	if (!Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(
			this.getNode(),
			`Limit "${String(raw)}" is not a whole number of at least 1 (item ${itemIndex})`,
			{
				itemIndex,
				description: 'Enter how many organizations to return, or turn on Return All.',
			},
		);
	}
	return limit;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as GetManyFilters;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	const query: IDataObject = {};
	if (filters.status) query[QUERY.status] = filters.status;
	const partnerId = String(filters.partnerOrganizationId ?? '').trim();
	const keep = partnerId
		? (organization: Organization) => organization.partnersOrganizationId === partnerId
		: () => true;
	// One request when Pliant can do the limiting; full pages when the node filters or reads all.
	const pageSize = returnAll || partnerId ? QUERY.maxLimit : Math.min(limit, QUERY.maxLimit);

	const organizations = await readOrganizationPages.call(this, {
		query,
		wanted: limit,
		keep,
		pageSize,
		itemIndex,
	});
	return organizations.map((organization) =>
		simplify ? simplifyOrganization(organization) : (organization as IDataObject),
	);
}
