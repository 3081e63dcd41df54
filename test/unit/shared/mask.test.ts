/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- fake, distinctive secrets and tokens, to prove each spelling is masked */
import { clip, maskJson, maskSecrets } from '../../../nodes/shared/mask';

const SECRET = 'S3cr3t-a1b2c3d4 e5&f6';

describe('maskSecrets / clip: mask first, then cut', () => {
	it('masks the secret in every spelling a server may echo', () => {
		const echoed = [
			SECRET,
			encodeURIComponent(SECRET),
			new URLSearchParams({ s: SECRET }).toString().slice(2),
			JSON.stringify(SECRET).slice(1, -1),
		].join(' | ');
		expect(maskSecrets(echoed, [SECRET])).not.toMatch(/S3cr3t|a1b2c3d4/);
	});

	it('masks a value named client_secret, access_token or password even when the secret is not known', () => {
		const text = 'client_secret=abc123&audience=x {"access_token":"eyJ.x.y"} password: hunter2 Authorization: Bearer tok.en';
		const masked = maskSecrets(text);
		expect(masked).not.toMatch(/abc123|eyJ\.x\.y|hunter2|tok\.en/);
		expect(masked).toContain('audience=x');
	});

	it('never leaves the start of a secret at a cut', () => {
		const text = `${'x'.repeat(190)}client_secret=${SECRET}`;
		for (let max = 190; max < text.length; max++) {
			const shown = clip(text, max, [SECRET]);
			expect(shown).not.toMatch(/S3c|S3cr3t/);
			expect(shown.length).toBeLessThanOrEqual(max);
		}
	});

	it('leaves short, harmless text alone and marks a cut', () => {
		expect(clip('Acme GmbH', 60)).toBe('Acme GmbH');
		expect(clip('a'.repeat(70), 60)).toBe(`${'a'.repeat(59)}…`);
	});
});

describe('maskSecrets: every spelling, named in turn', () => {
	// A secret with every character encoders disagree on.
	const secret = "Ab!c'd(e)f~g*h i/j+k";
	const formEncoded = (text: string) =>
		encodeURIComponent(text).replace(/[!'()*~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);

	it.each([
		['raw', secret],
		['encodeURIComponent (leaves ! \' ( ) ~)', encodeURIComponent(secret)],
		['form-encoded: %21 %27 %28 %29 %7E', formEncoded(secret)],
		['form-encoded with + for a space (URLSearchParams)', new URLSearchParams({ s: secret }).toString().slice(2)],
		['lower-case hex', formEncoded(secret).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase())],
		['mixed-case hex', formEncoded(secret).replace(/%2F/g, '%2f')],
		['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
		['JSON \\u escapes', secret.replace(/[!']/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)],
	])('masks the secret spelled %s', (_name, spelling) => {
		expect(spelling).not.toBe('');
		const masked = maskSecrets(`before ${spelling} after`, [secret]);
		expect(masked).toBe('before *** after');
	});

	it.each(['%21', '%27', '%28', '%29', '%7E', '%7e'])('masks a secret whose form encoding contains %s', (escape) => {
		const char = decodeURIComponent(escape);
		const secretWith = `k3y${char}z`;
		expect(maskSecrets(`x=k3y${escape}z&y=1`, [secretWith])).toBe('x=***&y=1');
	});

	it.each([
		['client_secret <value>', 'invalid client_secret S3cr3tValue given', 'S3cr3tValue'],
		['client_secret=<value>', 'client_secret=S3cr3tValue&a=b', 'S3cr3tValue'],
		['client_secret%3D<value> (URL-encoded once more)', 'body=client_secret%3DS3cr3tValue', 'S3cr3tValue'],
		['"client_secret": "<value>"', '{"client_secret": "S3cr3tValue"}', 'S3cr3tValue'],
		['client-secret: <value>', 'client-secret: S3cr3tValue', 'S3cr3tValue'],
		['access_token <value>', 'access_token eyJhbGciOi.payload.sig', 'eyJhbGciOi'],
	])('masks a named secret: %s, even when the secret is not known', (_name, text, value) => {
		expect(maskSecrets(text)).not.toContain(value);
	});

	it('masks the current access token without "Bearer" in front', () => {
		const token = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJjbGllbnQifQ.c2lnbmF0dXJl';
		const text = `Pliant said: token ${token} is expired; sent ${encodeURIComponent(token)}`;
		const masked = maskSecrets(text, [token]);
		expect(masked).not.toContain('eyJhbGciOiJFZERTQSJ9');
		expect(masked).toBe('Pliant said: token *** is expired; sent ***');
	});

	it('leaves text alone that only looks like part of a secret', () => {
		expect(maskSecrets('Ab!c and Acme GmbH', [secret])).toBe('Ab!c and Acme GmbH');
	});
});

describe('maskJson: an error body made safe to keep', () => {
	it('masks every string and every member named like a secret, and leaves the given value as it was', () => {
		const body = {
			code: 'ILLEGAL_ARGUMENTS_PROVIDED',
			message: `bad client_secret ${SECRET}`,
			details: [{ field: 'token', message: `got tok-123 and ${encodeURIComponent(SECRET)}` }],
			access_token: 'tok-123',
			nested: { Authorization: 'Bearer tok-123', count: 3, ok: true, none: null },
		};
		const copy = JSON.parse(JSON.stringify(body));
		const masked = maskJson(body, [SECRET, 'tok-123']);
		expect(JSON.stringify(masked)).not.toMatch(/S3cr3t|a1b2c3d4|tok-123/);
		expect(masked).toMatchObject({ code: 'ILLEGAL_ARGUMENTS_PROVIDED', access_token: '***', nested: { Authorization: '***', count: 3, ok: true, none: null } });
		expect(body).toEqual(copy);
	});
});
