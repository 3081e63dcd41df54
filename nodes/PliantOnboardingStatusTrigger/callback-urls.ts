import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult, IPollFunctions } from 'n8n-workflow';

import { PATHS, type SubscriptionList } from '../shared/contract';
import { buildError } from '../shared/errors/failure';
import { pliantApiRequest } from '../shared/http/transport';
import { CALLBACK_URL_FIELD, HTTP_URL } from './description';

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
