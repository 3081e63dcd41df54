import type { INodeType } from 'n8n-workflow';

import { PliantCreateLead } from '../../../nodes/PliantCreateLead/PliantCreateLead.node';
import { PliantOnboardingStatus } from '../../../nodes/PliantOnboardingStatus/PliantOnboardingStatus.node';
import { PliantOnboardingStatusTrigger } from '../../../nodes/PliantOnboardingStatusTrigger/PliantOnboardingStatusTrigger.node';
import { PliantTrigger } from '../../../nodes/PliantTrigger/PliantTrigger.node';

/** Every `hint` in a description, however deep (collections, fixed collections, locator modes). */
function hintsOf(value: unknown, path = ''): Array<[string, string]> {
	if (Array.isArray(value)) return value.flatMap((entry, index) => hintsOf(entry, `${path}[${index}]`));
	if (value === null || typeof value !== 'object') return [];
	return Object.entries(value).flatMap(([key, entry]) =>
		key === 'hint' && typeof entry === 'string' ? [[path, entry] as [string, string]] : hintsOf(entry, `${path}.${key}`),
	);
}

describe("hints stay within n8n's 120 characters (hint-max-length)", () => {
	it.each([PliantCreateLead, PliantOnboardingStatus, PliantOnboardingStatusTrigger, PliantTrigger])('%p', (NodeClass) => {
		const { description } = new (NodeClass as new () => INodeType)();
		const hints = hintsOf(description);
		const tooLong = hints.filter(([, hint]) => hint.length > 120);
		expect(tooLong).toEqual([]);
	});
});
