import type { INodeProperties } from 'n8n-workflow';

import { eventOptions, POLLABLE_EVENT_TYPES } from '../shared/onboarding/events';
import { MAX_TRACKED_ORGANIZATIONS } from './snapshot';

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Polls Pliant for onboarding changes, so it needs no public URL. Authorization Pending and Authorization Granted exist only as callbacks: use the Pliant Trigger for those.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Trigger On',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: [],
		options: eventOptions(POLLABLE_EVENT_TYPES),
		description:
			'The onboarding changes that start the workflow, one execution per change, with the same fields as the Pliant Trigger',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Emit Current State on First Run',
				name: 'emitCurrentState',
				type: 'boolean',
				default: false,
				description: `Whether the first poll after publishing reports every organization as added (with its status when past the first step) instead of only recording what it sees. Up to ${MAX_TRACKED_ORGANIZATIONS.toLocaleString('en')} organizations are followed.`,
			},
		],
	},
];
