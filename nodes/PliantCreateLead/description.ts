import type { INodeProperties } from 'n8n-workflow';

import { additionalFields } from './additional-fields';
import { COUNTRY_OPTIONS, INDUSTRY_OPTIONS } from './field-options';

/** On Duplicate's values and their names. */
export const ON_DUPLICATE = { fail: 'Fail', returnExisting: 'Return Existing Lead' } as const;

export const DRY_RUN_FIELD = 'Dry Run';

const contactPersonFields: INodeProperties[] = [
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '', required: true },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '', required: true },
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		required: true,
	},
	{
		displayName: 'Phone Number',
		name: 'phoneNumber',
		type: 'string',
		placeholder: 'e.g. +49 30 123456',
		default: '',
	},
	{
		displayName: 'Role',
		name: 'role',
		type: 'string',
		placeholder: 'e.g. CFO',
		default: '',
		description: 'Job title or function in the company',
	},
	{
		displayName: 'Primary Contact',
		name: 'isPrimary',
		type: 'boolean',
		default: false,
		description: 'Whether Pliant should contact this person first; mark at most one',
	},
];


/** The fields of Create (the only operation). */
export const createFields: INodeProperties[] = [
	{
		displayName: 'Company Name',
		name: 'companyName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Acme Software GmbH',
		description: "The company's legal name",
	},
	{
		displayName: 'Country',
		name: 'country',
		type: 'options',
		required: true,
		options: COUNTRY_OPTIONS,
		// Empty on purpose: a forgotten mapping must not refer every customer as German.
		default: '',
		description:
			'Country where the company is registered. Mapped values may be a country name or ISO code, e.g. "Germany", "DE" or "DEU".',
	},
	{
		displayName: 'Industry',
		name: 'industry',
		type: 'options',
		required: true,
		options: INDUSTRY_OPTIONS,
		default: '',
		description:
			'Mapped values may be the name or the value, e.g. "Computer Software" or "COMPUTER_SOFTWARE" (as HubSpot stores it)',
	},
	{
		displayName: 'Partner Organization ID',
		name: 'partnerOrganizationId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 4711',
		hint: "Your CRM's ID for this company; Pliant sends it back in every callback",
		description:
			'Your own ID for the company. Pliant accepts one lead per ID and uses it to match its organization to yours.',
	},
	{
		displayName: 'Contact Persons',
		name: 'contactPersons',
		type: 'fixedCollection',
		placeholder: 'Add Contact Person',
		default: {},
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Contact Person' },
		description: 'People at the company Pliant should talk to; ideally at least one',
		options: [{ displayName: 'Contact Person', name: 'contactPerson', values: contactPersonFields }],
	},
	additionalFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: DRY_RUN_FIELD,
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description:
					'Whether to only check and normalise every item, sending nothing to Pliant. Each item then shows the exact body that would be sent, what was normalised and why, or every problem of its row. Set for the whole run (read from the first item).',
			},
			{
				displayName: 'On Duplicate',
				name: 'onDuplicate',
				type: 'options',
				default: 'returnExisting',
				description: 'What to do when Pliant already has a lead with this partner organization ID',
				options: [
					{
						name: ON_DUPLICATE.fail,
						value: 'fail',
						description: 'Stop with an error, or output an error item with Continue On Fail',
					},
					{
						name: ON_DUPLICATE.returnExisting,
						value: 'returnExisting',
						description: 'Output the existing lead ID with duplicate set to true',
					},
				],
			},
			{
				displayName: 'Rate Limit Wait (Minutes)',
				name: 'rateLimitWaitMinutes',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 60 },
				default: 6, // RATE_LIMIT_WAIT_BUDGET_MS in minutes
				description:
					"When Pliant answers 429 (rate limit), how long an item may wait in total, retrying as Pliant's Retry-After asks, before it fails. A lead that got a 429 was not created, so it is never sent twice. Pliant's window is 5 minutes.",
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 300 },
				default: 30,
				description:
					'How long to wait for Pliant to answer. When the time runs out the lead may still be created; running the item again is safe.',
			},
		],
	},
];
