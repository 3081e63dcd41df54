/**
 * The one place where text is made safe to show: secrets are masked first, and only then is
 * the text cut, so a cut can never leave the start of a secret behind ("client_secret=S3cr3t-…").
 */

const MASK = '***';

// The names a secret goes by: form fields, JSON members, query strings, headers, prose.
const SECRET_NAMES = 'client[_-]?secret|access[_-]?token|refresh[_-]?token|id[_-]?token|password';
// A secret named in the text, whatever separates name and value: "=", ":", their URL-encoded
// forms, or only a space ("client_secret abc").
const NAMED_SECRET = new RegExp(`((?:${SECRET_NAMES})["']?(?:\\s*(?:[:=]|%3[adAD])\\s*|\\s+)["']?)[^"'&\\s,;}]+`, 'gi');
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
/** A JSON member whose value is a secret, whatever it holds. */
const SECRET_MEMBER = new RegExp(`^(?:${SECRET_NAMES}|authorization)$`, 'i');

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** `%7e` or `%7E`: hex digits in either case, as encoders differ. */
const percentPattern = (bytes: number[]) =>
	bytes.map((byte) => `%${[...byte.toString(16).padStart(2, '0')].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join('')}`).join('');

/** Every way one character of a secret may be written when a server echoes it. */
function characterPattern(char: string): string {
	const alternatives = [escapeRegex(char), percentPattern([...Buffer.from(char, 'utf8')])];
	if (char === ' ') alternatives.push('\\+'); // form encoding
	const code = char.codePointAt(0) ?? 0;
	if (code <= 0xffff) alternatives.push(`\\\\u${percentPattern([code >> 8, code & 0xff]).replace(/%/g, '')}`); // JSON \uXXXX
	if (char === '"' || char === '\\' || char === '/') alternatives.push(`\\\\${escapeRegex(char)}`); // JSON escapes
	return `(?:${alternatives.join('|')})`;
}

/**
 * One pattern for every spelling of a secret: raw, URL-encoded (encodeURIComponent leaves
 * `! ' ( ) ~` alone, form encoders write `%21 %27 %28 %29 %7E`), upper- or lower-case hex,
 * `+` for a space, JSON-escaped; any mix of these, character by character.
 */
function secretPattern(secret: string): RegExp {
	return new RegExp([...secret].map(characterPattern).join(''), 'g');
}

/** The text with the given secrets, and any secret it names, replaced by ***. */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
	let masked = text;
	for (const secret of secrets) {
		if (secret) masked = masked.replace(secretPattern(secret), MASK);
	}
	return masked.replace(NAMED_SECRET, `$1${MASK}`).replace(BEARER, `$1${MASK}`);
}

/**
 * A JSON value (an error body) safe to keep: every string masked, and the value of any member
 * named like a secret (`client_secret`, `access_token`, `authorization`, ...) replaced whole.
 * A new value; the given one is left as it was.
 */
export function maskJson<T>(value: T, secrets: readonly (string | undefined)[] = []): T {
	if (typeof value === 'string') return maskSecrets(value, secrets) as T;
	if (Array.isArray(value)) return value.map((entry: unknown) => maskJson(entry, secrets)) as T;
	if (!value || typeof value !== 'object') return value;
	const copy: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value)) {
		copy[key] = SECRET_MEMBER.test(key) && entry !== null && entry !== '' ? MASK : maskJson(entry, secrets);
	}
	return copy as T;
}

/** Masked first, then cut to at most `max` characters (an ellipsis marks the cut). */
export function clip(text: string, max: number, secrets: readonly (string | undefined)[] = []): string {
	const masked = maskSecrets(text, secrets);
	return masked.length > max ? `${masked.slice(0, Math.max(0, max - 1))}…` : masked;
}
