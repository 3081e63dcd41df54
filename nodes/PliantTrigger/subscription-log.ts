import type { IHookFunctions } from 'n8n-workflow';

import type { Subscription } from '../shared/contract';
import type { OtherCredential } from './subscription-record';

/** What the lifecycle leaves alone, said in n8n's log with what to do about it. */

export const REMOVE_EARLIER_OPTION = 'Remove Subscriptions at Earlier URLs';

/** Recorded IDs another trigger's URL holds (static data copied from another workflow). */
export function logForeign(this: IHookFunctions, ids: string[]): void {
	if (ids.length === 0) return;
	this.logger.warn(
		`Pliant Trigger: left ${ids.length} stored subscription(s) alone (${ids.join(', ')}): ` +
			"their callback URL is not this trigger's (static data copied from another workflow?). They are forgotten here, not deleted.",
	);
}

/** Own IDs at an earlier URL of this trigger: said once, when first found. */
export function logEarlier(this: IHookFunctions, subscriptions: Subscription[]): void {
	if (subscriptions.length === 0) return;
	const urls = [...new Set(subscriptions.map((subscription) => subscription.callbackUrl))].join(', ');
	this.logger.warn(
		`Pliant Trigger: ${subscriptions.length} subscription(s) of this trigger are registered at another URL (${urls}): ` +
			`${subscriptions.map((subscription) => subscription.id).join(', ')}. They are left alone: a copy of this n8n (staging) and a moved one look the same from here. ` +
			`If this n8n moved and the other URL is gone, turn on the option "${REMOVE_EARLIER_OPTION}" and publish again, or delete them at Pliant with DELETE /subscriptions/{id}.`,
	);
}

/** IDs made with another credential that the current one cannot see: kept, not deleted. */
export function logHidden(this: IHookFunctions, others: OtherCredential[]): void {
	for (const entry of others) {
		this.logger.warn(
			`Pliant Trigger: ${entry.ids.length} subscription(s) of this trigger were made with another Pliant credential (n8n credential ${entry.credentialId}) ` +
				'that the current one does not see at Pliant. They are remembered, not deleted: select that credential again and publish or unpublish to delete them.',
		);
	}
}
