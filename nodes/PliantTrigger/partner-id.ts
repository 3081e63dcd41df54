import type { INode, IWebhookFunctions } from 'n8n-workflow';

import type { CallbackBody } from '../shared/contract';
import { learnFromSignedBody, resolvePartnerOrganizationId } from '../shared/onboarding/partner-organization';
import { credentialIdOf } from '../shared/identity';
import { credentialBindings } from './credential-binding';

/**
 * The partner organization ID for a VERIFIED callback's item (shared/onboarding/
 * partner-organization.ts): the body's own, else what this account taught the process or the
 * node, else Pliant's answer within 2 s. Null when none is known in time, with a log line why;
 * the callback is acknowledged and runs either way.
 */
export async function partnerIdForVerified(this: IWebhookFunctions, node: INode, body: CallbackBody): Promise<string | null> {
	if (typeof body.partnerOrganizationId === 'string' && body.partnerOrganizationId !== '') {
		if (body.organizationId) {
			const binding = await credentialBindings.current(this, credentialIdOf(node));
			learnFromSignedBody(binding.key, body, this.getWorkflowStaticData('node'));
		}
		return body.partnerOrganizationId;
	}
	const binding = await credentialBindings.current(this, credentialIdOf(node));
	const answer = await resolvePartnerOrganizationId.call(this, {
		account: binding.key,
		organizationId: body.organizationId,
		staticData: this.getWorkflowStaticData('node'),
	});
	if (answer.why) {
		this.logger.warn(
			`Pliant Trigger: partnerOrganizationId is null for organization ${String(body.organizationId ?? '(none)')}: ${answer.why}`,
		);
	}
	return answer.partnerOrganizationId;
}
