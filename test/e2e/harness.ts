/** The e2e tests' entry to the real stack (scripts/lib/stack.ts). */
import type { Stack } from '../../scripts/lib/stack';

export { OWNER, n8nInstall, startStack, type Stack, type StackOptions } from '../../scripts/lib/stack';

/** Creates a lead straight at the emulator's API (not through n8n); returns its lead ID. */
export async function createLeadAtEmulator(
	stack: Stack,
	partnerOrganizationId: string,
	company: { name: string; country: string },
): Promise<string> {
	const token = (await (
		await fetch(stack.emulator.tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				client_id: 'emulator-client',
				client_secret: 'emulator-secret',
				audience: 'pliant-emulator',
				grant_type: 'client_credentials',
			}),
		})
	).json()) as { access_token: string };
	const res = await fetch(`${stack.emulator.apiBaseUrl}/leads`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
		body: JSON.stringify({
			partnerOrganizationId,
			company: { ...company, industry: 'ACCOUNTING' },
			contactPersons: [{ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@lead.example' }],
		}),
	});
	if (res.status !== 201) throw new Error(`the emulator answered ${res.status} to a lead`);
	return ((await res.json()) as { leadId: string }).leadId;
}
