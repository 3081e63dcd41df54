import type { IExecuteFunctions } from 'n8n-workflow';

import { defineOperation, type Operation } from '../shared/execution/operations';
import { CREATE_LEAD_CONCURRENCY, prepareLead, sendLead, summariseCreatedLeads } from './create-lead';
import { createFields } from './description';
import { dryRunHints, isDryRun, prepareDryRun, sendDryRun } from './dry-run';
import { leadForAgent, leadHints } from './tool-output';

/** The node's operations, named once. */
export type CreateLeadOperation = 'create';

const option = {
	name: 'Create',
	action: 'Create a lead',
	description:
		'Changes data at Pliant: refers a company to Pliant as a new lead (one lead per partner organization ID; an existing one is returned, not created again)',
};

const send = defineOperation({
	option,
	properties: createFields,
	prepare: prepareLead,
	send: sendLead,
	toolOutput: (result) => leadForAgent(result),
	hints: leadHints,
	summariseDone: summariseCreatedLeads,
	concurrency: CREATE_LEAD_CONCURRENCY,
});

// Dry Run: the same rows checked whole, nothing sent, and every row yields an item.
const check = defineOperation({
	option,
	properties: createFields,
	prepare: prepareDryRun,
	send: sendDryRun,
	hints: dryRunHints,
	neverStopOnInput: true,
});

export const OPERATIONS = {
	create: {
		option,
		properties: createFields,
		async run(this: IExecuteFunctions) {
			return isDryRun.call(this) ? await check.run.call(this) : await send.run.call(this);
		},
	},
} satisfies Record<CreateLeadOperation, Operation>;

export const DEFAULT_OPERATION: CreateLeadOperation = 'create';
