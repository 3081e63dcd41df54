import { buildCallbackItem, safeHeaders } from '../../../nodes/PliantTrigger/callback-item';

const RECEIVED = new Date('2026-01-15T12:00:00.000Z');
const HEADERS = {
	'x-organization-id': 'org-from-header',
	'x-partner-organization-id': 'crm-4711',
	'x-payment-program-id': 'pp-1',
	'x-callback-id': '1c3a5a0e-3f6b-4a8e-9a43-5b0c1f6f2d11',
	'x-callback-created-at': '2026-01-15T11:59:59.123456789Z',
	'webhook-id': 'msg_1',
	'webhook-timestamp': '1768478399',
	'webhook-signature': 'v1a,abc',
	'content-type': 'application/json',
	authorization: 'Bearer secret-token',
	cookie: 'n8n-auth=secret',
	'x-api-key': 'secret',
};

describe('buildCallbackItem', () => {
	it('builds the item of a representative event', () => {
		const item = buildCallbackItem({
			body: {
				eventType: 'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED',
				organizationId: 'b1f8e35c-c500-4bbf-aa20-3dc14b83ff19',
				representativeId: '2acaec98-b337-4006-ba09-a93874d9b338',
				statusChange: { beforeChange: 'INTERNAL_ONLY', afterChange: 'INFO_REQUESTED' },
			},
			eventType: 'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED',
			headers: HEADERS,
			receivedAt: RECEIVED,
			includeHeaders: false,
		});
		expect(item).toEqual({
			eventType: 'REPRESENTATIVE_SUBMISSION_STATUS_CHANGED',
			organizationId: 'b1f8e35c-c500-4bbf-aa20-3dc14b83ff19',
			partnerOrganizationId: null,
			paymentProgramId: null,
			callbackId: 'msg_1',
			createdAt: '2026-01-15T11:59:59.000Z',
			representativeId: '2acaec98-b337-4006-ba09-a93874d9b338',
			statusChange: { beforeChange: 'INTERNAL_ONLY', afterChange: 'INFO_REQUESTED' },
			previousStatus: 'INTERNAL_ONLY',
			newStatus: 'INFO_REQUESTED',
			receivedAt: '2026-01-15T12:00:00.000Z',
		});
	});

	it('prefers the body over the headers for the organization IDs', () => {
		const item = buildCallbackItem({
			body: { eventType: 'ORGANIZATION_ADDED', organizationId: 'org-1', partnerOrganizationId: 'crm-body', organizationName: 'Acme' },
			eventType: 'ORGANIZATION_ADDED',
			headers: HEADERS,
			receivedAt: RECEIVED,
			includeHeaders: false,
		});
		expect(item).toMatchObject({ organizationId: 'org-1', partnerOrganizationId: 'crm-body', organizationName: 'Acme' });
		expect(item).not.toHaveProperty('previousStatus');
	});

	it('never takes a field from an unsigned header, and gives null when the body has no value', () => {
		const fromHeaders = buildCallbackItem({
			body: { eventType: 'AUTHORIZATION_GRANTED' },
			eventType: 'AUTHORIZATION_GRANTED',
			headers: HEADERS,
			receivedAt: RECEIVED,
			includeHeaders: false,
		});
		expect(fromHeaders).toMatchObject({ organizationId: null, partnerOrganizationId: null, paymentProgramId: null, callbackId: 'msg_1' });
		const bare = buildCallbackItem({
			body: { eventType: 'AUTHORIZATION_GRANTED' },
			eventType: 'AUTHORIZATION_GRANTED',
			headers: {},
			receivedAt: RECEIVED,
			includeHeaders: false,
		});
		expect(bare).toMatchObject({ organizationId: null, partnerOrganizationId: null, callbackId: null, createdAt: null });
	});

	it('emits the normalised event type and passes unknown fields through', () => {
		const item = buildCallbackItem({
			body: { eventType: 'BANK_CONNECTION_STATUS_CHANGE', organizationId: 'o', statusChange: { beforeChange: null, afterChange: 'CONNECTED' }, newField: 7 },
			eventType: 'BANK_CONNECTION_STATUS_CHANGED',
			headers: {},
			receivedAt: RECEIVED,
			includeHeaders: false,
		});
		expect(item).toMatchObject({ eventType: 'BANK_CONNECTION_STATUS_CHANGED', newField: 7, previousStatus: null, newStatus: 'CONNECTED' });
		expect(Object.keys(item)[0]).toBe('eventType');
	});

	it('adds the headers on request, never credentials or cookies', () => {
		const item = buildCallbackItem({
			body: { eventType: 'AUTHORIZATION_GRANTED' },
			eventType: 'AUTHORIZATION_GRANTED',
			headers: HEADERS,
			receivedAt: RECEIVED,
			includeHeaders: true,
		});
		expect(item.headers).toMatchObject({ 'x-callback-id': HEADERS['x-callback-id'] });
		expect(item.headers).not.toHaveProperty('webhook-signature');
		expect(item.headers).not.toHaveProperty('webhook-id');
		expect(item.headers).not.toHaveProperty('webhook-timestamp');
		expect(JSON.stringify(item)).not.toMatch(/secret|v1a,/);
	});

	it('takes callbackId from the signed webhook-id, X-Callback-Id only when there is none (verification off)', () => {
		const build = (headers: Record<string, string>) =>
			buildCallbackItem({ body: { eventType: 'AUTHORIZATION_GRANTED' }, eventType: 'AUTHORIZATION_GRANTED', headers, receivedAt: RECEIVED, includeHeaders: false });
		expect(build({ 'webhook-id': 'msg_9', 'x-callback-id': 'cb-fresh' }).callbackId).toBe('msg_9');
		expect(build({ 'x-callback-id': 'cb-only' }).callbackId).toBe('cb-only');
	});

	it('takes createdAt from the body when it has one, else from the signed timestamp', () => {
		const item = buildCallbackItem({
			body: { eventType: 'AUTHORIZATION_GRANTED', createdAt: '2026-01-15T11:59:58.123456789Z' },
			eventType: 'AUTHORIZATION_GRANTED',
			headers: HEADERS,
			receivedAt: RECEIVED,
			includeHeaders: false,
		});
		expect(item.createdAt).toBe('2026-01-15T11:59:58.123456789Z');
	});
});

describe('safeHeaders', () => {
	it.each(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-n8n-api-key', 'x-auth-token', 'x-client-secret'])(
		'drops %s',
		(name) => {
			expect(safeHeaders({ [name]: 'value', 'x-keep': 'yes' })).toEqual({ 'x-keep': 'yes' });
		},
	);
});
