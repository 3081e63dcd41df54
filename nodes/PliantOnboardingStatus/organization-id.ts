import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { shorten } from '../shared/text';

// Pliant's organization IDs are UUIDs; any version, either case.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ORGANIZATION_ID_FIELD = 'Organization ID';

export const organizationIdProperty: INodeProperties = {
	displayName: ORGANIZATION_ID_FIELD,
	name: 'organizationId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. b1f8e35c-c500-4bbf-aa20-3dc14b83ff19',
	description: "Pliant's ID of the organization (a UUID), not your own partner organization ID",
	hint: 'From a Pliant Trigger item, map it with an expression: {{ $json.organizationId }}',
};

/** True for a UUID such as b1f8e35c-c500-4bbf-aa20-3dc14b83ff19. */
export function isOrganizationId(value: string): boolean {
	return UUID.test(value);
}

/**
 * Reads the Organization ID of one item and checks it before anything is sent: a mapped
 * expression that resolved to nothing, or to the partner's own CRM ID, fails here, naming
 * the field and the item, instead of as a confusing 404 from Pliant.
 */
export function readOrganizationId(this: IExecuteFunctions, itemIndex: number): string {
	const raw = this.getNodeParameter('organizationId', itemIndex, '') as unknown;
	const value = raw === undefined || raw === null ? '' : String(raw).trim();
	if (value === '') {
		throw new NodeOperationError(
			this.getNode(),
			`${ORGANIZATION_ID_FIELD} is empty (item ${itemIndex})`,
			{
				itemIndex,
				description:
					'Enter the Pliant organization ID, or map it, e.g. {{ $json.organizationId }} from a Pliant Trigger item. If you mapped it, the expression resolved to nothing for this item.',
			},
		);
	}
	if (!isOrganizationId(value)) {
		throw new NodeOperationError(
			this.getNode(),
			`${ORGANIZATION_ID_FIELD} "${shorten(value)}" is not a valid Pliant organization ID (item ${itemIndex})`,
			{
				itemIndex,
				description:
					'Pliant organization IDs are UUIDs such as b1f8e35c-c500-4bbf-aa20-3dc14b83ff19. If this is your own CRM ID (partner organization ID), use Get Many with the Partner Organization ID filter to find the organization first.',
			},
		);
	}
	return value;
}
