/**
 * The real-engine harness itself (test/support/engine.ts): items in order with n8n's
 * pairedItem, Continue On Fail, one stored token across executions, and log capture.
 */
import nock from 'nock';

import {
	captureLogs,
	customCredentials,
	PliantCredentialsHelper,
	runNode,
} from '../../support/engine';
import { recordBackoff, useNock } from '../../support/nock';
import { PliantProbe, PROBE_NODE_TYPE } from '../../support/probe-node';

const ORIGIN = 'https://pliant.test';
const probe = { [PROBE_NODE_TYPE]: new PliantProbe() };

describe('engine harness', () => {
	useNock();
	recordBackoff();

	it('runs the node in n8n-core with one item per input, paired with its input', async () => {
		nock(ORIGIN).post('/oauth/token').reply(200, { access_token: 'tok-1', expires_in: 60 });
		nock(ORIGIN)
			.get(/\/api\/organizations\/org-\d/)
			.times(3)
			.matchHeader('authorization', 'Bearer tok-1')
			.reply((uri) => [200, { organizationId: uri.split('/').pop() }]);

		const result = await runNode({
			nodeType: PROBE_NODE_TYPE,
			nodeTypes: probe,
			parameters: { method: 'GET', path: '=/organizations/{{ $json.id }}' },
			items: [{ id: 'org-1' }, { id: 'org-2' }, { id: 'org-3' }],
			credentials: customCredentials(ORIGIN),
		});

		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{ json: { organizationId: 'org-1' }, pairedItem: { item: 0 } },
			{ json: { organizationId: 'org-2' }, pairedItem: { item: 1 } },
			{ json: { organizationId: 'org-3' }, pairedItem: { item: 2 } },
		]);
		expect(result.tokenRequests).toBe(1);
		expect(result.run.status).toBe('success');
	});

	it('reports the error of a failed run and the error items under Continue On Fail', async () => {
		// one token for both runs (the process's token cache); org-1 only asked for in the second
		// run: the first stops at the failed item
		nock(ORIGIN).post('/oauth/token').reply(200, { access_token: 'tok-1', expires_in: 60 });
		nock(ORIGIN).get('/api/organizations/org-1').reply(200, { organizationId: 'org-1' });
		nock(ORIGIN)
			.get('/api/organizations/missing')
			.times(2)
			.reply(404, { code: 'NOT_FOUND', message: 'No such organization' });
		const options = {
			nodeType: PROBE_NODE_TYPE,
			nodeTypes: probe,
			parameters: { method: 'GET', path: '=/organizations/{{ $json.id }}' },
			items: [{ id: 'missing' }, { id: 'org-1' }],
			credentials: customCredentials(ORIGIN),
		};

		const failed = await runNode(options);
		expect(failed.error).toMatchObject({
			name: 'NodeApiError',
			message: 'Not found at Pliant',
			httpCode: '404',
		});
		expect(failed.items).toEqual([]);

		const continued = await runNode({ ...options, continueOnFail: true });
		expect(continued.error).toBeUndefined();
		expect(
			continued.items.map((item) => [item.pairedItem, item.json.error ?? item.json.organizationId]),
		).toEqual([
			[{ item: 0 }, 'Not found at Pliant'],
			[{ item: 1 }, 'org-1'],
		]);
	});

	it('shares one stored token across runs through one credentials helper', async () => {
		nock(ORIGIN).post('/oauth/token').once().reply(200, { access_token: 'tok-1', expires_in: 60 });
		nock(ORIGIN)
			.get('/api/organizations')
			.times(3)
			.matchHeader('authorization', 'Bearer tok-1')
			.reply(200, {});
		const credentialsHelper = new PliantCredentialsHelper(customCredentials(ORIGIN));

		const runs = [];
		for (let index = 0; index < 3; index++) {
			runs.push(await runNode({ nodeType: PROBE_NODE_TYPE, nodeTypes: probe, credentialsHelper }));
		}

		expect(runs.map((run) => run.tokenRequests)).toEqual([1, 0, 0]);
		expect(credentialsHelper.tokenRequests).toBe(1);
		expect(credentialsHelper.accessToken).toBe('tok-1');
		credentialsHelper.forgetToken();
		expect(credentialsHelper.accessToken).toBe('');
	});

	it("captures what the nodes log through n8n's logger", async () => {
		const logs = captureLogs();
		nock(ORIGIN).post('/oauth/token').reply(200, { access_token: 'tok-1', expires_in: 60 });
		nock(ORIGIN).get('/api/organizations').reply(503, {});
		nock(ORIGIN).get('/api/organizations').reply(200, {});

		await runNode({
			nodeType: PROBE_NODE_TYPE,
			nodeTypes: probe,
			credentials: customCredentials(ORIGIN),
		});

		expect(
			logs.some((line) => /Pliant GET \/organizations failed \(503\), retry in/.test(line.message)),
		).toBe(true);
	});

	it('names an unknown node type', async () => {
		await expect(runNode({ nodeType: 'nope' })).rejects.toThrow(
			'Harness: unknown node type "nope"',
		);
	});
});
