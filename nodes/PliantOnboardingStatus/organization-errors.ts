import { NodeApiError } from 'n8n-workflow';

import { isDetailsNotShared } from '../shared/errors/error-facts';
import { failureFacts } from '../shared/errors/failure-facts';

/**
 * Says which organization a failure is about: a 404 becomes "Organization not found" with
 * the ID, a 403 for unshared details points at the option that turns it into an item.
 * The status, Pliant's code and details stay on the error. Returns the error to throw.
 */
export function explainOrganizationError(error: unknown, organizationId: string): unknown {
	if (!(error instanceof NodeApiError)) return error;
	const { status } = failureFacts(error);
	if (status === 404) {
		error.message = 'Organization not found';
		error.description = `Pliant has no organization ${organizationId} that this credential can see. Check the ID, and that the credential points at the environment (production, sandbox or custom) the organization lives in.`;
	} else if (isDetailsNotShared(error)) {
		error.description = `The owner of organization ${organizationId} has not agreed to share onboarding details with partners. Ask the customer to enable sharing, or set Options > If Details Not Shared to "Output Not Shared Item" to get {detailsShared: false} instead of an error.`;
	}
	return error;
}
