import { ENVIRONMENTS, SANDBOX_AUDIENCE_ALTERNATIVE } from '../../../nodes/shared/contract';
import { endpointsFor } from '../../../nodes/shared/http/endpoints';

describe('endpointsFor', () => {
	it('production: the documented hosts and audience', () => {
		expect(endpointsFor({ environment: 'production' })).toEqual({
			tokenUrl: 'https://infinnityprodinternal.eu.auth0.com/oauth/token',
			audience: 'api.getpliant.com/api/integration',
			baseUrl: 'https://partner-api.getpliant.com/api',
		});
	});

	it('defaults to production when no environment is stored', () => {
		expect(endpointsFor({})).toEqual(ENVIRONMENTS.production);
	});

	it('sandbox: the documented audience by default', () => {
		expect(endpointsFor({ environment: 'sandbox' })).toEqual({
			tokenUrl: 'https://infinnitystaginginternal.eu.auth0.com/oauth/token',
			audience: 'api.staging.v2.infinnitytest.com/api/integration',
			baseUrl: 'https://sandbox.partner-api.getpliant.com/api',
		});
	});

	it('sandbox: the other audience spelling when the user sets it', () => {
		expect(
			endpointsFor({ environment: 'sandbox', sandboxAudience: ` ${SANDBOX_AUDIENCE_ALTERNATIVE} ` })
				.audience,
		).toBe('api.staging.infinnitytest.com/api/integration');
	});

	it('sandbox: an emptied audience field falls back to the documented one', () => {
		expect(endpointsFor({ environment: 'sandbox', sandboxAudience: '  ' }).audience).toBe(
			ENVIRONMENTS.sandbox.audience,
		);
	});

	it('production ignores a sandbox audience left in the stored data', () => {
		expect(endpointsFor({ environment: 'production', sandboxAudience: 'x' }).audience).toBe(
			ENVIRONMENTS.production.audience,
		);
	});

	it('custom: the URLs as typed, trimmed, the base URL without trailing slashes', () => {
		expect(
			endpointsFor({
				environment: 'custom',
				tokenUrl: ' http://127.0.0.1:4010/oauth/token ',
				audience: ' pliant-emulator ',
				baseUrl: 'http://127.0.0.1:4010/api//',
			}),
		).toEqual({
			tokenUrl: 'http://127.0.0.1:4010/oauth/token',
			audience: 'pliant-emulator',
			baseUrl: 'http://127.0.0.1:4010/api',
		});
	});
});
