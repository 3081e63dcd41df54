/* ------------------------------------------------------------------ subscriptions [assumed bodies] */

export interface Subscription {
	id: string;
	eventType: string;
	callbackUrl: string;
}

export interface SubscriptionList {
	subscriptions: Subscription[];
}

export interface BulkUpsertRequest {
	subscriptions: Array<{ eventType: string; callbackUrl: string }>;
}

export const SUBSCRIPTION_LIMIT_PER_EVENT = 42; // [doc]
