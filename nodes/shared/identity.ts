import type { INode } from 'n8n-workflow';

/**
 * Who is who, defined once: the credential type, a node's credential, a node across
 * executions, and the Pliant account a credential reaches. Everything kept per node or per
 * account (process memory, static data) is keyed by these, so two places never disagree.
 */

/** n8n's name of the Pliant credential type. */
export const CREDENTIAL_TYPE = 'pliantApi';

/** The ID of the n8n credential a node uses, read from the workflow (nothing decrypted). */
export function credentialIdOf(node: Pick<INode, 'credentials'>): string | undefined {
	const id = node.credentials?.[CREDENTIAL_TYPE]?.id;
	return typeof id === 'string' && id !== '' ? id : undefined;
}

/** One node of one workflow, stable across executions and renames. */
export function nodeKey(workflowId: string | undefined, node: Pick<INode, 'id' | 'name'>): string {
	return `${workflowId ?? ''}|${node.id ?? node.name}`;
}

/**
 * The Pliant account a credential reaches: API base and client. Two credentials share state
 * kept per account (rate limit, signing keys, poll baseline) only when both are the same.
 */
export function accountKey(account: { baseUrl: string; clientId?: unknown }): string {
	return `${account.baseUrl}|${String(account.clientId ?? '')}`;
}
