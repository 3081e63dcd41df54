import type { INodePropertyOptions } from 'n8n-workflow';

import { EVENT_TYPE_ALIASES, EVENT_TYPES, type EventType } from '../contract';
import { label, titleCase } from '../text';

/**
 * The event vocabulary both triggers speak: the webhook trigger receives these events from
 * Pliant, the polling trigger derives them from what the API shows.
 */

/** The "Trigger On" value that stands for every event type the trigger offers. */
export const ALL_EVENTS = '*';

/** What each callback means for a partner; keyed by the contract's names, so typos do not compile. */
const EVENT_DESCRIPTIONS: Record<EventType, string> = {
	AUTHORIZATION_GRANTED: 'The customer completed the data-sharing authorization: the integration is active',
	AUTHORIZATION_PENDING: 'The customer started the data-sharing authorization',
	BANK_CONNECTION_STATUS_CHANGED: 'The status of the customer\'s bank connection changed',
	DIRECT_DEBIT_STATUS_CHANGED: 'The status of the customer\'s direct debit mandate changed',
	DOCUMENT_CUSTOMER_STATUS_CHANGED: 'A document requested from the customer changed status',
	ORGANIZATION_ADDED: 'Pliant created an organization for a referred lead',
	ORGANIZATION_STATE_CHANGED: 'The organization moved to another onboarding or account status',
	REPRESENTATIVE_LEGITIMATION_STATUS_CHANGED: 'The identity check of a legal representative changed status',
	REPRESENTATIVE_SUBMISSION_STATUS_CHANGED: 'The data submission of a legal representative changed status',
};

/**
 * The events the API shows by polling: the organization list and the onboarding details.
 * The authorization events exist only as callbacks.
 */
const CALLBACK_ONLY: readonly EventType[] = ['AUTHORIZATION_GRANTED', 'AUTHORIZATION_PENDING'];

export const POLLABLE_EVENT_TYPES: readonly EventType[] = EVENT_TYPES.filter(
	(eventType) => !CALLBACK_ONLY.includes(eventType),
);

/** `ORGANIZATION_STATE_CHANGED` → `Organization State Changed`. */
export function eventDisplayName(eventType: string): string {
	return titleCase(label(eventType));
}

/** The "Trigger On" options: the offered event types plus "all", sorted by name. */
export function eventOptions(offered: readonly EventType[] = EVENT_TYPES): INodePropertyOptions[] {
	const options: INodePropertyOptions[] = offered.map((eventType) => ({
		name: eventDisplayName(eventType),
		value: eventType,
		description: EVENT_DESCRIPTIONS[eventType],
	}));
	options.push({
		name: 'All Onboarding Events',
		value: ALL_EVENTS,
		description: `All ${offered.length} event types listed here`,
	});
	return options.sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

function isEventType(value: string): value is EventType {
	return (EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * The selected event types, in contract order and without repeats. "All" expands to every
 * offered type; an alias spelling is mapped to the name the package emits.
 */
export function resolveSelectedEvents(
	selected: unknown,
	offered: readonly EventType[] = EVENT_TYPES,
): EventType[] {
	const values = Array.isArray(selected) ? selected.map(String) : [];
	if (values.includes(ALL_EVENTS)) return [...offered];
	const wanted = new Set(values.map(normaliseEventType).filter(isEventType));
	return offered.filter((eventType) => wanted.has(eventType));
}

/** Maps the other spelling of an event (e.g. `..._CHANGE`) to the one the package emits. */
export function normaliseEventType(value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	return EVENT_TYPE_ALIASES[text] ?? text;
}
