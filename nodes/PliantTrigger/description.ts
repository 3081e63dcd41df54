import type { INodeProperties } from 'n8n-workflow';

import { RECENT_CALLBACKS_PER_NODE } from './dedup';
import { REMOVE_EARLIER_OPTION } from './subscription-log';
import { eventOptions } from '../shared/onboarding/events';

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Trigger On',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: [],
		options: eventOptions(),
		description: 'The Pliant callbacks that start the workflow, one execution per callback',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Ignore Duplicates',
				name: 'ignoreDuplicates',
				type: 'boolean',
				default: true,
				description: `Whether to skip a verified callback whose webhook-ID or X-Callback-ID this trigger saw recently (the last ${RECENT_CALLBACKS_PER_NODE.toLocaleString('en')} callbacks, kept in memory). Pliant delivers at least once; for exactly once across restarts add Remove Duplicates on callbackId and on webhookId (see the README).`,
			},
			{
				displayName: 'Include Headers',
				name: 'includeHeaders',
				type: 'boolean',
				default: false,
				description: 'Whether to add a few transport headers to the output as received: Content-Type, User-Agent and X-Callback-Created-At (not covered by the signature). No other header is ever copied.',
			},
			{
				displayName: REMOVE_EARLIER_OPTION,
				name: 'removeEarlierUrls',
				type: 'boolean',
				default: false,
				description:
					"Whether to also delete this trigger's subscriptions at an earlier URL (another n8n origin or path, after n8n moved). Off, they are left alone and named in n8n's log once: a copy of this n8n (staging) holds the same trigger, and deleting would cut the other n8n off.",
			},
			{
				displayName: 'Resolve Partner Organization ID',
				name: 'resolvePartnerOrganizationId',
				type: 'boolean',
				default: true,
				description:
					"Whether to fill partnerOrganizationId on every event, from Pliant's own records when the callback body does not carry it (one API request per new organization, remembered; the callback waits 2 s at most, else the field is null)",
			},
			{
				displayName: 'Send Sample on Test',
				name: 'sampleOnTest',
				type: 'boolean',
				default: true,
				description:
					'Whether "Listen for test event" returns a sample event (sample: true) of the first selected type at once, to map the next nodes ("Execute workflow" runs them on it too). Turn off to wait for a real test event from Pliant.',
			},
			{
				displayName: 'Verify Signature',
				name: 'verifySignature',
				type: 'boolean',
				default: true,
				description:
					"Whether to reject callbacks whose Ed25519 signature does not match Pliant's published keys. Turn off only for local tests: anyone who knows the URL could then start the workflow.",
			},
		],
	},
];
