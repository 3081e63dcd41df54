// Part of the local emulator: a dev server, never published (no community-node lint rule fires here).
/**
 * Ed25519 signing keys and Standard Webhooks signatures, as Pliant signs its callbacks:
 * `webhook-signature: v1a,<base64 Ed25519 signature over "<webhook-id>.<webhook-timestamp>.<body>">`.
 * The key ring keeps old keys in the JWKS after a rotation, so receivers holding a cached
 * JWKS keep verifying until they refresh.
 */
import {
	createHash,
	createPrivateKey,
	createPublicKey,
	generateKeyPairSync,
	sign,
	type KeyObject,
} from 'node:crypto';

import {
	CALLBACK_HEADERS,
	SIGNATURE_SCHEME,
	type Jwks,
	type SigningJwk,
} from '../nodes/shared/contract';

/** How a key is written to the `--state` file. */
export interface StoredKey {
	kid: string;
	createdAt: string;
	privateKeyPem: string;
}

interface LoadedKey {
	kid: string;
	createdAt: string;
	privateKey: KeyObject;
	jwk: SigningJwk;
}

export interface SignedHeaders {
	[CALLBACK_HEADERS.webhookId]: string;
	[CALLBACK_HEADERS.webhookTimestamp]: string;
	[CALLBACK_HEADERS.webhookSignature]: string;
}

function toLoaded(privateKey: KeyObject, createdAt: string): LoadedKey {
	const exported = createPublicKey(privateKey).export({ format: 'jwk' }) as { x?: string };
	const x = String(exported.x);
	// A kid derived from the key itself stays stable across restarts with --state.
	const kid = `emu-${createHash('sha256').update(x).digest('base64url').slice(0, 16)}`;
	return { kid, createdAt, privateKey, jwk: { kty: 'OKP', crv: 'Ed25519', x, kid } };
}

export class KeyRing {
	private keys: LoadedKey[] = [];

	constructor(stored: StoredKey[] = []) {
		for (const key of stored) {
			this.keys.push(toLoaded(createPrivateKey(key.privateKeyPem), key.createdAt));
		}
		if (this.keys.length === 0) this.rotate(false);
	}

	/** The key new signatures use: the newest one. */
	get current(): LoadedKey {
		return this.keys[this.keys.length - 1];
	}

	/** Adds a new current key; `dropOld` removes every previous key from the JWKS. */
	rotate(dropOld: boolean): string {
		const { privateKey } = generateKeyPairSync('ed25519');
		const key = toLoaded(privateKey, new Date().toISOString());
		this.keys = dropOld ? [key] : [...this.keys, key];
		return key.kid;
	}

	jwks(): Jwks {
		return { keys: this.keys.map((key) => ({ ...key.jwk })) };
	}

	kids(): string[] {
		return this.keys.map((key) => key.kid);
	}

	stored(): StoredKey[] {
		return this.keys.map((key) => ({
			kid: key.kid,
			createdAt: key.createdAt,
			privateKeyPem: key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
		}));
	}

	/**
	 * Standard Webhooks headers for one body. The signature list has one entry per key when
	 * `allKeys` is set (newest first), which tests "any one entry may match" on receivers.
	 */
	sign(body: string, webhookId: string, timestamp: number, allKeys = false): SignedHeaders {
		const content = Buffer.from(`${webhookId}.${timestamp}.${body}`, 'utf8');
		const signers = allKeys ? [...this.keys].reverse() : [this.current];
		const signature = signers
			.map(
				(key) =>
					`${SIGNATURE_SCHEME.version},${sign(null, content, key.privateKey).toString('base64')}`,
			)
			.join(' ');
		return {
			[CALLBACK_HEADERS.webhookId]: webhookId,
			[CALLBACK_HEADERS.webhookTimestamp]: String(timestamp),
			[CALLBACK_HEADERS.webhookSignature]: signature,
		};
	}
}
