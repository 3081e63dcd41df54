import { triggerPanel } from '../../../nodes/PliantTrigger/trigger-panel';

describe('Pliant Trigger panel', () => {
	const help = triggerPanel.executionsHelp as { inactive: string; active: string };

	it.each(['inactive', 'active'] as const)('(%s workflow) says that "Execute workflow" runs the next nodes on the sample', (state) => {
		// n8n does not tell the node whether only the trigger or the whole workflow runs.
		expect(help[state]).toContain("<b>'Execute workflow' also runs the nodes after the trigger on that sample</b>");
		expect(help[state]).toContain('<code>sample: true</code>');
		expect(help[state]).toContain('Send Sample on Test');
	});

	it('says it where it shows without unfolding anything (the activation hint)', () => {
		expect(triggerPanel.activationHint).toContain("'Execute workflow' also runs the next nodes on it");
	});
});
