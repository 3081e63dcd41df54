import { clip, maskSecrets } from '../../../nodes/shared/mask';

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
