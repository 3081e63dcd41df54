import type { INodeProperties } from 'n8n-workflow';

import { eventOptions, POLLABLE_EVENT_TYPES } from '../shared/onboarding/events';
import { DEFAULT_MAX_PER_POLL, DEFAULT_WINDOW_HOURS } from './catch-up';
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

/* ------------------------------------------------------------------ version 2: two sources */

export const SOURCES = { changes: 'changes', callbackLog: 'callbackLog' } as const;

export const CALLBACK_URL_FIELD = 'Callback URL';

export const HTTP_URL = '^https?://\\S+$';

/** The Pliant Trigger's URL whose missed callbacks are read: from Pliant's subscriptions, or typed. */
export const callbackUrlProperty: INodeProperties = {
	displayName: CALLBACK_URL_FIELD,
	name: 'callbackUrl',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		"The Pliant Trigger's production URL (shown in that trigger). Only callbacks Pliant failed to deliver to this URL are read.",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a callback URL...',
			typeOptions: { searchListMethod: 'searchCallbackUrls', searchable: true },
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://n8n.example.com/webhook/5e1d7c3a-2b4f-4c6d-8e9f-0123456789ab/webhook',
			validation: [
				{ type: 'regex', properties: { regex: HTTP_URL, errorMessage: 'Not an http(s) URL' } },
			],
		},
	],
};

const sourceProperty: INodeProperties = {
	displayName: 'Source',
	name: 'source',
	type: 'options',
	noDataExpression: true,
	default: 'changes',
	options: [
		{
			name: "Missed Callbacks (Pliant's Callback Log)",
			value: SOURCES.callbackLog,
			description:
				'Callbacks Pliant failed to deliver to a Pliant Trigger (n8n stopped or unreachable), read from Pliant\'s callback log',
		},
		{
			name: 'Onboarding Changes (Polling Pliant)',
			value: SOURCES.changes,
			description: 'Changes of organizations and onboarding details, found by comparing what the API shows',
		},
	],
};

const callbackLogProperties: INodeProperties[] = [
	{
		displayName:
			'Catches up the callbacks Pliant could not deliver to a Pliant Trigger while n8n was stopped or unreachable, one execution each, with the Pliant Trigger\'s item. Put it in the same workflow as that Pliant Trigger and follow both with Remove Duplicates on <code>callbackId</code> (scope: workflow).',
		name: 'callbackLogNotice',
		type: 'notice',
		default: '',
	},
	callbackUrlProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Look Back (Hours)',
				name: 'windowHours',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 720 },
				default: DEFAULT_WINDOW_HOURS,
				description:
					'How far back each poll re-reads the log: Pliant marks a callback failed only after its retries, which can be hours after it was sent',
			},
			{
				displayName: 'Max Callbacks per Poll',
				name: 'maxCallbacksPerPoll',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: DEFAULT_MAX_PER_POLL,
				description:
					'Missed callbacks one poll emits at most, oldest first; the rest follow at the next polls. Each costs one request to Pliant.',
			},
		],
	},
];

const forVersion = (properties: INodeProperties[], show: Record<string, Array<string | number>>) =>
	properties.map((property) => ({ ...property, displayOptions: { show } }));

/** Version 1 exactly as it was; version 2 adds the source, with version 1's fields for changes. */
export const versionedProperties: INodeProperties[] = [
	...forVersion(triggerProperties, { '@version': [1] }),
	{ ...sourceProperty, displayOptions: { show: { '@version': [2] } } },
	...forVersion(triggerProperties, { '@version': [2], source: [SOURCES.changes] }),
	...forVersion(callbackLogProperties, { '@version': [2], source: [SOURCES.callbackLog] }),
];
