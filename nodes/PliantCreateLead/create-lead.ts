import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { ERROR_CODES, PATHS, type LeadRequest, type LeadResponse } from '../shared/contract';
import { pliantApiRequest } from '../shared/transport';
import { ON_DUPLICATE } from './description';
import { buildLeadBody, readLeadInput } from './lead-body';

/** Items sent at once; the shared rate limiter in the transport bounds the request rate. */
export const CREATE_LEAD_CONCURRENCY = 4;

type OnDuplicate = (typeof ON_DUPLICATE)[keyof typeof ON_DUPLICATE];

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

function readOnDuplicate(this: IExecuteFunctions, itemIndex: number): OnDuplicate {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const value = options.onDuplicate ?? ON_DUPLICATE.returnExisting;
	if (value === ON_DUPLICATE.returnExisting || value === ON_DUPLICATE.fail) return value;
	throw new NodeOperationError(this.getNode(), `Unknown On Duplicate option "${String(value)}" [item ${itemIndex}]`, {
		description: `Use "${ON_DUPLICATE.returnExisting}" or "${ON_DUPLICATE.fail}".`,
		itemIndex,
	});
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
function isLeadAlreadyExists(error: unknown): error is NodeApiError {
	if (!(error instanceof NodeApiError)) return false;
	const pliant = (error.context.pliant ?? {}) as IDataObject;
	if (pliant.status !== 409) return false;
	// Without Pliant's code, a 409 that names a lead is still the duplicate answer.
	return pliant.code === ERROR_CODES.leadAlreadyExists || (pliant.code === undefined && Boolean(pliant.leadId));
}

/** The 409 as an error that says which lead exists and how to let the node accept it. */
function duplicateLeadError(
	error: NodeApiError,
	partnerOrganizationId: string,
	leadId: string | null,
	itemIndex: number,
): NodeApiError {
	error.message = `A lead with Partner Organization ID "${partnerOrganizationId}" already exists at Pliant${leadId ? ` (lead ${leadId})` : ''} [item ${itemIndex}]`;
	error.description =
		'Pliant accepts one lead per partner organization ID. Use another ID, or set Options > On Duplicate to "Return Existing Lead" to output the existing lead instead.';
	return error;
}

/**
 * One item: validate and build the body (nothing is sent if that fails), POST it once, and
 * turn Pliant's 409 into the existing lead or a clear error. The transport never repeats a
 * POST that may have reached Pliant, and nothing here sends it again.
 */
export async function createLead(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<IDataObject> {
	const body = buildLeadBody(readLeadInput.call(this, itemIndex), this.getNode(), itemIndex);
	const onDuplicate = readOnDuplicate.call(this, itemIndex);
	const sent = summariseLead(body);

	let response: LeadResponse;
	try {
		response = (await pliantApiRequest.call(this, {
			method: 'POST',
			path: PATHS.leads,
			body: body as unknown as IDataObject,
			itemIndex,
			rateLimitWaitMs: readRateLimitWaitMs.call(this, itemIndex),
		})) as unknown as LeadResponse;
	} catch (error) {
		if (!isLeadAlreadyExists(error)) {
			throw error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
		const existing = (error.errorResponse ?? {}) as IDataObject;
		const leadId = ((error.context.pliant as IDataObject).leadId ?? existing.leadId ?? null) as string | null;
		if (onDuplicate === ON_DUPLICATE.fail) {
			throw duplicateLeadError(error, body.partnerOrganizationId, leadId, itemIndex);
		}
		return {
			leadId,
			status: existing.status ?? null,
			createdAt: existing.createdAt ?? null,
			partnerOrganizationId: existing.partnerOrganizationId ?? body.partnerOrganizationId,
			duplicate: true,
			sent,
		};
	}
	return {
		leadId: response.leadId,
		status: response.status,
		createdAt: response.createdAt,
		partnerOrganizationId: response.partnerOrganizationId ?? body.partnerOrganizationId,
		duplicate: false,
		sent,
	};
}
