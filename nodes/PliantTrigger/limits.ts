/**
 * What the callback endpoint spends on one request before it knows the request is Pliant's.
 * Anyone on the internet can reach it, so every bound is checked before any cryptography.
 */

/** No Pliant callback comes near this (they are a few hundred bytes); larger bodies get 413. */
export const MAX_CALLBACK_BODY_BYTES = 256 * 1024;

/** Signatures verified per request: Pliant sends one, two while it rotates keys. */
export const MAX_VERIFIED_SIGNATURES = 5;

/** Characters of `webhook-signature` read: room for the entries above and a few of other schemes. */
export const MAX_SIGNATURE_HEADER_CHARS = 1024;

/** One warning per trigger node per this interval for rejected callbacks; the rest are counted. */
export const REJECTION_LOG_INTERVAL_MS = 60_000;
