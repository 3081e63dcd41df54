import type { INodePropertyOptions } from 'n8n-workflow';

import { COUNTRIES } from '../shared/fields/countries';
import { INDUSTRIES, industryLabel } from '../shared/fields/industries';

function byName(a: INodePropertyOptions, b: INodePropertyOptions): number {
	return a.name.localeCompare(b.name, 'en');
}

/** The 68 countries Pliant accepts, shown by name, sent as ISO 3166-1 alpha-2. */
export const COUNTRY_OPTIONS: INodePropertyOptions[] = COUNTRIES.map((country) => ({
	name: country.name,
	value: country.code,
})).sort(byName);

/** Every Pliant industry, shown in words ("Computer Software"), sent as the enum value. */
export const INDUSTRY_OPTIONS: INodePropertyOptions[] = INDUSTRIES.map((industry) => ({
	name: industryLabel(industry),
	value: industry,
})).sort(byName);

/** The address country may be left to follow the company's country. */
export const ADDRESS_COUNTRY_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Same as Company Country', value: '' },
	...COUNTRY_OPTIONS,
].sort(byName);
