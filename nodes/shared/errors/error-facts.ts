import { ERROR_CODES } from '../contract';
import { failureFacts, pliantCode } from './failure-facts';

/** Whether Pliant refused onboarding details because the customer has not opted in to sharing. */
export function isDetailsNotShared(error: unknown): boolean {
	const facts = failureFacts(error);
	return facts.status === 403 && pliantCode(facts) === ERROR_CODES.onboardingDetailsNotShared;
}
