import type { INodeProperties } from 'n8n-workflow';

import { LEAD_LIMITS } from '../shared/contract';
import { ADDRESS_COUNTRY_OPTIONS } from './field-options';

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

export const additionalFields: INodeProperties = {
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
