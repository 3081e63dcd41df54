import { ORGANIZATION_STATUSES } from '../../../nodes/shared/contract';
import { STAGE_COUNT, stageOf, statusOptions } from '../../../nodes/shared/onboarding/stages';

describe('onboarding stages', () => {
	it.each([
		['ONBOARDING_STARTED', 'Onboarding started', 1, 'Onboarding started — step 1 of 4'],
		[
			'ONBOARDING_RISK_AND_COMPLIANCE',
			'Risk and compliance',
			2,
			'Risk and compliance — step 2 of 4',
		],
		['ONBOARDING_MANDATES_AND_TERMS', 'Mandates and terms', 3, 'Mandates and terms — step 3 of 4'],
		['ACTIVE', 'Active', 4, 'Active — step 4 of 4'],
	])('%s is "%s", step %d of 4', (status, label, position, summary) => {
		expect(stageOf(status)).toEqual({ label, position, count: 4, summary });
	});

	it.each([
		['DEACTIVATED', 'Deactivated'],
		['CANCELLED', 'Cancelled'],
	])('%s is off the onboarding path: a label, no step', (status, label) => {
		expect(stageOf(status)).toEqual({ label, position: null, count: STAGE_COUNT, summary: label });
	});

	it('gives an unknown status a neutral label made from its own name, and no step', () => {
		expect(stageOf('ONBOARDING_ON_HOLD')).toEqual({
			label: 'Onboarding on hold',
			position: null,
			count: 4,
			summary: 'Onboarding on hold',
		});
	});

	it.each([undefined, null, '', '  ', 42])('has no stage without a status (%p)', (status) => {
		expect(stageOf(status)).toEqual({ label: null, position: null, count: 4, summary: null });
	});

	it('does not treat inherited object keys as statuses', () => {
		expect(stageOf('constructor')).toMatchObject({ label: 'Constructor', position: null });
	});

	it('offers every documented status as a filter option, sorted by name', () => {
		const options = statusOptions(ORGANIZATION_STATUSES);
		expect(options.map((option) => option.value).sort()).toEqual([...ORGANIZATION_STATUSES].sort());
		const names = options.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect(options.find((option) => option.value === 'ONBOARDING_RISK_AND_COMPLIANCE')).toEqual({
			name: 'Risk and Compliance',
			value: 'ONBOARDING_RISK_AND_COMPLIANCE',
			description: 'Status ONBOARDING_RISK_AND_COMPLIANCE, step 2 of 4 of onboarding',
		});
	});
});
