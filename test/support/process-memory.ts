/**
 * Test-only: what the package keeps in the n8n process between executions (tokens, rate
 * limiters, signing keys, recent callback ids, partner organization IDs), forgotten between tests; and a fake clock for
 * the waits. The shipped code has no reset or set functions for either.
 */
import { credentialBindings } from '../../nodes/PliantTrigger/credential-binding';
import { jwksCache } from '../../nodes/PliantTrigger/jwks-cache';
import { rejectionLog } from '../../nodes/PliantTrigger/rejection-log';
import { recentIdsByNode } from '../../nodes/PliantTrigger/dedup';
import { clock } from '../../nodes/shared/clock';
import { partnerOrganizationIds } from '../../nodes/shared/onboarding/partner-organization';
import { rateLimiters } from '../../nodes/shared/http/rate-limiter';
import { tokenCache } from '../../nodes/shared/http/token-cache';

export function forgetProcessMemory(): void {
	rateLimiters.clear();
	recentIdsByNode.clear();
	for (const cache of [tokenCache, jwksCache, credentialBindings, rejectionLog]) (Reflect.get(cache, 'entries') as Map<string, unknown>).clear();
	(Reflect.get(credentialBindings, 'rereadAt') as Map<string, number>).clear();
	for (const field of ['entries', 'inFlight', 'failures']) (Reflect.get(partnerOrganizationIds, field) as Map<string, unknown>).clear();
}

/**
 * Makes the package's waits instant: each wait is recorded and moves the package's clock on
 * by as much, so time-based logic (Retry-After, pacing) behaves as if the time had passed.
 */
export function fakeWaits(waits: number[] = []): { waits: number[]; restore: () => void } {
	let offset = 0;
	const now = jest.spyOn(clock, 'now').mockImplementation(() => Date.now() + offset);
	const sleep = jest.spyOn(clock, 'sleep').mockImplementation(async (ms: number) => {
		waits.push(ms);
		offset += ms;
	});
	return {
		waits,
		restore: () => {
			now.mockRestore();
			sleep.mockRestore();
		},
	};
}
