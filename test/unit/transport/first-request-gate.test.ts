import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { FirstRequestGate } from '../../../nodes/shared/first-request-gate';

const NODE = { name: 'Pliant Create Lead' } as INode;

function apiError(status: number | undefined): NodeApiError {
	const error = new NodeApiError(NODE, { message: 'x' });
	error.context.pliant = { status };
	return error;
}

/** A request that stays open until `finish` is called; records how many were open at once. */
function tracker() {
	let open = 0;
	let maxOpen = 0;
	const finishers: Array<() => void> = [];
	const request =
		<T>(outcome: () => T) =>
		async (): Promise<T> => {
			open++;
			maxOpen = Math.max(maxOpen, open);
			await new Promise<void>((resolve) => finishers.push(resolve));
			open--;
			return outcome();
		};
	const flush = async () => {
		for (let round = 0; round < 10; round++) await Promise.resolve();
	};
	return {
		request,
		flush,
		finishNext: () => finishers.shift()?.(),
		get open() {
			return open;
		},
		get maxOpen() {
			return maxOpen;
		},
	};
}

describe('FirstRequestGate', () => {
	it('lets one request through until Pliant answered, then all at once', async () => {
		const gate = new FirstRequestGate();
		const t = tracker();
		const results = [1, 2, 3, 4].map(async (value) => await gate.through(t.request(() => value)));
		await t.flush();
		expect(t.open).toBe(1);
		t.finishNext();
		await t.flush();
		expect(t.open).toBe(3);
		for (let index = 0; index < 3; index++) t.finishNext();
		await expect(Promise.all(results)).resolves.toEqual([1, 2, 3, 4]);
		expect(t.maxOpen).toBe(3);
	});

	it('opens after an error answer from Pliant (the token worked)', async () => {
		const gate = new FirstRequestGate();
		const t = tracker();
		const first = gate.through(
			t.request(() => {
				throw apiError(409);
			}),
		);
		const others = [gate.through(t.request(() => 2)), gate.through(t.request(() => 3))];
		await t.flush();
		expect(t.open).toBe(1);
		t.finishNext();
		await expect(first).rejects.toBeInstanceOf(NodeApiError);
		await t.flush();
		expect(t.open).toBe(2);
		t.finishNext();
		t.finishNext();
		await expect(Promise.all(others)).resolves.toEqual([2, 3]);
	});

	it('stays one at a time while requests fail before Pliant answers (e.g. the token request)', async () => {
		const gate = new FirstRequestGate();
		const t = tracker();
		const failing = [1, 2].map(
			async () =>
				await gate.through(
					t.request(() => {
						throw apiError(undefined);
					}),
				),
		);
		const last = gate.through(t.request(() => 'ok'));
		for (let step = 0; step < 3; step++) {
			await t.flush();
			expect(t.open).toBe(1);
			t.finishNext();
		}
		await Promise.allSettled(failing);
		await expect(last).resolves.toBe('ok');
		expect(t.maxOpen).toBe(1);
	});
});
