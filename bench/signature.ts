/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- bench/test tooling, never published */
/**
 * Signature micro-benchmark: the package's per-callback check (dist/, as shipped: header
 * parsing, timestamp window, base64, the JWKS cache lookup, Ed25519) against a raw
 * `crypto.verify` with a cached KeyObject (plus the minimum any receiver must do: build the
 * signed content and decode the signature). Run on its own, it prints one JSON line:
 *   node_modules/.bin/tsx bench/signature.ts            (or with Node 24: node24 node_modules/tsx/dist/cli.mjs …)
 */
import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'crypto';
import * as path from 'path';
import { performance } from 'perf_hooks';

const DIST = path.resolve(__dirname, '..', 'dist', 'nodes', 'PliantTrigger');

interface SignatureModule {
	verifyCallbackSignature(input: {
		rawBody: Buffer;
		headers: Record<string, string>;
		keys: readonly KeyObject[];
		now: number;
	}): { valid: boolean };
}
interface JwksModule {
	JwksCache: new () => { store(baseUrl: string, jwks: unknown, now: number): KeyObject[]; keys(baseUrl: string): KeyObject[] | undefined };
}

export interface SignatureBenchResult {
	node: string;
	iterations: number;
	rawUs: number;
	packageUs: number;
	ratio: number;
	samples: Array<{ rawUs: number; packageUs: number }>;
}

function timeIt(iterations: number, fn: () => boolean): number {
	const t0 = performance.now();
	let ok = 0;
	for (let i = 0; i < iterations; i++) if (fn()) ok++;
	const us = ((performance.now() - t0) * 1000) / iterations;
	if (ok !== iterations) throw new Error(`only ${ok}/${iterations} verified`);
	return us;
}

export function runSignatureBench(iterations = 20_000, repeats = 7): SignatureBenchResult {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { verifyCallbackSignature } = require(path.join(DIST, 'signature.js')) as SignatureModule;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { JwksCache } = require(path.join(DIST, 'jwks-cache.js')) as JwksModule;

	const { privateKey, publicKey } = generateKeyPairSync('ed25519');
	const x = String((publicKey.export({ format: 'jwk' }) as { x?: string }).x);
	const baseUrl = 'https://partner-api.getpliant.com/api';
	const cache = new JwksCache();
	cache.store(baseUrl, { keys: [{ kty: 'OKP', crv: 'Ed25519', x, kid: 'k1' }] }, Date.now());
	const rawKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });

	const body = JSON.stringify({
		eventType: 'ORGANIZATION_STATE_CHANGED',
		organizationId: '0b7c0001-1f2e-4d3c-9b8a-7f6e5d4c3b2a',
		statusChange: { beforeChange: 'ONBOARDING_RISK_AND_COMPLIANCE', afterChange: 'ONBOARDING_MANDATES_AND_TERMS' },
	});
	const rawBody = Buffer.from(body, 'utf8');
	const id = 'msg_2b8f3c1d-6a8e-4f5a-9d1c-3e7b5a9c0d12';
	const ts = String(Math.floor(Date.now() / 1000));
	const signatureB64 = sign(null, Buffer.from(`${id}.${ts}.${body}`), privateKey).toString('base64');
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'webhook-id': id,
		'webhook-timestamp': ts,
		'webhook-signature': `v1a,${signatureB64}`,
		'x-callback-id': id,
	};

	const raw = () =>
		verify(null, Buffer.concat([Buffer.from(`${id}.${ts}.`), rawBody]), rawKey, Buffer.from(signatureB64, 'base64'));
	const ours = () =>
		verifyCallbackSignature({ rawBody, headers, keys: cache.keys(baseUrl) ?? [], now: Date.now() }).valid;

	// warm up both paths
	timeIt(2000, raw);
	timeIt(2000, ours);
	const samples: Array<{ rawUs: number; packageUs: number }> = [];
	for (let r = 0; r < repeats; r++) {
		// interleaved, so drift in machine load hits both
		const rawUs = timeIt(Math.floor(iterations / repeats), raw);
		const packageUs = timeIt(Math.floor(iterations / repeats), ours);
		samples.push({ rawUs, packageUs });
	}
	const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
	const rawUs = med(samples.map((s) => s.rawUs));
	const packageUs = med(samples.map((s) => s.packageUs));
	return { node: process.version, iterations, rawUs, packageUs, ratio: packageUs / rawUs, samples };
}

if (require.main === module) {
	process.stdout.write(`${JSON.stringify(runSignatureBench())}\n`);
}
