// Part of the local emulator: a dev server, never published (no community-node lint rule fires here).
/**
 * The contract's API routes (pliant-contract.md), mounted under `/api`. Auth and the rate
 * limit are applied by the server before these run; here is only the business logic.
 */
import { randomUUID } from 'node:crypto';

import {
	ERROR_CODES,
	ORGANIZATION_LIST_QUERY,
	PATHS,
	SUBSCRIPTION_LIMIT_PER_EVENT,
	type LeadResponse,
	type Organization,
	type Subscription,
} from '../nodes/shared/contract';
import { getCallback, listCallbacks } from './callback-log';
import type { EmulatorContext } from './context';
import { EMULATOR_DEFAULTS } from './defaults';
import { refusedCallbackUrls } from './callback-hosts';
import { canonicalEventType } from './delivery';
import {
	EmulatorError,
	errorReply,
	json,
	noContent,
	parseJsonBody,
	type EmulatorRequest,
	type Reply,
	type Route,
} from './http';
import {
	activateSchema,
	bulkUpsertSchema,
	leadSchema,
	organizationListQuery,
	parseWith,
	validationError,
} from './schemas';
import type { LeadRecord, OrganizationRecord } from './state';

const API = EMULATOR_DEFAULTS.apiPrefix;

function body(req: EmulatorRequest): { ok: true; value: unknown } | { ok: false; reply: Reply } {
	const parsed = parseJsonBody(req);
	if (parsed.ok) return parsed;
	return {
		ok: false,
		reply: validationError([{ field: '(body)', message: parsed.error }], parsed.error),
	};
}

function findOrganization(context: EmulatorContext, id: string): OrganizationRecord {
	const record = context.state.organizations.get(id);
	if (!record) throw new EmulatorError(404, ERROR_CODES.notFound, `Organization ${id} not found`);
	return record;
}

/* ------------------------------------------------------------------ leads */

function createLead(req: EmulatorRequest, context: EmulatorContext): Reply {
	const raw = body(req);
	if (!raw.ok) return raw.reply;
	const parsed = parseWith(leadSchema, raw.value);
	if (!parsed.ok) return parsed.reply;
	const request = parsed.value;
	const existing = [...context.state.leads.values()].find(
		(lead) => lead.partnerOrganizationId === request.partnerOrganizationId,
	);
	if (existing) {
		return errorReply(
			409,
			ERROR_CODES.leadAlreadyExists,
			`A lead with partnerOrganizationId "${request.partnerOrganizationId}" already exists`,
			{ leadId: existing.leadId },
		);
	}
	const lead: LeadRecord = {
		leadId: randomUUID(),
		partnerOrganizationId: request.partnerOrganizationId,
		status: 'RECEIVED',
		createdAt: new Date().toISOString(),
		// Keep the body exactly as sent (zod output drops nothing: the schemas are strict).
		request: raw.value as LeadRecord['request'],
	};
	context.state.leads.set(lead.leadId, lead);
	context.onboarding.scheduleLead(lead.leadId);
	const response: LeadResponse = {
		leadId: lead.leadId,
		partnerOrganizationId: lead.partnerOrganizationId,
		status: lead.status,
		createdAt: lead.createdAt,
	};
	return json(201, response);
}

/* ------------------------------------------------------------------ organizations */

function listOrganizations(req: EmulatorRequest, context: EmulatorContext): Reply {
	const query: Record<string, string> = {};
	for (const [key, value] of req.query) if (!(key in query)) query[key] = value;
	const parsed = parseWith(organizationListQuery, query);
	if (!parsed.ok) return parsed.reply;
	const { status, partnersOrganizationId, sortBy, sortDirection } = parsed.value;
	const page = parsed.value.page ?? 0;
	const limit = parsed.value.limit ?? ORGANIZATION_LIST_QUERY.defaultLimit;
	let organizations = [...context.state.organizations.values()].map(
		(record) => record.organization,
	);
	if (status)
		organizations = organizations.filter((organization) => organization.status === status);
	if (partnersOrganizationId)
		organizations = organizations.filter(
			(organization) => organization.partnersOrganizationId === partnersOrganizationId,
		);
	if (sortBy) {
		const direction = sortDirection === 'DESC' ? -1 : 1;
		organizations = [...organizations].sort(
			(a, b) => direction * String(a[sortBy] ?? '').localeCompare(String(b[sortBy] ?? '')),
		);
	} else if (sortDirection === 'DESC') {
		organizations = [...organizations].reverse();
	}
	const start = page * limit;
	const slice: Organization[] = organizations.slice(start, start + limit);
	return json(200, { organizations: slice, hasNextPage: start + limit < organizations.length });
}

function getOrganization(req: EmulatorRequest, context: EmulatorContext): Reply {
	return json(200, findOrganization(context, req.params.organizationId).organization);
}

function getRisk(req: EmulatorRequest, context: EmulatorContext): Reply {
	const record = findOrganization(context, req.params.organizationId);
	if (!record.detailsShared) {
		return errorReply(
			403,
			ERROR_CODES.onboardingDetailsNotShared,
			'The organization has not agreed to share its onboarding details',
		);
	}
	return json(200, record.details);
}

function activate(req: EmulatorRequest, context: EmulatorContext): Reply {
	const raw = body(req);
	if (!raw.ok) return raw.reply;
	const parsed = parseWith(activateSchema, raw.value);
	if (!parsed.ok) return parsed.reply;
	const record = findOrganization(context, req.params.organizationId);
	context.onboarding.activate(record, parsed.value?.syncFromDate);
	// [assumed] response body: Pliant does not publish one.
	return json(200, {
		organizationId: record.organization.organizationId,
		status: record.organization.status,
		authorizationStatus: record.authorizationStatus,
		syncFromDate: record.syncFromDate ?? null,
	});
}

/* ------------------------------------------------------------------ subscriptions */

function listSubscriptions(_req: EmulatorRequest, context: EmulatorContext): Reply {
	return json(200, { subscriptions: [...context.state.subscriptions.values()] });
}

function bulkUpsert(req: EmulatorRequest, context: EmulatorContext): Reply {
	const raw = body(req);
	if (!raw.ok) return raw.reply;
	const parsed = parseWith(bulkUpsertSchema, raw.value);
	if (!parsed.ok) return parsed.reply;
	const refused = refusedCallbackUrls(parsed.value.subscriptions, context.callbackHosts);
	if (refused) return refused;
	const existing = [...context.state.subscriptions.values()];
	const find = (eventType: string, callbackUrl: string) =>
		existing.find((item) => item.eventType === eventType && item.callbackUrl === callbackUrl);
	const result: Subscription[] = [];
	const toAdd: Subscription[] = [];
	for (const wanted of parsed.value.subscriptions) {
		const known =
			find(wanted.eventType, wanted.callbackUrl) ??
			toAdd.find(
				(item) => item.eventType === wanted.eventType && item.callbackUrl === wanted.callbackUrl,
			);
		if (known) {
			result.push(known);
			continue;
		}
		const created = {
			id: randomUUID(),
			eventType: wanted.eventType,
			callbackUrl: wanted.callbackUrl,
		};
		toAdd.push(created);
		result.push(created);
	}
	// All or nothing: check the per-event-type limit before storing anything.
	const perType = new Map<string, number>();
	for (const item of [...existing, ...toAdd]) {
		const type = canonicalEventType(item.eventType);
		perType.set(type, (perType.get(type) ?? 0) + 1);
	}
	for (const [type, count] of perType) {
		if (count > SUBSCRIPTION_LIMIT_PER_EVENT) {
			return errorReply(
				409,
				ERROR_CODES.subscriptionLimitReached,
				`At most ${SUBSCRIPTION_LIMIT_PER_EVENT} subscriptions per event type; ${type} would have ${count}`,
				{ eventType: type },
			);
		}
	}
	for (const item of toAdd) context.state.subscriptions.set(item.id, item);
	return json(200, { subscriptions: result });
}

function deleteSubscription(req: EmulatorRequest, context: EmulatorContext): Reply {
	if (!context.state.subscriptions.delete(req.params.id)) {
		return errorReply(404, ERROR_CODES.notFound, `Subscription ${req.params.id} not found`);
	}
	return noContent();
}

/* ------------------------------------------------------------------ signing keys */

function jwks(_req: EmulatorRequest, context: EmulatorContext): Reply {
	return json(200, context.keys.jwks());
}

export const API_ROUTES: Array<Route<EmulatorContext>> = [
	{ method: 'POST', pattern: `${API}${PATHS.leads}`, handler: createLead },
	{ method: 'GET', pattern: `${API}${PATHS.organizations}`, handler: listOrganizations },
	{
		method: 'GET',
		pattern: `${API}${PATHS.organizations}/:organizationId`,
		handler: getOrganization,
	},
	{ method: 'GET', pattern: `${API}${PATHS.organizations}/:organizationId/risk`, handler: getRisk },
	{
		method: 'POST',
		pattern: `${API}${PATHS.organizations}/:organizationId/activate`,
		handler: activate,
	},
	{ method: 'GET', pattern: `${API}${PATHS.subscriptions}`, handler: listSubscriptions },
	{ method: 'POST', pattern: `${API}${PATHS.subscriptionsBulkUpsert}`, handler: bulkUpsert },
	{ method: 'DELETE', pattern: `${API}${PATHS.subscriptions}/:id`, handler: deleteSubscription },
	{ method: 'GET', pattern: `${API}${PATHS.callbacks}`, handler: listCallbacks },
	{ method: 'GET', pattern: `${API}${PATHS.callbacks}/:callbackId`, handler: getCallback },
	{ method: 'GET', pattern: `${API}${PATHS.jwks}`, handler: jwks },
];
