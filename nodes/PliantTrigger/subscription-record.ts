import type { IDataObject, IHookFunctions } from 'n8n-workflow';

/**
 * What a trigger records of its subscriptions, in the node's static data, one record per URL
 * (test and production URLs get their own subscriptions). Static data travels with a workflow
 * copy (export/import, n8n's public API, a copied database), so a record proves nothing on its
 * own: an ID counts as this node's only while Pliant lists it at this n8n's URL (ownership.ts).
 */

/** Where the record stands; no record at all is "unregistered" with nothing left to look after. */
export type State = 'unregistered' | 'registering' | 'registered' | 'unregistering';

/** Subscriptions made with an earlier n8n credential, which the current one may not see at Pliant. */
export interface OtherCredential {
	credentialId: string;
	ids: string[];
}

export interface SubscriptionRecord {
	state: State;
	/** The URL registered (or being registered) on this n8n. */
	callbackUrl: string;
	/** The n8n credential the IDs were made with. */
	credentialId?: string;
	eventTypes: string[];
	/** IDs this node created: absent from Pliant's listing just before its upsert. */
	own: string[];
	/** While registering: what Pliant listed at the URL just before the upsert (not this node's). */
	listedBefore?: string[];
	/** Own IDs Pliant lists at an earlier URL of this trigger (another origin): left alone unless asked. */
	earlier?: string[];
	otherCredentials?: OtherCredential[];
}

export type SlotName = 'production' | 'test';

const STATIC_DATA_KEY = 'subscriptions';

/**
 * n8n subscribes the test URL in "manual" mode but removes it in "internal" mode (both lines),
 * so outside "manual" the URL tells the test record apart (test and production URLs differ).
 */
function slotName(this: IHookFunctions): SlotName {
	if (this.getMode() === 'manual') return 'test';
	const test = records(this.getWorkflowStaticData('node')).test;
	return test !== undefined && test.callbackUrl === this.getNodeWebhookUrl('default') ? 'test' : 'production';
}

function records(staticData: IDataObject): Partial<Record<SlotName, SubscriptionRecord>> {
	const value = staticData[STATIC_DATA_KEY];
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Partial<Record<SlotName, SubscriptionRecord>>) : {};
}

/** This URL's record; one without a known state (older static data) counts as none. */
export function readRecord(this: IHookFunctions): SubscriptionRecord | undefined {
	const record = records(this.getWorkflowStaticData('node'))[slotName.call(this)];
	return record && typeof record.state === 'string' && Array.isArray(record.own) ? record : undefined;
}

/** Writes this URL's record (undefined removes it), leaving out empty optional fields. */
export function writeRecord(this: IHookFunctions, record: SubscriptionRecord | undefined): void {
	const staticData = this.getWorkflowStaticData('node');
	const map = { ...records(staticData) };
	const name = slotName.call(this);
	if (record) map[name] = compact(record);
	else delete map[name];
	if (Object.keys(map).length === 0) delete staticData[STATIC_DATA_KEY];
	else staticData[STATIC_DATA_KEY] = map as IDataObject;
}

function compact(record: SubscriptionRecord): SubscriptionRecord {
	const { credentialId, listedBefore, earlier, otherCredentials, ...rest } = record;
	return {
		...rest,
		...(credentialId ? { credentialId } : {}),
		...(listedBefore ? { listedBefore } : {}),
		...(earlier?.length ? { earlier } : {}),
		...(otherCredentials?.length ? { otherCredentials } : {}),
	};
}

/** True when neither URL has a record left (the trigger looks after no subscription at all). */
export function noRecordLeft(this: IHookFunctions): boolean {
	return Object.keys(records(this.getWorkflowStaticData('node'))).length === 0;
}
