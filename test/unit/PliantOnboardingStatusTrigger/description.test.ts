/**
 * Version 2 of the Pliant Onboarding Status Trigger: version 1's fields unchanged, the source,
 * the Callback URL picker and its list of the URLs Pliant has subscriptions for.
 */
import type { ILoadOptionsFunctions, INodeProperties } from 'n8n-workflow';
import nock from 'nock';

import { searchCallbackUrls } from '../../../nodes/PliantOnboardingStatusTrigger/callback-urls';
import { triggerProperties } from '../../../nodes/PliantOnboardingStatusTrigger/description';
import { PliantOnboardingStatusTrigger } from '../../../nodes/PliantOnboardingStatusTrigger/PliantOnboardingStatusTrigger.node';
import { forgetProcessMemory } from '../../support/process-memory';
import { API, fakeContextFor } from '../../support/fake-execute-context';
import { useNock } from '../../support/nock';

useNock();

const { description } = new PliantOnboardingStatusTrigger();
const loadOptions = () => fakeContextFor(PliantOnboardingStatusTrigger)({}).context as unknown as ILoadOptionsFunctions;

const shownFor = (version: number, source?: string) =>
	description.properties.filter((property: INodeProperties) => {
		const show = property.displayOptions?.show ?? {};
		return (show['@version'] as number[]).includes(version) && (!show.source || (source !== undefined && (show.source as string[]).includes(source)));
	});

beforeAll(() => nock.disableNetConnect());
beforeEach(() => forgetProcessMemory());
afterEach(() => {
	expect(nock.pendingMocks()).toEqual([]);
	nock.cleanAll();
});

describe('Pliant Onboarding Status Trigger versions', () => {
	it('is version 1 and 2, 2 for new nodes', () => {
		expect(description).toMatchObject({ version: [1, 2], defaultVersion: 2, polling: true });
	});

	it('shows version 1 exactly its old fields', () => {
		const strip = (property: INodeProperties) => Object.fromEntries(Object.entries(property).filter(([key]) => key !== 'displayOptions'));
		expect(shownFor(1).map(strip)).toEqual(triggerProperties);
	});

	it('version 2: a source, then version 1\'s fields for changes or the callback log\'s own', () => {
		const source = shownFor(2).find((property) => property.name === 'source');
		expect(source).toMatchObject({ default: 'changes' });
		expect((source?.options as Array<{ value: string }>).map((option) => option.value)).toEqual(['callbackLog', 'changes']);
		expect(shownFor(2, 'changes').map((property) => property.name)).toEqual(['source', ...triggerProperties.map((p) => p.name)]);
		const log = shownFor(2, 'callbackLog');
		expect(log.map((property) => property.name)).toEqual(['source', 'callbackLogNotice', 'callbackUrl', 'options']);
		const options = log.find((property) => property.name === 'options')?.options as INodeProperties[];
		expect(options.map((option) => [option.name, option.default])).toEqual([
			['windowHours', 48],
			['maxCallbacksPerPoll', 100],
		]);
	});
});

describe('Callback URL list', () => {
	it('lists each URL Pliant has subscriptions for once, production URLs first, filtered by the search', async () => {
		const production = 'https://n8n.example/webhook/aaa/webhook';
		const test = 'https://n8n.example/webhook-test/aaa/webhook';
		const other = 'https://other.example/webhook/bbb/webhook';
		const subscriptions = [
			{ id: '1', eventType: 'ORGANIZATION_ADDED', callbackUrl: test },
			{ id: '2', eventType: 'ORGANIZATION_ADDED', callbackUrl: production },
			{ id: '3', eventType: 'AUTHORIZATION_PENDING', callbackUrl: production },
			{ id: '4', eventType: 'ORGANIZATION_ADDED', callbackUrl: other },
		];
		nock(API).get('/subscriptions').twice().reply(200, { subscriptions });
		expect(await searchCallbackUrls.call(loadOptions())).toEqual({
			results: [
				{ name: production, value: production, description: '2 event types' },
				{ name: other, value: other, description: '1 event type' },
				{ name: test, value: test, description: '1 event type (test URL)' },
			],
		});
		expect((await searchCallbackUrls.call(loadOptions(), 'OTHER')).results.map((r) => r.value)).toEqual([other]);
	});
});
