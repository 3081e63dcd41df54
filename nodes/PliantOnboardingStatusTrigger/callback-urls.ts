import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodeProperties,
	IPollFunctions,
} from 'n8n-workflow';

import { PATHS, type SubscriptionList } from '../shared/contract';
import { buildError } from '../shared/errors/failure';
import { pliantApiRequest } from '../shared/http/transport';

export const CALLBACK_URL_FIELD = 'Callback URL';

const HTTP_URL = '^https?://\\S+$';

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

/** The callback URL of the node's parameters, checked. */
export function readCallbackUrl(this: IPollFunctions): string {
	const value = this.getNodeParameter('callbackUrl', '', { extractValue: true }) as unknown;
	const url = typeof value === 'string' ? value.trim() : '';
	if (!new RegExp(HTTP_URL).test(url)) {
		throw buildError(this.getNode(), {
			message: url ? `${CALLBACK_URL_FIELD} "${url}" is not an http(s) URL` : `${CALLBACK_URL_FIELD} is empty`,
			description:
				"Pick the Pliant Trigger's URL from the list (the URLs Pliant has subscriptions for), or enter its production URL.",
		});
	}
	return url;
}

/**
 * "From List" of the Callback URL field: every URL Pliant has subscriptions for, production
 * URLs first (a test URL only receives while "Listen for test event" runs).
 */
export async function searchCallbackUrls(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const response = (await pliantApiRequest.call(this, { method: 'GET', path: PATHS.subscriptions })) as
		| Partial<SubscriptionList>
		| undefined;
	const eventsByUrl = new Map<string, number>();
	for (const subscription of Array.isArray(response?.subscriptions) ? response.subscriptions : []) {
		if (typeof subscription?.callbackUrl !== 'string') continue;
		eventsByUrl.set(subscription.callbackUrl, (eventsByUrl.get(subscription.callbackUrl) ?? 0) + 1);
	}
	const wanted = (filter ?? '').trim().toLowerCase();
	const isTest = (url: string) => url.includes('/webhook-test/');
	const results: INodeListSearchItems[] = [...eventsByUrl]
		.filter(([url]) => wanted === '' || url.toLowerCase().includes(wanted))
		.sort(([a], [b]) => Number(isTest(a)) - Number(isTest(b)) || a.localeCompare(b))
		.map(([url, count]) => ({
			name: url,
			value: url,
			description: `${count} event type${count === 1 ? '' : 's'}${isTest(url) ? ' (test URL)' : ''}`,
		}));
	return { results };
}
