import type { TriggerPanelDefinition } from 'n8n-workflow';

/** How real events arrive, in the words of both trigger panels. */
export const EVENT_TIMING =
	'<b>Real events take time.</b> Organization Added comes when Pliant creates the organization for a lead, often days after Create Lead. ' +
	'The onboarding events follow over days or weeks, and only for customers who agreed to share their onboarding details with you.';

const TEST_MODE =
	"<b>While building your workflow</b>, click 'Listen for test event'. The trigger subscribes its <b>test URL</b> at Pliant and, " +
	'within a few seconds, outputs a sample event (<code>sample: true</code>) of the first selected event type, so you can map the next nodes. ' +
	"<b>'Execute workflow' also runs the nodes after the trigger on that sample</b> (n8n does not tell the trigger which button started it): " +
	'check <code>sample</code> before a node that writes to a CRM or sends a message, or turn off Options › Send Sample on Test to wait for a real event instead. ' +
	'Stopping the test deletes the test subscriptions.';

const PRODUCTION =
	'Publishing (n8n 1.x: activating) registers the <b>production URL</b> at Pliant for the selected events; unpublishing deletes exactly those subscriptions. ' +
	"Pliant's calls start executions that show up in the <a data-key='executions'>executions list</a>, not in the editor.";

/** The panel n8n shows before the trigger has output: test vs production URL, publishing, timing. */
export const triggerPanel: TriggerPanelDefinition = {
	header: '',
	executionsHelp: {
		inactive: `${TEST_MODE}<br /><br /><b>Once you're happy with your workflow</b>, publish it. ${PRODUCTION}<br /><br />${EVENT_TIMING}`,
		active: `${TEST_MODE}<br /><br /><b>Your workflow also runs automatically</b>, since it is published. ${PRODUCTION}<br /><br />${EVENT_TIMING}`,
	},
	// Shown without unfolding anything: where the sample goes is not a detail.
	activationHint:
		"The test button outputs a sample event (sample: true), and 'Execute workflow' also runs the next nodes on it. " +
		'Once you have finished building your workflow, publish it (n8n 1.x: activate it): Pliant then calls its production URL for every event.',
};
