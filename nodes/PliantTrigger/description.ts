import type { INodeProperties } from 'n8n-workflow';

import { RECENT_IDS_PER_NODE } from './dedup';
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
