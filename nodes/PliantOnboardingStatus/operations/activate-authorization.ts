import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { PATHS, type ActivateRequest } from '../../shared/contract';
import { pliantApiRequest } from '../../shared/http/transport';
import { explainOrganizationError } from '../organization-errors';
import { organizationIdProperty, readOrganizationId } from '../organization-id';
import { readSyncFromDate, SYNC_FROM_DATE_FIELD } from '../sync-from-date';

const properties: INodeProperties[] = [
	organizationIdProperty,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: SYNC_FROM_DATE_FIELD,
				name: 'syncFromDate',
				type: 'dateTime',
				default: '',
				description:
					"Pliant sends callbacks only for entities created from this day on (default: the organization's creation date). Only the date is sent; past data is not re-sent.",
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { operation: ['activateAuthorization'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const organizationId = readOrganizationId.call(this, itemIndex);
	const syncFromDate = readSyncFromDate.call(
		this,
		itemIndex,
		this.getNodeParameter('additionalFields.syncFromDate', itemIndex, ''),
	);
	// The body is optional: without a date, Pliant's default applies.
	const body: ActivateRequest | undefined = syncFromDate ? { syncFromDate } : undefined;

	let response: unknown;
	try {
		response = await pliantApiRequest.call(this, {
			method: 'POST',
			path: PATHS.organizationActivate(organizationId),
			body: body as IDataObject | undefined,
			itemIndex,
		});
	} catch (error) {
		throw explainOrganizationError(error, organizationId);
	}
	// Pliant's answer (if any) first, then what this call did, so the item always says it.
	const answer =
		response && typeof response === 'object' && !Array.isArray(response) ? response : {};
	return {
		...(answer as IDataObject),
		organizationId,
		authorizationActivated: true,
		syncFromDate: syncFromDate ?? null,
	};
}
