import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { PATHS, type ActivateRequest } from '../../shared/contract';
import { buildError } from '../../shared/errors/failure';
import { defineOperation } from '../../shared/execution/operations';
import { readSwitch } from '../../shared/execution/parameters';
import { runsAsTool } from '../../shared/execution/tool-mode';
import { pliantApiRequest } from '../../shared/http/transport';
import { explainOrganizationError } from '../organization-errors';
import { organizationProperties, readOrganizationReference, resolveOrganizationId } from '../organization-locator';
import { readSyncFromDate, SYNC_FROM_DATE_FIELD } from '../sync-from-date';

const ALLOW_AS_TOOL_FIELD = 'Allow AI Agent Use';

export interface ActivateInput {
	organizationId: string;
	syncFromDate: string | undefined;
}

/**
 * Activating grants the partner access to a customer's data. As an AI tool the organization
 * comes from a model, which free text (a company name) may steer: refused unless the
 * workflow's author allowed it on the node. Checked before anything, lookups included, is sent.
 */
function checkToolUse(this: IExecuteFunctions, itemIndex: number): void {
	if (!runsAsTool(this)) return;
	if (readSwitch.call(this, 'options.allowAsTool', itemIndex, false, ALLOW_AS_TOOL_FIELD)) return;
	throw buildError(this.getNode(), {
		message: 'Activate Authorization is not allowed as an AI tool on this node: nothing was activated',
		description: `It grants the partner access to a customer's data. To let AI agents call it, switch on Options > ${ALLOW_AS_TOOL_FIELD} in the node.`,
		agentHint:
			'This tool may not activate authorizations: the workflow owner has not allowed it. Do not retry; ask a person to activate it in Pliant or in n8n.',
		itemIndex,
	});
}

export const activateAuthorization = defineOperation({
	option: {
		name: 'Activate Authorization',
		action: 'Activate the authorization of an organization and grant access to its data',
		description:
			"Changes data at Pliant: finalises the organization's data-sharing authorization, granting you access to its data, once Pliant reports it pending",
	},
	properties: [
		...organizationProperties,
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
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: ALLOW_AS_TOOL_FIELD,
					name: 'allowAsTool',
					type: 'boolean',
					default: false,
					noDataExpression: true,
					description:
						"Whether an AI agent may run this operation when the node is used as a tool. Off: it refuses and sends nothing, since activating grants access to a customer's data.",
				},
			],
		},
	],
	/**
	 * Phase 1, for every item before any activation: read and check the item, and look up a
	 * partner organization ID (a read), so a bad item stops the batch before anything changes.
	 */
	async prepare(this: IExecuteFunctions, itemIndex: number): Promise<ActivateInput> {
		checkToolUse.call(this, itemIndex);
		const reference = readOrganizationReference.call(this, itemIndex);
		const syncFromDate = readSyncFromDate.call(
			this,
			itemIndex,
			this.getNodeParameter('additionalFields.syncFromDate', itemIndex, ''),
		);
		return { organizationId: await resolveOrganizationId.call(this, reference, itemIndex), syncFromDate };
	},
	/** Phase 2: the activation itself. */
	async send(this: IExecuteFunctions, input: ActivateInput, itemIndex: number): Promise<IDataObject> {
		const { organizationId, syncFromDate } = input;
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
		const answer = response && typeof response === 'object' && !Array.isArray(response) ? response : {};
		return { ...(answer as IDataObject), organizationId, authorizationActivated: true, syncFromDate: syncFromDate ?? null };
	},
	concurrency: 4,
});
