import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ERROR_CODES, PATHS, type LeadRequest, type LeadResponse } from '../shared/contract';
import type { DoneItem } from '../shared/execution/item-runner';
import { failureFacts, pliantCode } from '../shared/errors/failure-facts';
import { mayHaveBeenProcessed } from '../shared/http/retry-policy';
import { DEFAULT_TIMEOUT_MS, pliantApiRequest } from '../shared/http/transport';
import { ON_DUPLICATE } from './description';
import { buildLeadBody, readLeadInput } from './lead-body';

/** Items sent at once; the shared rate limiter in the transport bounds the request rate. */
export const CREATE_LEAD_CONCURRENCY = 4;

type OnDuplicate = (typeof ON_DUPLICATE)[keyof typeof ON_DUPLICATE];

/** One item, checked and ready to send. */
export interface PreparedLead {
	body: LeadRequest;
	normalised: Record<string, string>;
	onDuplicate: OnDuplicate;
	timeoutMs: number;
}

/** What the output says was sent: enough to recognise the lead, never the whole body. */
export function summariseLead(body: LeadRequest): IDataObject {
	const fields = Object.keys(body).flatMap((key) =>
		key === 'company' ? Object.keys(body.company).map((field) => `company.${field}`) : [key],
	);
	return {
		companyName: body.company.name,
		country: body.company.country,
		industry: body.company.industry,
		contactPersons: body.contactPersons?.length ?? 0,
		fields,
	};
}

function readOptions(this: IExecuteFunctions, itemIndex: number): { onDuplicate: OnDuplicate; timeoutMs: number } {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const onDuplicate = options.onDuplicate ?? ON_DUPLICATE.returnExisting;
	if (onDuplicate !== ON_DUPLICATE.returnExisting && onDuplicate !== ON_DUPLICATE.fail) {
		throw new NodeOperationError(this.getNode(), `Unknown On Duplicate option "${String(onDuplicate)}" [item ${itemIndex}]`, {
			description: `Use "${ON_DUPLICATE.returnExisting}" or "${ON_DUPLICATE.fail}".`,
			itemIndex,
		});
	}
	const seconds = options.timeout === undefined || options.timeout === '' ? undefined : Number(options.timeout);
	if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0)) {
		throw new NodeOperationError(this.getNode(), `Timeout must be a number of seconds above 0, not "${String(options.timeout)}" [item ${itemIndex}]`, {
			description: 'Set Options > Timeout to the seconds to wait for Pliant, e.g. 30.',
			itemIndex,
		});
	}
	return { onDuplicate, timeoutMs: seconds === undefined ? DEFAULT_TIMEOUT_MS : Math.round(seconds * 1000) };
}

/** Phase 1, for every item before any is sent: read, check and build; nothing is sent. */
export function prepareLead(this: IExecuteFunctions, itemIndex: number): PreparedLead {
	const { body, normalised } = buildLeadBody(readLeadInput.call(this, itemIndex), this.getNode(), itemIndex);
	return { body, normalised, ...readOptions.call(this, itemIndex) };
}

/** The option's minutes as milliseconds; empty or invalid means the default budget. */
function readRateLimitWaitMs(this: IExecuteFunctions, itemIndex: number): number | undefined {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const minutes = Number(options.rateLimitWaitMinutes);
	return options.rateLimitWaitMinutes === undefined || !Number.isFinite(minutes) || minutes < 0
		? undefined
		: minutes * 60_000;
}

/** The 409 Pliant answers when a lead with this partner organization ID exists. */
function isLeadAlreadyExists(error: unknown): boolean {
	const facts = failureFacts(error);
	if (facts.status !== 409) return false;
	// Without Pliant's code, a 409 that names a lead is still the duplicate answer.
	const code = pliantCode(facts);
	return code === ERROR_CODES.leadAlreadyExists || (code === undefined && Boolean(facts.body?.leadId));
}

function asNodeError(this: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	return error instanceof NodeApiError || error instanceof NodeOperationError
		? error
		: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
}

/** A lost answer to the POST: the lead may exist, and sending the item again is how to find out. */
function outcomeUnknownError(
	error: NodeApiError | NodeOperationError,
	lead: PreparedLead,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	const id = lead.body.partnerOrganizationId;
	error.message = `Pliant may have created the lead for Partner Organization ID "${id}": ${error.message.replace(/: Pliant may have processed the request$/, '')} [item ${itemIndex}]`;
	error.description =
		lead.onDuplicate === ON_DUPLICATE.returnExisting
			? 'The request was not repeated automatically, so the lead is never created twice. Running this item again is safe: if Pliant created the lead, the node returns it (duplicate: true) instead of creating another.'
			: 'The request was not repeated automatically, so the lead is never created twice. Running this item again is safe: if Pliant created the lead, On Duplicate "Fail" reports it as an existing lead; choose "Return Existing Lead" to get its ID.';
	return error;
}

/** Phase 2: POST the lead once, and turn Pliant's 409 into the existing lead or a clear error. */
export async function sendLead(
	this: IExecuteFunctions,
	lead: PreparedLead,
	itemIndex: number,
): Promise<IDataObject> {
	const { body, onDuplicate } = lead;
	const sent = summariseLead(body);
	const reported = Object.keys(lead.normalised).length > 0 ? { normalised: lead.normalised } : {};

	let response: LeadResponse;
	try {
		response = (await pliantApiRequest.call(this, {
			method: 'POST',
			path: PATHS.leads,
			body: body as unknown as IDataObject,
			itemIndex,
			timeoutMs: lead.timeoutMs,
			rateLimitWaitMs: readRateLimitWaitMs.call(this, itemIndex),
		})) as unknown as LeadResponse;
	} catch (error) {
		const facts = failureFacts(error);
		if (!isLeadAlreadyExists(error)) {
			const nodeError = asNodeError.call(this, error, itemIndex);
			throw mayHaveBeenProcessed(facts) ? outcomeUnknownError(nodeError, lead, itemIndex) : nodeError;
		}
		const existing = (facts.body ?? {}) as IDataObject;
		const leadId = (existing.leadId ?? null) as string | null;
		if (onDuplicate === ON_DUPLICATE.fail) {
			const nodeError = asNodeError.call(this, error, itemIndex);
			nodeError.message = `A lead with Partner Organization ID "${body.partnerOrganizationId}" already exists at Pliant${leadId ? ` (lead ${leadId})` : ''} [item ${itemIndex}]`;
			nodeError.description =
				'Pliant accepts one lead per partner organization ID. Use another ID, or set Options > On Duplicate to "Return Existing Lead" to output the existing lead instead.';
			throw nodeError;
		}
		return {
			leadId,
			status: existing.status ?? null,
			createdAt: existing.createdAt ?? null,
			partnerOrganizationId: existing.partnerOrganizationId ?? body.partnerOrganizationId,
			duplicate: true,
			...reported,
			sent,
		};
	}
	return {
		leadId: response.leadId,
		status: response.status,
		createdAt: response.createdAt,
		partnerOrganizationId: response.partnerOrganizationId ?? body.partnerOrganizationId,
		duplicate: false,
		...reported,
		sent,
	};
}

/** For a run that stopped half-way: the leads that exist at Pliant, so none is lost. */
export function summariseCreatedLeads(done: DoneItem[]): string | undefined {
	const leads = done.flatMap(({ itemIndex, json }) =>
		json
			.filter((item) => item.leadId)
			.map((item) => `${String(item.partnerOrganizationId)} → ${String(item.leadId)} [item ${itemIndex}]`),
	);
	if (leads.length === 0) return undefined;
	return `leads already at Pliant (partner organization ID → lead ID): ${leads.join(', ')}`;
}
