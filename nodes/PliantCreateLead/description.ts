import type { INodePropertyOptions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { LEAD_LIMITS } from '../shared/contract';
import { COUNTRIES } from '../shared/fields/countries';
import { INDUSTRIES, industryLabel } from '../shared/fields/industries';

function byName(a: INodePropertyOptions, b: INodePropertyOptions): number {
	return a.name.localeCompare(b.name, 'en');
}

/** The 68 countries Pliant accepts, shown by name, sent as ISO 3166-1 alpha-2. */
export const COUNTRY_OPTIONS: INodePropertyOptions[] = COUNTRIES.map((country) => ({
	name: country.name,
	value: country.code,
})).sort(byName);

/** Every Pliant industry, shown in words ("Computer Software"), sent as the enum value. */
export const INDUSTRY_OPTIONS: INodePropertyOptions[] = INDUSTRIES.map((industry) => ({
	name: industryLabel(industry),
	value: industry,
})).sort(byName);

/** The address country may be left to follow the company's country. */
export const ADDRESS_COUNTRY_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Same as Company Country', value: '' },
	...COUNTRY_OPTIONS,
].sort(byName);

export const ON_DUPLICATE = { returnExisting: 'returnExisting', fail: 'fail' } as const;

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'create',
	options: [
		{
			name: 'Create',
			value: 'create',
			action: 'Create a lead',
			description: 'Refer a company to Pliant as a new lead',
		},
	],
};

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

const addressFields: INodeProperties[] = [
	{ displayName: 'Street', name: 'street', type: 'string', placeholder: 'e.g. Main Street 1', default: '' },
	{ displayName: 'Postal Code', name: 'postalCode', type: 'string', placeholder: 'e.g. 10115', default: '' },
	{ displayName: 'City', name: 'city', type: 'string', placeholder: 'e.g. Berlin', default: '' },
	{
		displayName: 'Country',
		name: 'country',
		type: 'options',
		options: ADDRESS_COUNTRY_OPTIONS,
		default: '',
		description:
			'Country of the address. Mapped values may be a country name or ISO code, e.g. "Germany" or "DE".',
	},
];

const additionalFields: INodeProperties = {
	displayName: 'Additional Fields',
	name: 'additionalFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [
		{
			displayName: 'Address',
			name: 'address',
			type: 'fixedCollection',
			placeholder: 'Add Address',
			default: {},
			options: [{ displayName: 'Address', name: 'addressFields', values: addressFields }],
			description: 'Registered address of the company',
		},
		{
			displayName: 'Demo Conducted by Partner',
			name: 'demoConductedByPartner',
			type: 'boolean',
			default: false,
			description:
				"Whether your team, rather than Pliant's sales team, has already given the customer a demo of Pliant",
		},
		{
			displayName: 'Expected Monthly Spend (EUR)',
			name: 'expectedMonthlySpend',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description: 'Expected card spend per month, in euros; Pliant receives it in cents',
		},
		{
			displayName: 'Legal Form',
			name: 'legalForm',
			type: 'string',
			placeholder: 'e.g. GmbH',
			default: '',
		},
		{
			displayName: 'National Register Court',
			name: 'nationalRegisterCourt',
			type: 'string',
			placeholder: 'e.g. Amtsgericht Berlin',
			default: '',
			description: 'Court or authority that keeps the company register entry',
		},
		{
			displayName: 'National Register ID',
			name: 'nationalRegisterId',
			type: 'string',
			placeholder: 'e.g. HRB 12345',
			default: '',
			description: 'Company register number',
		},
		{
			displayName: 'Notes',
			name: 'notes',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			description: "Anything Pliant's sales team should know about this lead",
		},
		{
			displayName: 'Number of Employees',
			name: 'numberOfEmployees',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 0 },
			default: 0,
		},
		{
			displayName: 'Trade Name',
			name: 'tradeName',
			type: 'string',
			placeholder: 'e.g. Acme',
			default: '',
			description: `Name the company trades under; embossed on the cards, so at most ${LEAD_LIMITS.tradeNameMaxLength} characters`,
		},
		{
			displayName: 'VAT ID',
			name: 'vatId',
			type: 'string',
			placeholder: 'e.g. DE123456789',
			default: '',
		},
		{
			displayName: 'Website',
			name: 'website',
			type: 'string',
			placeholder: 'e.g. https://acme.com',
			default: '',
			description: 'Company website; a bare domain such as acme.com is sent as https://acme.com',
		},
	],
};

const createFields: INodeProperties[] = [
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
				displayName: 'On Duplicate',
				name: 'onDuplicate',
				type: 'options',
				default: 'returnExisting',
				description: 'What to do when Pliant already has a lead with this partner organization ID',
				options: [
					{
						name: 'Fail',
						value: 'fail',
						description: 'Stop with an error, or output an error item with Continue On Fail',
					},
					{
						name: 'Return Existing Lead',
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

export const properties: INodeProperties[] = [
	operation,
	...updateDisplayOptions({ show: { operation: ['create'] } }, createFields),
];
