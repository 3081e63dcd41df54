import type { IDataObject } from 'n8n-workflow';

import {
	ORGANIZATION_LIST_QUERY as QUERY,
	PATHS,
	type Organization,
	type OrganizationList,
} from '../contract';
import { pliantApiRequest, type PliantContext } from '../http/transport';

export interface OrganizationPagesRequest {
	/** Pliant's own filters (e.g. status); page and limit are set here. */
	query?: IDataObject;
	/** Stop once this many organizations were kept; Infinity reads every page. */
	wanted: number;
	/** Client-side filter; with one, read full pages, since any page may hold the matches. */
	keep?: (organization: Organization) => boolean;
	pageSize: number;
	/** Item the call belongs to, for error messages. */
	itemIndex?: number;
}

/**
 * Reads `GET /organizations` page by page (pages start at 0) until `wanted` organizations
 * were kept or Pliant reports no further page.
 */
export async function readOrganizationPages(
	this: PliantContext,
	request: OrganizationPagesRequest,
): Promise<Organization[]> {
	const keep = request.keep ?? (() => true);
	const found: Organization[] = [];
	for (let page = 0; found.length < request.wanted; page++) {
		const response = (await pliantApiRequest.call(this, {
			method: 'GET',
			path: PATHS.organizations,
			qs: { ...request.query, [QUERY.page]: page, [QUERY.limit]: request.pageSize },
			itemIndex: request.itemIndex,
		})) as Partial<OrganizationList>;
		const organizations = Array.isArray(response?.organizations) ? response.organizations : [];
		for (const organization of organizations) {
			if (keep(organization)) found.push(organization);
			if (found.length >= request.wanted) break;
		}
		// An empty page ends the loop too, should a server keep saying there is more.
		if (response?.hasNextPage !== true || organizations.length === 0) break;
	}
	return found;
}
