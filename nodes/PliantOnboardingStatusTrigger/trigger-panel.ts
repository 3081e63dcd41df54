import type { TriggerPanelDefinition } from 'n8n-workflow';

const TEST_MODE =
	"<b>While building your workflow</b>, click 'Fetch Test Event'. It returns the changes since the last poll or, when there are none, " +
	'one sample item (<code>sample: true</code>) built from one of your organizations, so you can map the next nodes.';

const PRODUCTION =
	'n8n then asks Pliant on the <b>Poll Times</b> schedule; nothing is registered at Pliant and no public URL is needed. ' +
	"Each change starts one execution; they show up in the <a data-key='executions'>executions list</a>, not in the editor.";

const TIMING =
	'<b>Real events take time.</b> Organization Added shows up at the first poll after Pliant creates the organization for a lead, often days after Create Lead. ' +
	'The onboarding events follow over days or weeks, and only for customers who agreed to share their onboarding details with you.';

/** The panel n8n shows before the trigger has output: test fetch vs polling when published, timing. */
export const triggerPanel: TriggerPanelDefinition = {
	header: '',
	executionsHelp: {
		inactive: `${TEST_MODE}<br /><br /><b>Once you're happy with your workflow</b>, publish it (n8n 1.x: activate). ${PRODUCTION}<br /><br />${TIMING}`,
		active: `${TEST_MODE}<br /><br /><b>Your workflow also runs automatically</b>, since it is published. ${PRODUCTION}<br /><br />${TIMING}`,
	},
	activationHint:
		'Once you have finished building your workflow, publish it (n8n 1.x: activate it): n8n then polls Pliant and runs once per change.',
};
