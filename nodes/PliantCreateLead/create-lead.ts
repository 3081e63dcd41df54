import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ERROR_CODES, PATHS, type LeadRequest, type LeadResponse } from '../shared/contract';
import type { DoneItem } from '../shared/execution/item-runner';
import { asNodeError, explained, inputError, itemReference, type NodeError } from '../shared/errors/failure';
import { failureFacts, mayHaveBeenProcessed, pliantCode } from '../shared/errors/failure-facts';
import { lostAnswer } from '../shared/errors/messages';
import { readChoice } from '../shared/execution/parameters';
import { DEFAULT_TIMEOUT_MS, pliantApiRequest } from '../shared/http/transport';
import type { Checks } from './checks';
import { ON_DUPLICATE } from './description';
import { buildLeadBody, readLeadInput } from './lead-body';

/** Items sent at once; the shared rate limiter in the transport bounds the request rate. */
export const CREATE_LEAD_CONCURRENCY = 4;

type OnDuplicate = keyof typeof ON_DUPLICATE;

/** How one item is sent, from its Options: read and checked with the lead, before any request. */
export interface SendOptions {
	onDuplicate: OnDuplicate;
	timeoutMs: number;
	/** How long the item may wait for Pliant's rate limit; undefined: the default budget. */
	rateLimitWaitMs: number | undefined;
}

/** One item, checked and ready to send. */
export interface PreparedLead extends SendOptions {
	body: LeadRequest;
	normalised: Record<string, string>;
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

function readTimeoutMs(this: IExecuteFunctions, itemIndex: number): number {
	const raw = this.getNodeParameter('options.timeout', itemIndex, '') as unknown;
	const seconds = raw === undefined || raw === '' ? undefined : Number(raw);
	if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0)) {
		throw inputError(this.getNode(), itemIndex, {
			message: `Timeout must be a number of seconds above 0, not "${String(raw)}"`,
			description: 'Set Options > Timeout to the seconds to wait for Pliant, e.g. 30.',
		});
	}
	return seconds === undefined ? DEFAULT_TIMEOUT_MS : Math.round(seconds * 1000);
}

function readRateLimitWaitMs(this: IExecuteFunctions, itemIndex: number): number | undefined {
	const raw = this.getNodeParameter('options.rateLimitWaitMinutes', itemIndex, '') as unknown;
	if (raw === undefined || raw === '') return undefined;
	const minutes = Number(raw);
	if (!Number.isFinite(minutes) || minutes < 0 || typeof raw === 'boolean') {
		throw inputError(this.getNode(), itemIndex, {
			message: `Rate Limit Wait must be a number of minutes of 0 or more, not "${String(raw)}"`,
			description: 'Set Options > Rate Limit Wait (Minutes), e.g. 6, or remove the option for the default.',
		});
	}
	return minutes * 60_000;
}

function readOnDuplicate(this: IExecuteFunctions, itemIndex: number): OnDuplicate {
	return readChoice(this, 'options.onDuplicate', itemIndex, ON_DUPLICATE, 'returnExisting', 'On Duplicate');
}

/** The item's Options, each checked; the first invalid one throws. */
export function readSendOptions(this: IExecuteFunctions, itemIndex: number): SendOptions {
	return {
		onDuplicate: readOnDuplicate.call(this, itemIndex),
		timeoutMs: readTimeoutMs.call(this, itemIndex),
		rateLimitWaitMs: readRateLimitWaitMs.call(this, itemIndex),
	};
}

/** Every invalid option of the item, for a dry run's list of problems. */
export function checkSendOptions(this: IExecuteFunctions, itemIndex: number, checks: Checks): void {
	checks.check(() => readOnDuplicate.call(this, itemIndex));
	checks.check(() => readTimeoutMs.call(this, itemIndex));
	checks.check(() => readRateLimitWaitMs.call(this, itemIndex));
}

/** Phase 1, for every item before any is sent: read, check and build; nothing is sent. */
export function prepareLead(this: IExecuteFunctions, itemIndex: number): PreparedLead {
	const { body, normalised } = buildLeadBody(readLeadInput.call(this, itemIndex), this.getNode(), itemIndex);
	return { body, normalised, ...readSendOptions.call(this, itemIndex) };
}

/** The 409 Pliant answers when a lead with this partner organization ID exists. */
function isLeadAlreadyExists(error: unknown): boolean {
	const facts = failureFacts(error);
	if (facts.status !== 409) return false;
	// Without Pliant's code, a 409 that names a lead is still the duplicate answer.
	const code = pliantCode(facts);
	return code === ERROR_CODES.leadAlreadyExists || (code === undefined && Boolean(facts.body?.leadId));
}

/** A lost answer to the POST: the lead may exist, and sending the item again is how to find out. */
function outcomeUnknownError(error: NodeError, lead: PreparedLead, itemIndex: number): NodeError {
	const id = lead.body.partnerOrganizationId;
	const why = lostAnswer(failureFacts(error), { method: 'POST', timeoutMs: lead.timeoutMs });
	return explained(error, {
		message: `Pliant may have created the lead for Partner Organization ID "${id}": ${why}`,
		itemIndex,
		namesItem: true,
		description:
			lead.onDuplicate === 'returnExisting'
				? 'The request was not repeated automatically, so the lead is never created twice. Running this item again is safe: if Pliant created the lead, the node returns it (duplicate: true) instead of creating another.'
				: 'The request was not repeated automatically, so the lead is never created twice. Running this item again is safe: if Pliant created the lead, On Duplicate "Fail" reports it as an existing lead; choose "Return Existing Lead" to get its ID.',
	});
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
			rateLimitWaitMs: lead.rateLimitWaitMs,
		})) as unknown as LeadResponse;
	} catch (error) {
		const facts = failureFacts(error);
		if (!isLeadAlreadyExists(error)) {
			const nodeError = asNodeError(this.getNode(), error, itemIndex);
			throw mayHaveBeenProcessed(facts) ? outcomeUnknownError(nodeError, lead, itemIndex) : nodeError;
		}
		const existing = (facts.body ?? {}) as IDataObject;
		const leadId = (existing.leadId ?? null) as string | null;
		if (onDuplicate === 'fail') {
			throw explained(asNodeError(this.getNode(), error, itemIndex), {
				message: `A lead with Partner Organization ID "${body.partnerOrganizationId}" already exists at Pliant${leadId ? ` (lead ${leadId})` : ''}`,
				itemIndex,
				namesItem: true,
				description:
					'Pliant accepts one lead per partner organization ID. Use another ID, or set Options > On Duplicate to "Return Existing Lead" to output the existing lead instead.',
			});
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
			.map((item) => `${String(item.partnerOrganizationId)} → ${String(item.leadId)} ${itemReference(itemIndex)}`),
	);
	if (leads.length === 0) return undefined;
	return `leads already at Pliant (partner organization ID → lead ID): ${leads.join(', ')}`;
}
