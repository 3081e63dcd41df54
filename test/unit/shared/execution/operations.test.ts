import type { IExecuteFunctions } from 'n8n-workflow';

import {
	defineOperation,
	operationProperties,
	operationSubtitle,
	runOperation,
} from '../../../../nodes/shared/execution/operations';

const read = defineOperation({
	option: { name: 'Read', action: 'Read a thing', description: 'Changes nothing' },
	properties: [{ displayName: 'Thing ID', name: 'thingId', type: 'string', default: '' }],
	prepare: (itemIndex) => itemIndex,
	send: async (itemIndex) => ({ itemIndex }),
});
const write = defineOperation({
	option: { name: 'Write', action: 'Write a thing', description: 'Changes data' },
	properties: [],
	prepare: (itemIndex) => itemIndex,
	send: async (itemIndex) => ({ itemIndex }),
});
const TABLE = { read, write };

describe('an operations table', () => {
	it('gives the Operation list in table order, each value its key, and shows each field only for its operation', () => {
		const [operation, thingId] = operationProperties(TABLE, 'read');
		expect(operation).toMatchObject({ name: 'operation', type: 'options', noDataExpression: true, default: 'read' });
		expect(operation.options).toEqual([
			{ value: 'read', name: 'Read', action: 'Read a thing', description: 'Changes nothing' },
			{ value: 'write', name: 'Write', action: 'Write a thing', description: 'Changes data' },
		]);
		expect(thingId.displayOptions).toEqual({ show: { operation: ['read'] } });
	});

	it('names the operation on the canvas by its name or its action', () => {
		expect(operationSubtitle(TABLE)).toBe('={{ {"read":"Read","write":"Write"}[$parameter["operation"]] }}');
		expect(operationSubtitle(TABLE, 'action')).toContain('"write":"Write a thing"');
	});

	it('refuses an operation the table does not have, including inherited keys', async () => {
		for (const name of ['delete', 'toString', 42]) {
			const context = { getNodeParameter: () => name, getNode: () => ({ name: 'Node' }) } as unknown as IExecuteFunctions;
			await expect(runOperation.call(context, TABLE)).rejects.toThrow(`The operation "${String(name)}" is not supported`);
		}
	});
});
