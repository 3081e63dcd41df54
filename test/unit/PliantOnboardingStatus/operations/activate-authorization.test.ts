import nock from 'nock';

import { PliantOnboardingStatus } from '../../../../nodes/PliantOnboardingStatus/PliantOnboardingStatus.node';
import { useNock } from '../../../support/nock';
import { API, execute, fakeContextFor, type FakeRun } from '../../../support/fake-execute-context';
import { ORG_ID } from '../../../support/fixtures';

const fakeContext = fakeContextFor(PliantOnboardingStatus);

/** As n8n 2.x calls a node for an AI agent or MCP client. */
function asTool(run: FakeRun): FakeRun {
	(run.context.isToolExecution as jest.Mock).mockReturnValue(true);
	return run;
}

const activate = (options: Record<string, unknown> = {}) =>
	fakeContext({ operation: 'activateAuthorization', organizationId: ORG_ID, options });

describe('Activate Authorization as an AI tool (write guard)', () => {
	useNock();

	it('refuses without Allow AI Agent Use, sending nothing (not even a lookup)', async () => {
		const run = asTool(activate());
		await expect(execute(run)).rejects.toThrow(/not allowed as an AI tool.*nothing was activated/);
		expect(run.requests).not.toHaveBeenCalled();
	});

	it('tells the agent not to retry, in words for an agent', async () => {
		const error = (await execute(asTool(activate())).catch((caught: unknown) => caught)) as Error & { description?: string };
		expect(error.description).toMatch(/Do not retry/);
		expect(error.message).not.toMatch(/\[item 0\]/);
	});

	it('activates as a tool when the option allows it', async () => {
		const scope = nock(API).post(`/organizations/${ORG_ID}/activate`).reply(200, {});
		const [item] = await execute(asTool(activate({ allowAsTool: true })));
		expect(item.json).toMatchObject({ organizationId: ORG_ID, authorizationActivated: true });
		expect(scope.isDone()).toBe(true);
	});

	it('a normal (not tool) run needs no option', async () => {
		const scope = nock(API).post(`/organizations/${ORG_ID}/activate`).reply(200, {});
		const [item] = await execute(activate());
		expect(item.json).toMatchObject({ organizationId: ORG_ID, authorizationActivated: true });
		expect(scope.isDone()).toBe(true);
	});

	it('the option cannot be filled by an expression (so not by the model through $fromAI)', () => {
		const options = new PliantOnboardingStatus().description.properties.find(
			(property) => property.name === 'options' && property.displayOptions?.show?.operation?.includes('activateAuthorization'),
		);
		const allow = (options?.options as Array<{ name: string; noDataExpression?: boolean; default?: unknown }>).find(
			(option) => option.name === 'allowAsTool',
		);
		expect(allow).toMatchObject({ noDataExpression: true, default: false });
	});
});
