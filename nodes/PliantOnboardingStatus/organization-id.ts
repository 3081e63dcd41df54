import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { shorten } from '../shared/text';
import { FieldReader } from '../shared/fields/readers';
import { isUuid } from '../shared/uuid';

// Pliant's organization IDs are UUIDs (the editor validates with this pattern too).
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export const ORGANIZATION_ID_FIELD = 'Organization ID';

/** Version 1's field: a plain string (kept as it was, so saved workflows run unchanged). */
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
	return isUuid(value);
}

/**
 * Checks the Organization ID of one item (typed, mapped or picked from the list) before
 * anything is sent: an expression that resolved to nothing, or to the partner's own CRM ID,
 * fails here, naming the field and the item, instead of as a confusing 404 from Pliant.
 */
export function checkOrganizationId(this: IExecuteFunctions, raw: unknown, itemIndex: number): string {
	const read = new FieldReader(this.getNode(), itemIndex);
	const value = read.required(
		raw,
		ORGANIZATION_ID_FIELD,
		'Enter the Pliant organization ID, or map it, e.g. {{ $json.organizationId }} from a Pliant Trigger item. If you mapped it, the expression resolved to nothing for this item.',
	);
	if (!isOrganizationId(value)) {
		read.fail(
			`${ORGANIZATION_ID_FIELD} "${shorten(value)}" is not a valid Pliant organization ID`,
			'Pliant organization IDs are UUIDs such as b1f8e35c-c500-4bbf-aa20-3dc14b83ff19. If this is your own CRM ID (partner organization ID), use Get Many with the Partner Organization ID filter to find the organization first.',
		);
	}
	return value;
}
