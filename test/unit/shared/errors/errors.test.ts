/**
 * How a failed call is read (status, Pliant's body, Retry-After, network code) from the shapes
 * n8n and axios produce, and how it is turned into a NodeApiError a person can act on.
 */
import type { JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { ERROR_CODES } from '../../../../nodes/shared/contract';
import { toPliantApiError } from '../../../../nodes/shared/errors/api-error';
import { failureFacts } from '../../../../nodes/shared/errors/failure-facts';
import { PliantCreateLead } from '../../../../nodes/PliantCreateLead/PliantCreateLead.node';
import { nodeFor } from '../../../support/fake-execute-context';

const NODE = nodeFor(new PliantCreateLead());

function axiosError(status: number, data: unknown, headers: Record<string, string> = {}) {
	return Object.assign(new Error(`Request failed with status code ${status}`), {
		isAxiosError: true,
		response: { status, data, headers },
	});
}

describe('failureFacts', () => {
	it('reads status, body and Retry-After (seconds) from an axios-style error', () => {
		const facts = failureFacts(axiosError(429, { error: 'slow down' }, { 'retry-after': '7' }));
		expect(facts).toEqual({ status: 429, body: { error: 'slow down' }, retryAfterMs: 7000 });
	});

	it('reads Retry-After given as an HTTP date', () => {
		const at = new Date(Date.now() + 30_000).toUTCString();
		const { retryAfterMs } = failureFacts(axiosError(503, {}, { 'retry-after': at }));
		// The date has whole seconds: up to a second less than asked, never more.
		expect(retryAfterMs).toBeGreaterThan(25_000);
		expect(retryAfterMs).toBeLessThanOrEqual(30_000);
	});

	it('reads Retry-After from fetch-style headers', () => {
		const headers = new Headers({ 'Retry-After': '2' });
		const error = { response: { status: 429, headers } };
		expect(failureFacts(error).retryAfterMs).toBe(2000);
	});

	it('ignores a Retry-After it cannot read', () => {
		expect(
			failureFacts(axiosError(429, {}, { 'retry-after': 'soon' })).retryAfterMs,
		).toBeUndefined();
	});

	it("finds the facts under n8n's own NodeApiError (what httpRequestWithAuthentication throws)", () => {
		const wrapped = new NodeApiError(
			NODE,
			axiosError(404, { code: 'NOT_FOUND', message: 'gone' }) as unknown as JsonObject,
		);
		const facts = failureFacts(wrapped);
		expect(facts.status).toBe(404);
		expect(facts.body).toMatchObject({ code: 'NOT_FOUND' });
	});

	it('parses a JSON body that arrived as text', () => {
		const facts = failureFacts({
			response: { status: 400, body: '{"code":"ILLEGAL_ARGUMENTS_PROVIDED"}' },
		});
		expect(facts.body).toEqual({ code: 'ILLEGAL_ARGUMENTS_PROVIDED' });
	});

	it('keeps the status when the text body is not JSON', () => {
		expect(failureFacts({ response: { status: 502, body: '{<html>' } })).toEqual({ status: 502 });
	});

	it('finds a network code on the error or its cause', () => {
		expect(failureFacts(Object.assign(new Error('x'), { code: 'ECONNRESET' })).networkCode).toBe(
			'ECONNRESET',
		);
		const outer = Object.assign(new Error('wrapper'), {
			cause: Object.assign(new Error('y'), { code: 'ETIMEDOUT' }),
		});
		expect(failureFacts(outer).networkCode).toBe('ETIMEDOUT');
	});

	it('recognises network failures named only in the message', () => {
		expect(failureFacts(new Error('socket hang up')).networkCode).toBe('ECONNRESET');
		expect(failureFacts(new Error('timeout of 30000ms exceeded')).networkCode).toBe('ETIMEDOUT');
		expect(failureFacts(new Error('getaddrinfo ENOTFOUND pliant.test')).networkCode).toBe(
			'ENOTFOUND',
		);
	});

	/** What n8n 1.x hands the node: its NodeApiError resets `cause` (a class field), keeping context.data, httpCode and messages. */
	function asOnN8n1(error: Error): NodeApiError {
		const wrapped = new NodeApiError(NODE, error as unknown as JsonObject);
		Object.defineProperty(wrapped, 'cause', { value: undefined });
		return wrapped;
	}

	it('n8n 1.x: reads status, code and lead ID from context.data when the axios error is gone', () => {
		const facts = failureFacts(
			asOnN8n1(axiosError(409, { code: ERROR_CODES.leadAlreadyExists, message: 'exists', leadId: 'lead-1' })),
		);
		expect(facts).toMatchObject({ status: 409, body: { code: ERROR_CODES.leadAlreadyExists, leadId: 'lead-1' } });
	});

	it('n8n 1.x: reads the 403 code of unshared onboarding details', () => {
		const facts = failureFacts(asOnN8n1(axiosError(403, { code: ERROR_CODES.onboardingDetailsNotShared })));
		expect(facts).toMatchObject({ status: 403, body: { code: ERROR_CODES.onboardingDetailsNotShared } });
	});

	it('n8n 1.x: a reset and a timeout keep their network code although n8n rewrote the message', () => {
		const reset = asOnN8n1(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		expect(reset.message).not.toMatch(/ECONNRESET|socket/);
		expect(failureFacts(reset)).toEqual({ networkCode: 'ECONNRESET' });
		const timeout = asOnN8n1(Object.assign(new Error('timeout of 1000ms exceeded'), { code: 'ECONNABORTED' }));
		expect(failureFacts(timeout)).toEqual({ networkCode: 'ETIMEDOUT' });
	});

	it('a stopped run (aborted request) is read as cancelled, on both lines', () => {
		const canceled = Object.assign(new Error('canceled'), { code: 'ERR_CANCELED', name: 'CanceledError' });
		expect(failureFacts(canceled).cancelled).toBe(true);
		expect(failureFacts(asOnN8n1(canceled)).cancelled).toBe(true);
	});

	it("reads back the package's own NodeApiError", () => {
		const own = toPliantApiError(NODE, axiosError(404, { code: 'NOT_FOUND', message: 'gone' }, { 'retry-after': '3' }));
		expect(failureFacts(own)).toEqual({ status: 404, body: { code: 'NOT_FOUND', message: 'gone' }, retryAfterMs: 3000 });
	});

	it('finds nothing in an error it does not know', () => {
		expect(failureFacts(new Error('something else'))).toEqual({});
		expect(failureFacts(undefined)).toEqual({});
	});
});

describe('toPliantApiError', () => {
	it("keeps the status, Pliant's code and details, in words and machine-readable", () => {
		const details = [{ field: 'company.country', message: 'is not supported' }];
		const error = toPliantApiError(
			NODE,
			axiosError(400, { code: ERROR_CODES.illegalArguments, message: 'Invalid lead', details }),
			3,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Pliant rejected the request as invalid');
		expect(error.description).toBe(
			'Fix the fields Pliant names and run again. Pliant said: Invalid lead — company.country: is not supported',
		);
		expect(error.httpCode).toBe('400');
		expect(error.context.itemIndex).toBe(3);
		// One structured value: what Pliant answered, as it answered it.
		expect(error.context.pliant).toEqual({
			status: 400,
			body: { code: ERROR_CODES.illegalArguments, message: 'Invalid lead', details },
		});
	});

	it.each([
		[401, {}, 'Pliant did not accept the credentials'],
		[403, {}, 'Pliant refused access to this resource'],
		[
			403,
			{ code: ERROR_CODES.onboardingDetailsNotShared },
			'The customer has not agreed to share onboarding details',
		],
		[404, {}, 'Not found at Pliant'],
		[409, { code: ERROR_CODES.leadAlreadyExists, leadId: 'lead-0' }, 'Pliant reported a conflict'],
		[429, {}, 'Pliant rate limit reached'],
		[500, {}, 'Pliant is unavailable right now'],
		[503, {}, 'Pliant is unavailable right now'],
		[418, {}, 'The Pliant request failed'],
	])('%i %j → "%s"', (status, body, message) => {
		const error = toPliantApiError(NODE, axiosError(status, body));
		expect(error.message).toBe(message);
		expect(error.httpCode).toBe(String(status));
		expect(error.description).toBeTruthy();
	});

	it('keeps one structured value and reads it back as stored, however often it is wrapped', () => {
		const body = { code: ERROR_CODES.leadAlreadyExists, leadId: 'lead-0', status: 'RECEIVED', createdAt: '2026-01-01T00:00:00Z' };
		const first = toPliantApiError(NODE, axiosError(409, body, { 'retry-after': '2' }));
		expect(first.context.pliant).toEqual({ status: 409, body, retryAfterMs: 2000 });
		expect(failureFacts(first)).toEqual({ status: 409, body, retryAfterMs: 2000 });
		const again = toPliantApiError(NODE, first, 1, { message: 'said again' });
		expect(again.context.pliant).toEqual(first.context.pliant);
	});

	it('keeps the 409 lead ID for Create Lead', () => {
		const error = toPliantApiError(
			NODE,
			axiosError(409, { code: ERROR_CODES.leadAlreadyExists, leadId: 'lead-0' }),
		);
		expect(error.context.pliant).toMatchObject({ status: 409, body: { leadId: 'lead-0' } });
	});

	it('keeps its own message for network failures (n8n would swap it for a generic one)', () => {
		const error = toPliantApiError(
			NODE,
			Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
		);
		expect(error.message).toBe('Could not reach Pliant (ECONNRESET)');
		expect(error.httpCode).toBeNull();
		expect(error.context.pliant).toMatchObject({ networkCode: 'ECONNRESET' });
	});

	it('a POST that timed out or lost its connection: Pliant may have processed it, never "check the base URL"', () => {
		const timeout = toPliantApiError(
			NODE,
			Object.assign(new Error('timeout of 1500ms exceeded'), { code: 'ECONNABORTED' }),
			0,
			undefined,
			{ method: 'POST', timeoutMs: 1500 },
		);
		expect(timeout.message).toBe('Pliant did not answer within 1.5 s: Pliant may have processed the request');
		expect(timeout.description).not.toMatch(/base URL/);
		const reset = toPliantApiError(NODE, Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 0, undefined, {
			method: 'POST',
		});
		expect(reset.message).toMatch(/broke after the request was sent \(ECONNRESET\): Pliant may have processed/);
		const refused = toPliantApiError(NODE, Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 0, undefined, {
			method: 'POST',
		});
		expect(refused.message).toBe('Could not reach Pliant (ECONNREFUSED)');
	});

	it('uses the message and description it is given', () => {
		const error = toPliantApiError(NODE, { message: 'x' }, 0, {
			message: 'Pliant login failed: could not reach http://127.0.0.1:1/oauth/token (ECONNREFUSED)',
			description: 'Open the credential and press Test.',
		});
		expect(error.message).toBe(
			'Pliant login failed: could not reach http://127.0.0.1:1/oauth/token (ECONNREFUSED)',
		);
		expect(error.description).toBe('Open the credential and press Test.');
	});
});
