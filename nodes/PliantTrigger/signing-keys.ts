import type { IDataObject, IHookFunctions, INode, IWebhookFunctions } from 'n8n-workflow';
import { createHash, type KeyObject } from 'crypto';

import { PATHS, type SigningJwk } from '../shared/contract';
import { pliantApiRequest, type PliantContext } from '../shared/http/transport';
import { credentialIdOf, nodeKey } from '../shared/identity';
import { credentialBindings, type CredentialBinding } from './credential-binding';
import { jwksCache, usableJwks, type FetchJwks } from './jwks-cache';
import type { HeaderBag } from '../shared/onboarding/callback-item';
import { verifyCallbackSignature, type SignatureCheck } from './signature';

/** Where the node keeps a copy of the public keys, so a restarted n8n verifies without a fetch. */
const STATIC_DATA_KEY = 'signingKeys';

interface StoredSigningKeys {
	baseUrl: string;
	/** A hash of the credential's API base and client: the copy is used for that client only. */
	client?: string;
	keys: SigningJwk[];
}

const clientHash = (binding: CredentialBinding) => createHash('sha256').update(binding.key).digest('hex').slice(0, 16);

async function fetchJwks(this: PliantContext): Promise<unknown> {
	return await pliantApiRequest.call(this, { method: 'GET', path: PATHS.jwks });
}

/** The fetch for the key cache: failures go to the log, never to the caller (the keys held are kept). */
function loggedFetch(this: IWebhookFunctions): FetchJwks {
	return async () => {
		try {
			return await fetchJwks.call(this);
		} catch (error) {
			this.logger.warn(
				`Pliant Trigger: could not refresh Pliant's signing keys (JWKS): ${(error as Error).message}`,
			);
			return undefined;
		}
	};
}

/**
 * Static data travels with a workflow (export, import, public API), so keys read from it are
 * trusted for this node only: they sit under a key of their own, never in the credential's
 * process-wide entry that other workflows use.
 */
function nodeSeedKey(this: IWebhookFunctions, node: INode, binding: CredentialBinding): string {
	return `${binding.key}#${nodeKey(this.getWorkflow().id, node)}`;
}

/** The keys to verify with: those fetched for the credential, else this node's static copy. */
function heldKeys(this: IWebhookFunctions, node: INode, binding: CredentialBinding): { entry: string; keys: KeyObject[] } {
	const fetched = jwksCache.keys(binding.key);
	if (fetched) return { entry: binding.key, keys: fetched };
	const entry = nodeSeedKey.call(this, node, binding);
	const stored = this.getWorkflowStaticData('node')[STATIC_DATA_KEY] as StoredSigningKeys | undefined;
	const matches = stored?.baseUrl === binding.baseUrl && (stored.client ?? clientHash(binding)) === clientHash(binding);
	const seeded = jwksCache.keys(entry) ?? (matches ? jwksCache.seed(entry, { keys: usableJwks({ keys: stored.keys }) }) : undefined);
	return { entry, keys: seeded ?? [] };
}

/**
 * Lifecycle (publish, test listen): reads the credential and fetches Pliant's JWKS now, so the
 * first callback needs neither, and keeps a copy of the public keys in the node's static data.
 * Returns how many usable Ed25519 keys the JWKS holds.
 */
export async function warmSigningKeys(this: IHookFunctions): Promise<number> {
	const binding = await credentialBindings.read(this, credentialIdOf(this.getNode()));
	const keys = jwksCache.store(binding.key, await fetchJwks.call(this));
	const staticData = this.getWorkflowStaticData('node');
	const stored: StoredSigningKeys = { baseUrl: binding.baseUrl, client: clientHash(binding), keys: jwksCache.jwks(binding.key) };
	staticData[STATIC_DATA_KEY] = stored as unknown as IDataObject;
	return keys.length;
}

/** Forgets the static copy (on delete). */
export function forgetStoredSigningKeys(staticData: IDataObject): void {
	delete staticData[STATIC_DATA_KEY];
}

type Verify = (keys: KeyObject[]) => SignatureCheck;

/**
 * Keys older than a minute: refresh them (reading the credential again, as the fetch does
 * anyway) and check again, so a key Pliant dropped stops working at once.
 */
async function recheckAfterRefresh(
	this: IWebhookFunctions,
	verify: Verify,
	node: INode,
	known: CredentialBinding,
): Promise<SignatureCheck> {
	const binding = (await credentialBindings.reread(this, credentialIdOf(node))) ?? known;
	await jwksCache.refresh(binding.key, loggedFetch.call(this));
	return verify(heldKeys.call(this, node, binding).keys);
}

/**
 * Verifies a callback with the keys held, without a credential lookup when the node's
 * credential is known. When no key matches (a new key, an edited credential, or a forgery),
 * the credential is read again (at most once a second) and fresh keys are fetched, but only if
 * this callback may fetch (none running, the last one at least 5 s ago): otherwise the refusal
 * goes back at once and Pliant's retry meets the keys fetched meanwhile. Keys older than a
 * minute are refreshed by the next valid callback, which is then checked against the fresh
 * keys. Stale, future or malformed requests never cause a lookup or a fetch.
 */
export async function verifyWithSigningKeys(
	this: IWebhookFunctions,
	callback: { node: INode; rawBody: Buffer; headers: HeaderBag; now: number },
): Promise<SignatureCheck> {
	const { node, rawBody, headers, now } = callback;
	const verify: Verify = (keys) => verifyCallbackSignature({ rawBody, headers, keys, now });
	const credentialId = credentialIdOf(node);
	let binding = await credentialBindings.current(this, credentialId);
	const held = heldKeys.call(this, node, binding);
	let check = verify(held.keys);
	if (check.valid) return jwksCache.isOld(held.entry) ? await recheckAfterRefresh.call(this, verify, node, binding) : check;
	if (check.reason !== 'no-match' && check.reason !== 'no-keys') return check;

	const reread = await credentialBindings.reread(this, credentialId);
	if (reread && reread.key !== binding.key) {
		binding = reread;
		check = verify(heldKeys.call(this, node, binding).keys);
		if (check.valid) return check;
	}
	if (!(await jwksCache.refresh(binding.key, loggedFetch.call(this)))) return check;
	return verify(heldKeys.call(this, node, binding).keys);
}
