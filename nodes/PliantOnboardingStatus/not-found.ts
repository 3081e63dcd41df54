import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readChoice } from '../shared/execution/parameters';

/** What Get and Get Onboarding Details do when no organization has the partner ID. */
export const IF_NOT_FOUND = { error: 'Fail', output: 'Output Not Found Item' } as const;
export type IfNotFound = keyof typeof IF_NOT_FOUND;

const FIELD = 'If Partner ID Not Found';

/** In an operation's Options: "not there yet" as data, since a fresh lead has no organization. */
export const ifNotFoundOption: INodeProperties = {
	displayName: FIELD,
	name: 'partnerIdNotFound',
	type: 'options',
	default: 'error',
	description:
		'With Organization "By Partner Organization ID": what to do when no Pliant organization has that ID. A lead referred minutes ago has none yet.',
	options: [
		{
			name: IF_NOT_FOUND.error,
			value: 'error',
			description: 'Stop with an error that says so (an error item under Continue On Fail)',
		},
		{
			name: IF_NOT_FOUND.output,
			value: 'output',
			description: 'Output {partnerOrganizationId, found: false} and carry on',
		},
	],
};

export function readIfNotFound(this: IExecuteFunctions, itemIndex: number): IfNotFound {
	return readChoice(this, 'options.partnerIdNotFound', itemIndex, IF_NOT_FOUND, 'error', FIELD);
}

/** The item for a partner ID no organization has (yet). */
export function notFoundItem(partnerOrganizationId: string): IDataObject {
	return {
		partnerOrganizationId,
		found: false,
		message: `No Pliant organization has partner organization ID "${partnerOrganizationId}" yet: Pliant creates it when it starts onboarding the lead.`,
	};
}
