import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	ORGANIZATION_LIST_QUERY as QUERY,
	PATHS,
	type Organization,
	type OrganizationList,
} from '../contract';
import { pliantApiRequest, type PliantContext } from '../http/transport';
import { isUuid } from '../uuid';

/**
 * At most this many pages are followed: 1,000 pages of up to 1,000 organizations is far more
 * than a partner has, and a server that always says "there is more" cannot keep a run busy.
 */
export const MAX_ORGANIZATION_PAGES = 1000;

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

/** The organizations of one answer whose ID is a UUID; the others are logged and left out. */
function withValidIds(this: PliantContext, organizations: unknown[]): Organization[] {
	const valid = organizations.filter((organization): organization is Organization =>
		isUuid((organization as Partial<Organization> | null)?.organizationId),
	);
	if (valid.length < organizations.length) {
		// An ID enters a URL path later (details, activation): only a UUID may.
		this.logger?.warn(
			`Pliant listed ${organizations.length - valid.length} organization(s) without a valid organizationId (a UUID); they are left out`,
		);
	}
	return valid;
}

function pageCapError(this: PliantContext, found: number, itemIndex?: number): NodeOperationError {
	return new NodeOperationError(
		this.getNode(),
		`Pliant still reported more organizations after ${MAX_ORGANIZATION_PAGES} pages (${found} kept); stopped reading`,
		{
			itemIndex,
			description: 'Narrow the request (a status filter, a limit instead of Return All), or check the API base URL of the credential.',
		},
	);
}

/**
 * Reads `GET /organizations` page by page (pages start at 0) until `wanted` organizations
 * were kept or Pliant reports no further page; fails after MAX_ORGANIZATION_PAGES pages.
 */
export async function readOrganizationPages(
	this: PliantContext,
	request: OrganizationPagesRequest,
): Promise<Organization[]> {
	const keep = request.keep ?? (() => true);
	const found: Organization[] = [];
	for (let page = 0; found.length < request.wanted; page++) {
		if (page >= MAX_ORGANIZATION_PAGES) throw pageCapError.call(this, found.length, request.itemIndex);
		const response = (await pliantApiRequest.call(this, {
			method: 'GET',
			path: PATHS.organizations,
			qs: { ...request.query, [QUERY.page]: page, [QUERY.limit]: request.pageSize },
			itemIndex: request.itemIndex,
		})) as Partial<OrganizationList>;
		const listed: unknown[] = Array.isArray(response?.organizations) ? response.organizations : [];
		for (const organization of withValidIds.call(this, listed)) {
			if (keep(organization)) found.push(organization);
			if (found.length >= request.wanted) break;
		}
		// An empty page ends the loop too, should a server keep saying there is more.
		if (response?.hasNextPage !== true || listed.length === 0) break;
	}
	return found;
}
