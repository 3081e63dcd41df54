/**
 * The one place where text is made safe to show: secrets are masked first, and only then is
 * the text cut, so a cut can never leave the start of a secret behind ("client_secret=S3cr3t-…").
 */

const MASK = '***';

// A secret named in the text: form fields, JSON members, query strings, headers.
const NAMED_SECRET =
	/((?:client_secret|clientSecret|access_token|accessToken|refresh_token|id_token|password)["']?\s*[:=]\s*["']?)[^"'&\s,;}]+/gi;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

/** Every spelling a secret may take when a server echoes it: raw, URL-, form- and JSON-encoded. */
function spellings(secret: string): string[] {
	const uri = encodeURIComponent(secret);
	const forms = [secret, uri, uri.replace(/%20/g, '+'), JSON.stringify(secret).slice(1, -1)];
	// Longest first, so a longer spelling is not broken up by a shorter one.
	return [...new Set(forms)].filter(Boolean).sort((a, b) => b.length - a.length);
}

/** The text with the given secrets, and any secret it names, replaced by ***. */
export function maskSecrets(text: string, secrets: readonly string[] = []): string {
	let masked = text;
	for (const secret of secrets) {
		if (!secret) continue;
		for (const spelling of spellings(secret)) masked = masked.split(spelling).join(MASK);
	}
	return masked.replace(NAMED_SECRET, `$1${MASK}`).replace(BEARER, `$1${MASK}`);
}

/** Masked first, then cut to at most `max` characters (an ellipsis marks the cut). */
export function clip(text: string, max: number, secrets: readonly string[] = []): string {
	const masked = maskSecrets(text, secrets);
	return masked.length > max ? `${masked.slice(0, Math.max(0, max - 1))}…` : masked;
}
