import type { Operation } from '../../shared/execution/operations';
import { activateAuthorization } from './activate-authorization';
import { get } from './get';
import { getMany } from './get-many';
import { getOnboardingDetails } from './get-onboarding-details';

/** The node's operations, named once: the Operation list, the fields, the runs and the tool outputs come from here. */
export type OnboardingStatusOperation = 'activateAuthorization' | 'get' | 'getMany' | 'getOnboardingDetails';

// Sorted by display name, as the Operation list shows them.
export const OPERATIONS = {
	activateAuthorization,
	get,
	getMany,
	getOnboardingDetails,
} satisfies Record<OnboardingStatusOperation, Operation>;

export const DEFAULT_OPERATION: OnboardingStatusOperation = 'get';
