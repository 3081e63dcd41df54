import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { PliantOnboardingStatus } from '../../../nodes/PliantOnboardingStatus/PliantOnboardingStatus.node';
import codex from '../../../nodes/PliantOnboardingStatus/PliantOnboardingStatus.node.json';

const { description } = new PliantOnboardingStatus();

function property(name: string, operation?: string): INodeProperties {
	const found = description.properties.filter((candidate) => candidate.name === name);
	const match = operation
		? found.find((candidate) => candidate.displayOptions?.show?.operation?.includes(operation))
		: found[0];
	if (!match) throw new Error(`no property ${name} for ${operation ?? 'any operation'}`);
	return match;
}

function shownFor(name: string): string[] {
	return description.properties
		.filter((candidate) => candidate.name === name)
		.flatMap((candidate) => (candidate.displayOptions?.show?.operation ?? []) as string[])
		.sort();
}

describe('Pliant Onboarding Status description', () => {
	it('is a usable-as-tool action node on the pliantApi credential', () => {
		expect(description).toMatchObject({
			name: 'pliantOnboardingStatus',
			displayName: 'Pliant Onboarding Status',
			version: [1, 2],
			defaultVersion: 2,
			usableAsTool: true,
			credentials: [{ name: 'pliantApi', required: true }],
			icon: { light: 'file:../../icons/pliant.svg', dark: 'file:../../icons/pliant.dark.svg' },
		});
	});

	it('shows the operation by its display name under the node', () => {
		expect(description.subtitle).toBe(
			'={{ {"activateAuthorization":"Activate Authorization","get":"Get","getMany":"Get Many","getOnboardingDetails":"Get Onboarding Details"}[$parameter["operation"]] }}',
		);
	});

	it('has the four operations sorted by name, each with a sentence-case action, default Get', () => {
		const operation = property('operation');
		expect(operation).toMatchObject({ type: 'options', noDataExpression: true, default: 'get' });
		const options = operation.options as INodePropertyOptions[];
		expect(options.map((option) => [option.name, option.value])).toEqual([
			['Activate Authorization', 'activateAuthorization'],
			['Get', 'get'],
			['Get Many', 'getMany'],
			['Get Onboarding Details', 'getOnboardingDetails'],
		]);
		for (const option of options) {
			expect(option.action).toMatch(/^[A-Z][a-z]+( [a-z]+)*$/);
			expect(option.description).toBeTruthy();
		}
	});

	it('shows each parameter for the operations that use it', () => {
		// once for version 1 (string) and once for version 2 (resource locator)
		expect(shownFor('organizationId')).toEqual([
			'activateAuthorization',
			'activateAuthorization',
			'get',
			'get',
			'getOnboardingDetails',
			'getOnboardingDetails',
		]);
		expect(shownFor('simplify')).toEqual(['get', 'getMany', 'getOnboardingDetails']);
		expect(shownFor('returnAll')).toEqual(['getMany']);
		expect(shownFor('limit')).toEqual(['getMany']);
		expect(shownFor('filters')).toEqual(['getMany']);
		expect(shownFor('options')).toEqual(['activateAuthorization', 'get', 'getOnboardingDetails']);
		expect(shownFor('additionalFields')).toEqual(['activateAuthorization']);
	});

	it('keeps version 1 exactly: a required string Organization ID with its mapping hint', () => {
		const [v1] = description.properties.filter(
			(candidate) => candidate.name === 'organizationId' && candidate.displayOptions?.show?.['@version']?.[0] === 1,
		);
		expect(v1).toMatchObject({ type: 'string', required: true, default: '', displayName: 'Organization ID' });
		expect(v1.hint).toContain('{{ $json.organizationId }}');
	});

	it('gives version 2 a resource locator: From List (default), By Partner Organization ID, By ID (a UUID)', () => {
		const v2 = description.properties.filter(
			(candidate) => candidate.name === 'organizationId' && candidate.displayOptions?.show?.['@version']?.[0] === 2,
		);
		expect(v2).toHaveLength(3);
		const locator = v2[0];
		expect(locator).toMatchObject({ type: 'resourceLocator', required: true, default: { mode: 'list', value: '' } });
		expect(locator.modes?.map((mode) => mode.name)).toEqual(['list', 'partnerOrganizationId', 'id']);
		expect(locator.modes?.[0]).toMatchObject({
			type: 'list',
			typeOptions: { searchListMethod: 'searchOrganizations', searchable: true },
		});
		const validation = locator.modes?.[2].validation?.[0] as unknown as { properties: { regex: string } };
		const uuid = new RegExp(validation.properties.regex);
		expect(uuid.test('b1f8e35c-c500-4bbf-aa20-3dc14b83ff19')).toBe(true);
		expect(uuid.test('B1F8E35C-C500-4BBF-AA20-3DC14B83FF19')).toBe(true);
		expect(uuid.test('crm-4711')).toBe(false);
		expect(typeof new PliantOnboardingStatus().methods?.listSearch?.searchOrganizations).toBe('function');
	});

	it('defaults Simplify to on', () => {
		for (const operation of ['get', 'getMany', 'getOnboardingDetails']) {
			expect(property('simplify', operation)).toMatchObject({ type: 'boolean', default: true });
			expect(property('simplify', operation).description).toMatch(/^Whether /);
		}
	});

	it('pages Get Many with Return All / Limit (max 1,000)', () => {
		expect(property('returnAll', 'getMany')).toMatchObject({ type: 'boolean', default: false });
		expect(property('limit', 'getMany')).toMatchObject({
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1, maxValue: 1000 },
			displayOptions: { show: { returnAll: [false], operation: ['getMany'] } },
		});
	});

	it('filters Get Many by status and partner organization ID, options sorted by name', () => {
		const filters = property('filters', 'getMany');
		expect(filters).toMatchObject({ type: 'collection', default: {} });
		const fields = filters.options as INodeProperties[];
		expect(fields.map((field) => field.name)).toEqual(['partnerOrganizationId', 'status']);
		const status = fields.find((field) => field.name === 'status') as INodeProperties;
		const names = (status.options as INodePropertyOptions[]).map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});

	it('offers Fail (default) or an item when details are not shared', () => {
		const options = property('options', 'getOnboardingDetails');
		const detailsNotShared = (options.options as INodeProperties[])[0];
		expect(detailsNotShared).toMatchObject({
			name: 'detailsNotShared',
			type: 'options',
			default: 'error',
		});
		expect(
			(detailsNotShared.options as INodePropertyOptions[]).map((option) => option.value),
		).toEqual(['error', 'output']);
	});

	it('takes an optional sync-from date for Activate Authorization', () => {
		const additionalFields = property('additionalFields', 'activateAuthorization');
		expect(additionalFields).toMatchObject({
			type: 'collection',
			default: {},
			placeholder: 'Add Field',
		});
		expect((additionalFields.options as INodeProperties[])[0]).toMatchObject({
			name: 'syncFromDate',
			type: 'dateTime',
		});
	});

	it('uses Title Case display names', () => {
		const names = description.properties.flatMap((candidate) => [
			candidate.displayName,
			...((candidate.options ?? []) as INodeProperties[]).map(
				(option) => option.displayName ?? option.name,
			),
		]);
		for (const name of names) {
			for (const word of name.split(' ')) {
				if (['and', 'or', 'of', 'the'].includes(word)) continue;
				expect(word.charAt(0)).toBe(word.charAt(0).toUpperCase());
			}
		}
	});

	it('has a codex file naming the node', () => {
		expect(codex).toMatchObject({
			node: 'n8n-nodes-pliant.pliantOnboardingStatus',
			nodeVersion: '1.0',
			codexVersion: '1.0',
			categories: ['Finance & Accounting', 'Sales'],
		});
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
	});
});
