/**
 * Where the client secret and the bearer token may go (issue 21): the Custom environment's URLs
 * must be https unless the host is loopback, and no redirect is followed for the token request
 * or an API call, a 3xx fails saying so. Real engine (n8n's own HTTP stack), nock as Pliant.
 */
import nock from 'nock';

import { endpointProblem, isLoopbackHost } from '../../../../nodes/shared/http/endpoints';
import { customCredentials, PliantCredentialsHelper } from '../../../support/engine';
import { recordBackoff, useNock } from '../../../support/nock';
import { runProbe } from '../../../support/probe-node';

const ORIGIN = 'https://pliant.test';

async function call(overrides: Record<string, string> = {}) {
	const helper = new PliantCredentialsHelper(customCredentials(ORIGIN, overrides));
	return await runProbe({
		credentialsHelper: helper,
		parameters: { method: 'GET', path: '/organizations', body: '' },
	});
}

describe('https unless loopback', () => {
	it.each(['127.0.0.1', '127.1.2.3', 'localhost', '[::1]'])('http://%s is allowed (local emulator)', (host) => {
		expect(endpointProblem({ tokenUrl: `http://${host}:4010/oauth/token`, audience: 'a', baseUrl: `http://${host}:4010/api` })).toBeUndefined();
	});

	it.each([
		['Token URL', { tokenUrl: 'http://pliant.example/oauth/token', baseUrl: 'https://pliant.example/api' }],
		['API Base URL', { tokenUrl: 'https://pliant.example/oauth/token', baseUrl: 'http://pliant.example/api' }],
		['API Base URL', { tokenUrl: 'https://pliant.example/oauth/token', baseUrl: 'http://127.0.0.1.evil.example/api' }],
		['Token URL', { tokenUrl: 'ftp://pliant.example/oauth/token', baseUrl: 'https://pliant.example/api' }],
	])('%s over plain http to another host is refused, naming the field', (field, urls) => {
		expect(endpointProblem({ audience: 'a', ...urls })).toMatch(new RegExp(`^${field} of the Pliant credential must use https`));
	});

	it('knows loopback hosts', () => {
		expect(['127.0.0.1', '127.255.0.1', '::1', '[::1]', 'localhost', 'LOCALHOST'].every(isLoopbackHost)).toBe(true);
		expect(['128.0.0.1', '10.0.0.1', 'localhost.evil.example', '127.0.0.1.nip.io'].some(isLoopbackHost)).toBe(false);
	});
});

// No mock answers elsewhere.test (nor a plain-http URL): a request there is one useNock() reports.
describe('in the engine', () => {
	useNock();
	recordBackoff();

	it('a plain-http API base URL fails before any request, naming the field', async () => {
		const result = await call({ baseUrl: 'http://pliant.example/api' });
		expect(result.error?.message).toMatch(/^API Base URL of the Pliant credential must use https/);
	});

	it('a plain-http token URL fails before the secret is sent, naming the field', async () => {
		const result = await call({ tokenUrl: 'http://pliant.example/oauth/token' });
		expect(result.error?.message).toMatch(/Token URL of the Pliant credential must use https/);
	});

	it.each([301, 302, 307, 308])('a %i from the token URL is not followed and says so', async (status) => {
		nock(ORIGIN).post('/oauth/token').reply(status, '', { Location: 'https://elsewhere.test/oauth/token' });
		const result = await call();
		expect(result.error?.message).toMatch(/redirect \(HTTP \d{3}\), and redirects are not followed/);
	});

	it.each([302, 307, 308])('a %i from the API is not followed and says so', async (status) => {
		nock(ORIGIN).post('/oauth/token').reply(200, { access_token: 'tok-1', expires_in: 3600 });
		nock(ORIGIN).get('/api/organizations').reply(status, '', { Location: 'https://elsewhere.test/api/organizations' });
		const result = await call();
		expect(result.error?.message).toMatch(/redirect \(HTTP \d{3}\), which is not followed/);
		expect(result.error?.description).toMatch(/redirects are not followed/);
	});
});
