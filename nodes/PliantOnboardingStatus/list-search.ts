import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { ORGANIZATION_LIST_QUERY as QUERY, PATHS, type Organization, type OrganizationList } from '../shared/contract';
import { pliantApiRequest } from '../shared/http/transport';
import { stageOf } from '../shared/onboarding/stages';

/** Organizations per Pliant page the list reads. */
export const LIST_PAGE_SIZE = 100;
/** A search reads at most this many pages per call, so a rare name does not read everything at once. */
export const SEARCH_PAGES_PER_CALL = 10;

function matches(organization: Organization, filter: string): boolean {
	const haystack = [organization.name, organization.tradeName, organization.partnersOrganizationId]
		.filter((value): value is string => typeof value === 'string')
		.join(' ')
		.toLowerCase();
	return haystack.includes(filter);
}

function toListItem(organization: Organization): INodeListSearchItems {
	const partnerId = organization.partnersOrganizationId ? ` (${organization.partnersOrganizationId})` : '';
	return {
		name: `${organization.name ?? organization.organizationId}${partnerId}`,
		value: organization.organizationId,
		description: stageOf(organization.status).summary ?? undefined,
	};
}

/**
 * "From List" of the Organization field: Pliant's organizations, page by page (the token is
 * the next page number). Pliant's list has no name filter, so a search filters the pages
 * here (name, trade name or partner ID, any case) and reads on until it found some.
 */
export async function searchOrganizations(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const wanted = (filter ?? '').trim().toLowerCase();
	let page = Number(paginationToken ?? 0) || 0;
	const results: INodeListSearchItems[] = [];
	for (let read = 0; read < SEARCH_PAGES_PER_CALL; read++, page++) {
		const response = (await pliantApiRequest.call(this, {
			method: 'GET',
			path: PATHS.organizations,
			qs: { [QUERY.page]: page, [QUERY.limit]: LIST_PAGE_SIZE },
		})) as Partial<OrganizationList>;
		const organizations = Array.isArray(response?.organizations) ? response.organizations : [];
		for (const organization of organizations) {
			if (wanted === '' || matches(organization, wanted)) results.push(toListItem(organization));
		}
		const more = response?.hasNextPage === true && organizations.length > 0;
		if (!more) return { results };
		// Without a search one page is enough; with one, read on until something matched.
		if (wanted === '' || results.length > 0) return { results, paginationToken: String(page + 1) };
	}
	return { results, paginationToken: String(page) };
}
