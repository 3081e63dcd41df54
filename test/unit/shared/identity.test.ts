import { accountKey, credentialIdOf, CREDENTIAL_TYPE, nodeKey } from '../../../nodes/shared/identity';

describe('identity', () => {
	it('names the credential type the credential class declares', () => {
		expect(CREDENTIAL_TYPE).toBe('pliantApi');
	});

	it('reads the credential ID from the node, nothing when n8n gives none', () => {
		expect(credentialIdOf({ credentials: { pliantApi: { id: 'cred-1', name: 'Pliant' } } })).toBe('cred-1');
		expect(credentialIdOf({ credentials: { pliantApi: { id: '', name: 'Pliant' } } })).toBeUndefined();
		expect(credentialIdOf({ credentials: { pliantApi: { id: null, name: 'Pliant' } } })).toBeUndefined();
		expect(credentialIdOf({})).toBeUndefined();
	});

	it('keys a node by workflow and node ID, the name only when there is no ID', () => {
		expect(nodeKey('wf-1', { id: 'node-1', name: 'Pliant Trigger' })).toBe('wf-1|node-1');
		expect(nodeKey(undefined, { id: undefined as unknown as string, name: 'Pliant Trigger' })).toBe('|Pliant Trigger');
	});

	it('keys an account by API base and client: two clients never share', () => {
		expect(accountKey({ baseUrl: 'https://api.example', clientId: 'a' })).toBe('https://api.example|a');
		expect(accountKey({ baseUrl: 'https://api.example', clientId: 'a' })).not.toBe(accountKey({ baseUrl: 'https://api.example', clientId: 'b' }));
		expect(accountKey({ baseUrl: 'https://api.example' })).toBe('https://api.example|');
	});
});
