import { clock } from '../shared/clock';
import { boundedMap, processMemory, type BoundedMap } from '../shared/memory';
import { endpointsFor } from '../shared/http/endpoints';
import type { PliantContext } from '../shared/http/transport';
import { accountKey, CREDENTIAL_TYPE } from '../shared/identity';

/**
 * Which Pliant client a node's credential stands for, remembered per credential ID so that a
 * callback needs no credential lookup (decrypting and resolving a credential is expensive under
 * n8n 2.x's expression engine). A credential can be edited at any time: publishing always reads
 * it again, and so does a callback that fails verification (at most once per interval, so a
 * flood of forgeries costs no lookups), as does the minutely key refresh.
 */

/** A failed verification re-reads the credential at most this often per credential. */
export const CREDENTIAL_REREAD_INTERVAL_MS = 1_000;

/** Credentials remembered at once; beyond that the oldest is read again when next needed. */
const MAX_CREDENTIALS = 1_000;

export interface CredentialBinding {
	/** API base and client: two credentials share signing keys only when both are the same. */
	key: string;
	baseUrl: string;
	readAt: number;
}

export class CredentialBindings {
	constructor(
		private readonly now: () => number = () => clock.now(),
		private readonly rereadIntervalMs: number = CREDENTIAL_REREAD_INTERVAL_MS,
		private readonly entries: BoundedMap<string, CredentialBinding> = boundedMap('credential bindings', { max: MAX_CREDENTIALS }),
		/** When a failed verification last re-read each credential: the bound on forged traffic. */
		private readonly rereadAt: BoundedMap<string, number> = boundedMap('credential re-reads', { max: MAX_CREDENTIALS }),
	) {}

	/** Reads the credential now and remembers what it stands for (under the node's credential ID). */
	async read(context: PliantContext, id: string | undefined): Promise<CredentialBinding> {
		const credentials = await context.getCredentials(CREDENTIAL_TYPE);
		const { baseUrl } = endpointsFor(credentials);
		const binding = { key: accountKey({ baseUrl, clientId: credentials.clientId }), baseUrl, readAt: this.now() };
		if (id !== undefined) this.entries.set(id, binding);
		return binding;
	}

	/** What the node's credential stands for: remembered, or read when unknown. */
	async current(context: PliantContext, id: string | undefined): Promise<CredentialBinding> {
		const known = id === undefined ? undefined : this.entries.get(id);
		return known ?? (await this.read(context, id));
	}

	/**
	 * After a failed verification: reads the credential again unless it was read within the
	 * interval (then undefined), so an edited credential takes effect on its next callback.
	 */
	async reread(context: PliantContext, id: string | undefined): Promise<CredentialBinding | undefined> {
		// Only failures count against the interval: a publish a moment before an edit must not
		// keep the first callback after the edit from seeing it.
		const last = id === undefined ? undefined : this.rereadAt.get(id);
		if (last !== undefined && this.now() - last < this.rereadIntervalMs) return undefined;
		const binding = await this.read(context, id);
		if (id !== undefined) this.rereadAt.set(id, binding.readAt);
		return binding;
	}
}

/** The one set of bindings of this n8n process. */
export const credentialBindings = new CredentialBindings(
	undefined,
	undefined,
	processMemory.create('credential bindings', { max: MAX_CREDENTIALS }),
	processMemory.create('credential re-reads', { max: MAX_CREDENTIALS }),
);
