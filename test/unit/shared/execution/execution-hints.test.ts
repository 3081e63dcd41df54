import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { addRunHints, outcomeHints, PACING_HINT } from '../../../../nodes/shared/execution/execution-hints';
import { credentialLimiter } from '../../../../nodes/shared/http/transport';
import { CREDENTIALS } from '../../../support/fake-execute-context';
import { forgetProcessMemory } from '../../../support/process-memory';

const items = (...json: object[]): INodeExecutionData[] => json.map((j) => ({ json: j as never }));

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
	it('say how many leads already existed, were normalised, and which organizations share no details', () => {
		expect(
			outcomeHints(
				items(
					{ leadId: 'a', duplicate: true },
					{ leadId: 'b', duplicate: false, normalised: { country: 'Germany → DE' } },
					{ leadId: 'c', duplicate: true },
					{ error: 'bad' },
				),
			),
		).toEqual([
			'2 of 3 leads already existed at Pliant: returned as existing (duplicate: true)',
			'1 of 3 leads had values normalised (see normalised), e.g. country: Germany → DE',
		]);
		expect(outcomeHints(items({ organizationId: 'x', detailsShared: false }, { organizationId: 'y' }))).toEqual([
			'1 of 2 organizations do not share onboarding details (detailsShared: false)',
		]);
		expect(outcomeHints(items({ leadId: 'a', duplicate: false }))).toEqual([]);
	});

	it('go to the output pane as info hints, each at most 120 characters', async () => {
		const { ctx, added } = context();
		await addRunHints.call(ctx, items({ duplicate: true }, { detailsShared: false }));
		expect(added).toEqual([
			expect.objectContaining({ type: 'info', location: 'outputPane' }),
			expect.objectContaining({ type: 'info', location: 'outputPane' }),
		]);
		for (const hint of [...(added as Array<{ message: string }>).map((h) => h.message), PACING_HINT]) {
			expect(hint.length).toBeLessThanOrEqual(120);
		}
	});

	it('say that leads are pacing while the credential is throttled after a 429', async () => {
		credentialLimiter(CREDENTIALS).rateLimited(1000);
		const { ctx, added } = context();
		await addRunHints.call(ctx, items({ leadId: 'a', duplicate: false }));
		expect(added).toEqual([expect.objectContaining({ message: PACING_HINT })]);
	});

	it('are skipped silently where the host has no addExecutionHints', async () => {
		const { ctx, added } = context(false);
		await expect(addRunHints.call(ctx, items({ duplicate: true }))).resolves.toBeUndefined();
		expect(added).toEqual([]);
	});

	it('add nothing when there is nothing to say', async () => {
		const { ctx, added } = context();
		await addRunHints.call(ctx, items({ leadId: 'a', duplicate: false }));
		expect(added).toEqual([]);
	});
});
