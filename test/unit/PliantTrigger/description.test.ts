import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { EVENT_TYPES } from '../../../nodes/shared/contract';
import {
	ALL_EVENTS,
	eventDisplayName,
	normaliseEventType,
	resolveSelectedEvents,
} from '../../../nodes/shared/onboarding/events';
import { PliantTrigger } from '../../../nodes/PliantTrigger/PliantTrigger.node';
import codex from '../../../nodes/PliantTrigger/PliantTrigger.node.json';

const { description } = new PliantTrigger();
const property = (name: string) => description.properties.find((item) => item.name === name) as INodeProperties;

describe('Pliant Trigger description', () => {
	it('is a trigger named after its class', () => {
		expect(description.name).toBe('pliantTrigger');
		expect(description.displayName).toBe('Pliant Trigger');
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.outputs).toEqual(['main']);
		expect(description.credentials).toEqual([{ name: 'pliantApi', required: true }]);
		expect(description.subtitle).toBeTruthy();
		expect(description.icon).toEqual({
			light: 'file:../../icons/pliant.svg',
			dark: 'file:../../icons/pliant.dark.svg',
		});
	});

	it('has the one POST webhook the e2e workflows rely on', () => {
		expect(description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' },
		]);
	});

	it('offers every callback type plus "all", sorted by name', () => {
		const events = property('events');
		expect(events).toMatchObject({ displayName: 'Trigger On', type: 'multiOptions', required: true, default: [] });
		const options = events.options as INodePropertyOptions[];
		expect(options.map((option) => option.value).sort()).toEqual([ALL_EVENTS, ...EVENT_TYPES].sort());
		const names = options.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
		expect(options[0]).toMatchObject({ name: 'All Onboarding Events', value: '*' });
		expect(options.find((option) => option.value === 'ORGANIZATION_ADDED')?.name).toBe('Organization Added');
		for (const option of options) expect(option.description).toBeTruthy();
	});

	it('has the five options with their defaults, sorted, booleans described with "Whether"', () => {
		const options = property('options');
		expect(options).toMatchObject({ type: 'collection', default: {} });
		const inner = options.options as INodeProperties[];
		expect(inner.map((option) => [option.name, option.default])).toEqual([
			['ignoreDuplicates', true],
			['includeHeaders', false],
			['removeEarlierUrls', false],
			['resolvePartnerOrganizationId', true],
			['sampleOnTest', true],
			['verifySignature', true],
		]);
		for (const option of inner) {
			expect(option.type).toBe('boolean');
			expect(option.description).toMatch(/^Whether /);
		}
	});

	it('has a codex naming the node', () => {
		expect(codex).toMatchObject({
			node: 'n8n-nodes-pliant.pliantTrigger',
			nodeVersion: '1.0',
			codexVersion: '1.0',
			categories: ['Finance & Accounting', 'Sales'],
		});
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
	});

	it('wires all three lifecycle methods and webhook()', () => {
		const trigger = new PliantTrigger();
		expect(typeof trigger.webhookMethods.default.checkExists).toBe('function');
		expect(typeof trigger.webhookMethods.default.create).toBe('function');
		expect(typeof trigger.webhookMethods.default.delete).toBe('function');
		expect(typeof trigger.webhook).toBe('function');
	});
});

describe('event helpers', () => {
	it('makes human names', () => {
		expect(eventDisplayName('REPRESENTATIVE_LEGITIMATION_STATUS_CHANGED')).toBe(
			'Representative Legitimation Status Changed',
		);
	});

	it('expands "all" to all nine callback types', () => {
		expect(resolveSelectedEvents([ALL_EVENTS])).toEqual([...EVENT_TYPES]);
		expect(resolveSelectedEvents(['ORGANIZATION_ADDED', ALL_EVENTS])).toHaveLength(9);
	});

	it('keeps contract order, drops repeats and unknown values', () => {
		expect(resolveSelectedEvents(['ORGANIZATION_ADDED', 'AUTHORIZATION_GRANTED', 'ORGANIZATION_ADDED', 'NOPE'])).toEqual([
			'AUTHORIZATION_GRANTED',
			'ORGANIZATION_ADDED',
		]);
		expect(resolveSelectedEvents(undefined)).toEqual([]);
	});

	it('maps the other bank-connection spelling to the ..._CHANGED name', () => {
		expect(normaliseEventType('BANK_CONNECTION_STATUS_CHANGE')).toBe('BANK_CONNECTION_STATUS_CHANGED');
		expect(normaliseEventType('BANK_CONNECTION_STATUS_CHANGED')).toBe('BANK_CONNECTION_STATUS_CHANGED');
		expect(resolveSelectedEvents(['BANK_CONNECTION_STATUS_CHANGE'])).toEqual(['BANK_CONNECTION_STATUS_CHANGED']);
		expect(normaliseEventType(undefined)).toBe('');
	});
});
