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
			version: 1,
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
		expect(shownFor('organizationId')).toEqual([
			'activateAuthorization',
			'get',
			'getOnboardingDetails',
		]);
		expect(shownFor('simplify')).toEqual(['get', 'getMany', 'getOnboardingDetails']);
		expect(shownFor('returnAll')).toEqual(['getMany']);
		expect(shownFor('limit')).toEqual(['getMany']);
		expect(shownFor('filters')).toEqual(['getMany']);
		expect(shownFor('options')).toEqual(['getOnboardingDetails']);
		expect(shownFor('additionalFields')).toEqual(['activateAuthorization']);
	});

	it('requires the Organization ID and hints at mapping it from a trigger item', () => {
		const organizationId = property('organizationId', 'get');
		expect(organizationId).toMatchObject({ type: 'string', required: true, default: '' });
		expect(organizationId.hint).toContain('{{ $json.organizationId }}');
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
			categories: ['Finance & Accounting'],
		});
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
	});
});
