import { buildCallbackItem, callbackIds, callbackItemFrom, includedHeaders } from '../../../../nodes/shared/onboarding/callback-item';

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
			callbackId: '1c3a5a0e-3f6b-4a8e-9a43-5b0c1f6f2d11',
			webhookId: 'msg_1',
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
		expect(fromHeaders).toMatchObject({ organizationId: null, partnerOrganizationId: null, paymentProgramId: null });
		expect(JSON.stringify(fromHeaders)).not.toMatch(/org-from-header|crm-4711|pp-1/);
		const bare = buildCallbackItem({
			body: { eventType: 'AUTHORIZATION_GRANTED' },
			eventType: 'AUTHORIZATION_GRANTED',
			headers: {},
			receivedAt: RECEIVED,
			includeHeaders: false,
		});
		expect(bare).toMatchObject({ organizationId: null, partnerOrganizationId: null, callbackId: null, webhookId: null, createdAt: null });
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

	it('takes the partner ID from the body first, else the resolved one, never the header', () => {
		const build = (body: Record<string, unknown>, partnerOrganizationId?: string | null) =>
			buildCallbackItem({ body: { eventType: 'AUTHORIZATION_GRANTED', ...body }, eventType: 'AUTHORIZATION_GRANTED', headers: HEADERS, receivedAt: RECEIVED, includeHeaders: true, partnerOrganizationId });
		expect(build({ partnerOrganizationId: 'crm-body' }, 'crm-pliant').partnerOrganizationId).toBe('crm-body');
		expect(build({}, 'crm-pliant').partnerOrganizationId).toBe('crm-pliant');
		expect(build({}).partnerOrganizationId).toBeNull();
		expect(JSON.stringify(build({}, 'crm-pliant'))).not.toContain('crm-4711');
	});

	it('callbackId is X-Callback-Id when it is a UUID, else the signed webhook-id; webhookId is always the webhook-id', () => {
		const build = (headers: Record<string, string>) =>
			buildCallbackItem({ body: { eventType: 'AUTHORIZATION_GRANTED' }, eventType: 'AUTHORIZATION_GRANTED', headers, receivedAt: RECEIVED, includeHeaders: false });
		const uuid = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
		expect(build({ 'webhook-id': 'msg_9', 'x-callback-id': uuid })).toMatchObject({ callbackId: uuid, webhookId: 'msg_9' });
		expect(build({ 'webhook-id': 'msg_9', 'x-callback-id': 'not a uuid <script>' })).toMatchObject({ callbackId: 'msg_9', webhookId: 'msg_9' });
		expect(build({ 'webhook-id': 'msg_9' })).toMatchObject({ callbackId: 'msg_9', webhookId: 'msg_9' });
		expect(callbackIds({ 'x-callback-id': uuid })).toEqual({ callbackId: uuid, webhookId: null });
	});

	it('marks where an item came from when asked (the callback log)', () => {
		const item = callbackItemFrom({
			body: { eventType: 'AUTHORIZATION_GRANTED', organizationId: 'o' },
			eventType: 'AUTHORIZATION_GRANTED',
			callbackId: 'c',
			webhookId: null,
			createdAt: null,
			partnerOrganizationId: 'crm-1',
			receivedAt: RECEIVED,
			source: 'callback-log',
		});
		expect(item).toMatchObject({ callbackId: 'c', webhookId: null, partnerOrganizationId: 'crm-1', source: 'callback-log' });
		expect(item).not.toHaveProperty('headers');
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

describe('Include Headers: an allowlist', () => {
	const hostile = {
		...HEADERS,
		'user-agent': 'Pliant-Webhooks/1.0',
		'cf-access-jwt-assertion': 'eyJcf.assert.ion',
		'x-goog-iap-jwt-assertion': 'eyJgoog.assert.ion',
		'x-amzn-oidc-data': 'eyJamzn.oidc.data',
		'x-ms-client-principal': 'eyJtcy1wcmluY2lwYWw=',
		'x-auth': 'auth-token-value',
		'proxy-authorization': 'Basic cHJveHk=',
		'x-forwarded-for': '10.0.0.1',
	};

	it('copies only Content-Type, User-Agent and X-Callback-Created-At', () => {
		expect(includedHeaders(hostile)).toEqual({
			'content-type': 'application/json',
			'user-agent': 'Pliant-Webhooks/1.0',
			'x-callback-created-at': '2026-01-15T11:59:59.123456789Z',
		});
	});

	it.each([
		'x-organization-id',
		'x-partner-organization-id',
		'x-payment-program-id',
		'cf-access-jwt-assertion',
		'x-goog-iap-jwt-assertion',
		'x-amzn-oidc-data',
		'x-ms-client-principal',
		'x-auth',
		'authorization',
		'cookie',
		'x-api-key',
		'webhook-signature',
	])('never copies %s, in any spelling of its name', (name) => {
		const value = hostile[name as keyof typeof hostile];
		const item = buildCallbackItem({
			body: { eventType: 'AUTHORIZATION_GRANTED' },
			eventType: 'AUTHORIZATION_GRANTED',
			headers: { ...hostile, [name.toUpperCase()]: value },
			receivedAt: RECEIVED,
			includeHeaders: true,
		});
		expect(Object.keys(item.headers as object)).not.toContain(name);
		expect(JSON.stringify(item)).not.toContain(value);
	});
});
