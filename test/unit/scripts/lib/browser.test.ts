/**
 * executeStep (scripts/lib/browser.ts), the browser tests' "Execute step": it clicks again only
 * when n8n recorded no execution for the click, reports that retry, and fails on an execution
 * that errored. The button, n8n's execution list and the output panel are fakes the test steers.
 */
import { executeStep } from '../../../../scripts/lib/browser';

type Execution = { id: string; status?: string };

/** A fake editor: each click runs `onClick`, which may record an execution (or drop the click). */
function fakeEditor(onClick: (clicks: number, executions: Execution[]) => void) {
	const executions: Execution[] = [{ id: '1', status: 'success' }]; // one from before the step
	let clicks = 0;
	const button = {
		click: jest.fn(async () => {
			clicks++;
			onClick(clicks, executions);
		}),
		isEnabled: async () => true,
	};
	const n8n = { editorExecutions: async () => executions.map((e) => ({ ...e })) };
	return { button, n8n, executions };
}

const FAST = { droppedAfterMs: 50, pollMs: 5, timeoutMs: 5_000 };

describe('executeStep', () => {
	it('one click that n8n recorded: no second click, no retry reported', async () => {
		const { button, n8n, executions } = fakeEditor((_clicks, list) => list.push({ id: '2', status: 'running' }));
		let looks = 0;
		const onRetry = jest.fn();
		// the output shows only after several looks, well past droppedAfterMs; then the run ends
		const shown = async () => {
			looks++;
			if (looks === 30) executions[1].status = 'success';
			return looks >= 30;
		};
		await expect(executeStep(button, n8n, 'wf', shown, onRetry, FAST)).resolves.toEqual(['success']);
		expect(button.click).toHaveBeenCalledTimes(1);
		expect(onRetry).not.toHaveBeenCalled();
	});

	it('a click n8n never recorded: clicked again, and the retry is reported', async () => {
		const { button, n8n, executions } = fakeEditor((clicks, list) => {
			if (clicks === 2) list.push({ id: '2', status: 'success' });
		});
		const onRetry = jest.fn();
		const shown = async () => executions.length === 2;
		await expect(executeStep(button, n8n, 'wf', shown, onRetry, FAST)).resolves.toEqual(['success']);
		expect(button.click).toHaveBeenCalledTimes(2);
		expect(onRetry).toHaveBeenCalledTimes(1);
		expect(onRetry.mock.calls[0][0]).toMatch(/^n8n recorded no execution .* clicked again$/);
	});

	it('an execution that errored fails at once, without clicking again', async () => {
		const { button, n8n } = fakeEditor((_clicks, list) => list.push({ id: '2', status: 'error' }));
		const onRetry = jest.fn();
		await expect(executeStep(button, n8n, 'wf', async () => false, onRetry, FAST)).rejects.toThrow(
			'execution 2 of the step ended with status "error"',
		);
		expect(button.click).toHaveBeenCalledTimes(1);
		expect(onRetry).not.toHaveBeenCalled();
	});
});
