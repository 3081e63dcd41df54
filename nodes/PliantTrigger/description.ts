import type { INodeProperties } from 'n8n-workflow';

import { RECENT_IDS_PER_NODE } from './dedup';
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
				description: `Whether to skip a callback whose callback ID this trigger saw recently (the last ${RECENT_IDS_PER_NODE.toLocaleString('en')}, kept in memory). Pliant delivers at least once; for exact deduplication add a Remove Duplicates node on callbackId, which is the signed webhook-ID header (a replay cannot change it).`,
			},
			{
				displayName: 'Include Headers',
				name: 'includeHeaders',
				type: 'boolean',
				default: false,
				description: 'Whether to add the request headers to the output as received (not covered by the signature; signature headers and headers that could carry credentials are left out)',
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
				displayName: 'Send Sample on Test',
				name: 'sampleOnTest',
				type: 'boolean',
				default: true,
				description:
					'Whether "Listen for test event" returns a sample event (sample: true) of the first selected type at once, to map the next nodes. Turn off to wait for a real test event from Pliant.',
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
