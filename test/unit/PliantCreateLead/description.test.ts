import type { INode, INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import {
	ADDRESS_COUNTRY_OPTIONS,
	COUNTRY_OPTIONS,
	INDUSTRY_OPTIONS,
} from '../../../nodes/PliantCreateLead/field-options';
import { PliantCreateLead } from '../../../nodes/PliantCreateLead/PliantCreateLead.node';
import { COUNTRIES } from '../../../nodes/shared/fields/countries';
import { INDUSTRIES, industryLabel } from '../../../nodes/shared/fields/industries';
import codex from '../../../nodes/PliantCreateLead/PliantCreateLead.node.json';

const { description } = new PliantCreateLead();
const property = (name: string): INodeProperties => {
	const found = description.properties.find((entry) => entry.name === name);
	if (!found) throw new Error(`no property ${name}`);
	return found;
};
const names = (options: unknown[]): string[] => (options as Array<{ name: string }>).map((option) => option.name);
const sortedByName = (list: string[]): string[] => [...list].sort((a, b) => a.localeCompare(b, 'en'));

describe('Pliant Create Lead description', () => {
	it('follows the n8n node conventions', () => {
		expect(description).toMatchObject({
			displayName: 'Pliant Create Lead',
			name: 'pliantCreateLead',
			icon: { light: 'file:../../icons/pliant.svg', dark: 'file:../../icons/pliant.dark.svg' },
			group: ['transform'],
			version: 1,
			usableAsTool: true,
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'pliantApi', required: true }],
		});
		expect(description.subtitle).toContain('$parameter["operation"]');
		expect(codex).toMatchObject({
			node: 'n8n-nodes-pliant.pliantCreateLead',
			nodeVersion: '1.0',
			codexVersion: '1.0',
			categories: ['Finance & Accounting', 'Sales'],
		});
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
	});

	it('has the fixed parameter names, required fields first', () => {
		expect(description.properties.map((entry) => entry.name)).toEqual([
			'operation',
			'companyName',
			'country',
			'industry',
			'partnerOrganizationId',
			'contactPersons',
			'additionalFields',
			'options',
		]);
		for (const name of ['companyName', 'country', 'industry', 'partnerOrganizationId']) {
			expect(property(name).required).toBe(true);
		}
		expect(property('partnerOrganizationId').hint).toMatch(/CRM/);
	});

	it('has one operation, Create, with the action "Create a lead"', () => {
		const operation = property('operation');
		expect(operation).toMatchObject({ type: 'options', noDataExpression: true, default: 'create' });
		expect(operation.options).toEqual([
			expect.objectContaining({ name: 'Create', value: 'create', action: 'Create a lead' }),
		]);
		for (const entry of description.properties.slice(1)) {
			expect(entry.displayOptions).toEqual({ show: { operation: ['create'] } });
		}
	});

	it('lists all 68 countries by name, valued by ISO alpha-2, sorted by name; required, starts empty', () => {
		const country = property('country');
		expect(country.type).toBe('options');
		// no silent default: a forgotten mapping must not refer every customer as German
		expect(country).toMatchObject({ default: '', required: true });
		expect(country.noDataExpression).toBeUndefined(); // expressions stay allowed
		expect(country.options).toBe(COUNTRY_OPTIONS);
		expect(COUNTRY_OPTIONS).toHaveLength(68);
		expect(new Set(COUNTRY_OPTIONS.map((option) => option.value))).toEqual(
			new Set(COUNTRIES.map((entry) => entry.code)),
		);
		for (const entry of COUNTRIES) {
			expect(COUNTRY_OPTIONS).toContainEqual({ name: entry.name, value: entry.code });
		}
		expect(names(COUNTRY_OPTIONS)).toEqual(sortedByName(names(COUNTRY_OPTIONS)));
		for (const option of COUNTRY_OPTIONS) expect(option.value).toMatch(/^[A-Z]{2}$/);
	});

	it('lists every industry in words, valued by the enum, sorted by name', () => {
		const industry = property('industry');
		expect(industry.type).toBe('options');
		expect(industry).toMatchObject({ default: '', required: true });
		expect(industry.options).toBe(INDUSTRY_OPTIONS);
		expect(INDUSTRY_OPTIONS).toHaveLength(INDUSTRIES.length);
		for (const value of INDUSTRIES) {
			expect(INDUSTRY_OPTIONS).toContainEqual({ name: industryLabel(value), value });
		}
		expect(INDUSTRY_OPTIONS).toContainEqual({ name: 'Computer Software', value: 'COMPUTER_SOFTWARE' });
		expect(names(INDUSTRY_OPTIONS)).toEqual(sortedByName(names(INDUSTRY_OPTIONS)));
		expect(new Set(names(INDUSTRY_OPTIONS)).size).toBe(INDUSTRIES.length);
	});

	it('offers the countries for the address too, plus "Same as Company Country" as default', () => {
		expect(ADDRESS_COUNTRY_OPTIONS).toHaveLength(69);
		expect(ADDRESS_COUNTRY_OPTIONS).toContainEqual({ name: 'Same as Company Country', value: '' });
		expect(names(ADDRESS_COUNTRY_OPTIONS)).toEqual(sortedByName(names(ADDRESS_COUNTRY_OPTIONS)));
	});

	it('has a multi-value contact person group with the contract fields', () => {
		const contactPersons = property('contactPersons');
		expect(contactPersons).toMatchObject({ type: 'fixedCollection', default: {} });
		expect(contactPersons.typeOptions?.multipleValues).toBe(true);
		const [group] = contactPersons.options as INodePropertyCollection[];
		expect(group.name).toBe('contactPerson');
		expect(group.values.map((value) => value.name)).toEqual([
			'firstName',
			'lastName',
			'email',
			'phoneNumber',
			'role',
			'isPrimary',
		]);
		expect(group.values.find((value) => value.name === 'email')?.placeholder).toBe('name@email.com');
	});

	it('has the additional fields, sorted by name, with defaults per type', () => {
		const additional = property('additionalFields');
		expect(additional).toMatchObject({ type: 'collection', default: {}, placeholder: 'Add Field' });
		const fields = additional.options as INodeProperties[];
		expect(fields.map((field) => field.name)).toEqual([
			'address',
			'demoConductedByPartner',
			'expectedMonthlySpend',
			'legalForm',
			'nationalRegisterCourt',
			'nationalRegisterId',
			'notes',
			'numberOfEmployees',
			'tradeName',
			'vatId',
			'website',
		]);
		const displayNames = fields.map((field) => field.displayName);
		expect(displayNames).toEqual(sortedByName(displayNames));
		const address = fields[0].options as INodePropertyCollection[];
		expect(address[0].name).toBe('addressFields');
		expect(address[0].values.map((value) => value.name)).toEqual(['street', 'postalCode', 'city', 'country']);
	});

	it('has the On Duplicate option: Return Existing Lead by default, or Fail', () => {
		const options = property('options');
		expect(options).toMatchObject({ type: 'collection', default: {} });
		const onDuplicate = (options.options as INodeProperties[]).find((option) => option.name === 'onDuplicate')!;
		expect(onDuplicate).toMatchObject({ name: 'onDuplicate', type: 'options', default: 'returnExisting' });
		expect((onDuplicate.options as INodePropertyOptions[]).map((option) => [option.name, option.value])).toEqual([
			['Fail', 'fail'],
			['Return Existing Lead', 'returnExisting'],
		]);
	});

	it("n8n flags Country and Industry while they are unset (its own required-parameter check)", () => {
		const node = {
			name: 'Create lead',
			type: 'n8n-nodes-pliant.pliantCreateLead',
			typeVersion: 1,
			position: [0, 0],
			parameters: { operation: 'create', companyName: 'Acme', partnerOrganizationId: '4711', country: '', industry: '' },
		} as unknown as INode;
		const issues = NodeHelpers.getNodeParametersIssues(description.properties, node, description);
		expect(Object.keys(issues?.parameters ?? {}).sort()).toEqual(['country', 'industry']);
	});

	it('has a Timeout option in seconds, 30 by default rather than n8n\'s 300', () => {
		const options = property('options').options as INodeProperties[];
		expect(options.find((option) => option.name === 'timeout')).toMatchObject({ type: 'number', default: 30 });
	});

	it('uses the n8n wording rules on every property', () => {
		const all: INodeProperties[] = [];
		const walk = (list: INodeProperties[]) => {
			for (const entry of list) {
				all.push(entry);
				for (const option of (entry.options ?? []) as Array<INodeProperties | INodePropertyCollection>) {
					if ('values' in option) walk(option.values);
					else if ('type' in option) walk([option]);
				}
			}
		};
		walk(description.properties);
		for (const entry of all) {
			const defaults: Record<string, unknown> = { string: '', boolean: false, collection: {}, fixedCollection: {} };
			if (entry.type in defaults) expect({ name: entry.name, default: entry.default }).toEqual({ name: entry.name, default: defaults[entry.type] });
			if (entry.type === 'boolean') expect(entry.description).toMatch(/^Whether /);
			if (entry.placeholder && !['Add Field', 'Add Option', 'Add Contact Person', 'Add Address'].includes(entry.placeholder) && entry.placeholder !== 'name@email.com') {
				expect(entry.placeholder).toMatch(/^e\.g\. /);
			}
			expect(entry.displayName).not.toMatch(/\b(Id|Url)\b/);
		}
	});
});

describe('Create Lead: Rate Limit Wait default', () => {
	it('is the transport wait budget, in minutes (a literal there, for the node linter)', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { RATE_LIMIT_WAIT_BUDGET_MS } = require('../../../nodes/shared/http/retry-policy') as { RATE_LIMIT_WAIT_BUDGET_MS: number };
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { createFields: properties } = require('../../../nodes/PliantCreateLead/description') as { createFields: Array<{ name: string; options?: Array<{ name: string; default?: unknown }> }> };
		const option = properties.find((p) => p.name === 'options')?.options?.find((o) => o.name === 'rateLimitWaitMinutes');
		expect(Number(option?.default) * 60_000).toBe(RATE_LIMIT_WAIT_BUDGET_MS);
	});
});
