import type { IExecuteFunctions } from 'n8n-workflow';

import { addRunHints, PACING_HINT } from '../../../../nodes/shared/execution/execution-hints';
import { credentialLimiter } from '../../../../nodes/shared/http/transport';
import { CREDENTIALS } from '../../../support/fake-execute-context';
import { forgetProcessMemory } from '../../../support/process-memory';

function context(withHints = true) {
	const added: unknown[] = [];
	const ctx = {
		getCredentials: async () => CREDENTIALS,
		...(withHints ? { addExecutionHints: (...hints: unknown[]) => added.push(...hints) } : {}),
	};
	return { ctx: ctx as unknown as IExecuteFunctions, added };
}

beforeEach(() => forgetProcessMemory());

describe('execution hints', () => {
	it("show the node's own outcome words on the output pane as info hints", async () => {
		const { ctx, added } = context();
		await addRunHints.call(ctx, ['2 of 3 leads already existed', '1 of 2 organizations do not share']);
		expect(added).toEqual([
			{ message: '2 of 3 leads already existed', type: 'info', location: 'outputPane' },
			{ message: '1 of 2 organizations do not share', type: 'info', location: 'outputPane' },
		]);
		expect(PACING_HINT.length).toBeLessThanOrEqual(120);
	});

	it('say that leads are pacing while the credential is throttled after a 429', async () => {
		credentialLimiter(CREDENTIALS).rateLimited(1000);
		const { ctx, added } = context();
		await addRunHints.call(ctx, []);
		expect(added).toEqual([expect.objectContaining({ message: PACING_HINT })]);
	});

	it('are skipped silently where the host has no addExecutionHints', async () => {
		const { ctx, added } = context(false);
		await expect(addRunHints.call(ctx, ['something'])).resolves.toBeUndefined();
		expect(added).toEqual([]);
	});

	it('add nothing when there is nothing to say', async () => {
		const { ctx, added } = context();
		await addRunHints.call(ctx, []);
		expect(added).toEqual([]);
	});
});
