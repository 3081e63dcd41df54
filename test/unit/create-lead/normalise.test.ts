import { levenshtein } from '../../../nodes/PliantCreateLead/closest-values';
import { normaliseCountry, normaliseIndustry } from '../../../nodes/PliantCreateLead/normalise';
import { COUNTRIES } from '../../../nodes/shared/fields/countries';
import { INDUSTRIES, industryLabel } from '../../../nodes/shared/fields/industries';

const countryCase = COUNTRIES.map((country) => [country.name, country] as const);

describe('normaliseCountry', () => {
	it('knows all 68 seed countries', () => {
		expect(COUNTRIES).toHaveLength(68);
	});

	it.each(countryCase)('%s: by name, in any case, by alpha-2 and alpha-3 code', (_name, country) => {
		const spellings = [
			country.name,
			country.name.toLowerCase(),
			country.name.toUpperCase(),
			`  ${country.name}  `,
			country.code,
			country.code.toLowerCase(),
			country.alpha3,
			country.alpha3.toLowerCase(),
			...(country.aliases ?? []),
		];
		for (const spelling of spellings) {
			expect({ spelling, result: normaliseCountry(spelling) }).toEqual({
				spelling,
				result: { ok: true, value: country.code },
			});
		}
	});

	it.each([
		['Germany', 'DE'],
		['germany', 'DE'],
		['de', 'DE'],
		['DEU', 'DE'],
		['Deutschland', 'DE'],
		['Czech Republic', 'CZ'],
		['czech-republic', 'CZ'],
		['Türkiye', 'TR'],
		['Turkiye', 'TR'],
		['turkey', 'TR'],
		['Österreich', 'AT'],
		['osterreich', 'AT'],
		['The Netherlands', 'NL'],
		['Holland', 'NL'],
		['Korea, Republic of', 'KR'],
		['South Korea', 'KR'],
		['UK', 'GB'],
		['Great Britain', 'GB'],
		['U.S.A.', 'US'],
		['U.K.', 'GB'],
		['United States of America', 'US'],
		['Bosnia & Herzegovina', 'BA'],
		['bosnia-and-herzegovina', 'BA'],
		['Vatican City', 'VA'],
		['Kosovo', 'XK'],
		['Russian Federation', 'RU'],
		['España', 'ES'],
		['Schweiz', 'CH'],
		['UAE', 'AE'],
	])('%s → %s', (input, code) => {
		expect(normaliseCountry(input)).toEqual({ ok: true, value: code });
	});

	it.each([
		['Germny', 'DE'],
		['Gremany', 'DE'],
		['Frnace', 'FR'],
		['Czech', 'CZ'],
		['Austira', 'AT'],
		['Swizerland', 'CH'],
	])('%s is unknown; the first suggestion is %s', (input, code) => {
		const result = normaliseCountry(input);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.closest).toHaveLength(3);
		expect(result.closest[0].code).toBe(code);
	});

	it.each(['China', 'CN', 'Atlantis', 'XX', '12'])('rejects %s with three suggestions', (input) => {
		const result = normaliseCountry(input);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.closest).toHaveLength(3);
	});
});

describe('normaliseIndustry', () => {
	it.each(INDUSTRIES.map((industry) => [industry, industryLabel(industry)] as const))(
		'%s: by enum value, label and common spellings',
		(industry, label) => {
			const spellings = [
				industry,
				industry.toLowerCase(),
				industry.toLowerCase().replace(/_/g, '-'),
				industry.toLowerCase().replace(/_/g, ' '),
				label,
				label.toLowerCase(),
				label.toUpperCase(),
				` ${label} `,
			];
			for (const spelling of spellings) {
				expect({ spelling, result: normaliseIndustry(spelling) }).toEqual({
					spelling,
					result: { ok: true, value: industry },
				});
			}
		},
	);

	it.each([
		['Computer Software', 'COMPUTER_SOFTWARE'],
		['computer_software', 'COMPUTER_SOFTWARE'],
		['computer-software', 'COMPUTER_SOFTWARE'],
		['COMPUTER SOFTWARE', 'COMPUTER_SOFTWARE'],
		['Food & Beverages', 'FOOD_BEVERAGES'],
		['Oil & Energy', 'OIL_ENERGY'],
		['Computer & Network Security', 'COMPUTER_NETWORK_SECURITY'],
		['Information Technology & Services', 'INFORMATION_TECHNOLOGY_AND_SERVICES'],
		['Hospital & Health Care', 'HOSPITAL_HEALTH_CARE'],
		['Health, Wellness and Fitness', 'HEALTH_WELLNESS_AND_FITNESS'],
		['Airlines/Aviation', 'AIRLINES_AVIATION'],
		['Primary/Secondary Education', 'PRIMARY_SECONDARY_EDUCATION'],
		['Non-Profit Organization Management', 'NON_PROFIT_ORGANIZATION_MANAGEMENT'],
		['E-Commerce', 'E_COMMERCE'],
		['ecommerce', 'E_COMMERCE'],
		['E-Learning', 'E_LEARNING'],
		['IT Service', 'IT_SERVICE'],
		['Arts & Crafts', 'ARTS_AND_CRAFTS'],
		['Wine & Spirits', 'WINE_AND_SPIRITS'],
		['Mechanical or Industrial Engineering', 'MECHANICAL_OR_INDUSTRIAL_ENGINEERING'],
		['Venture Capital & Private Equity', 'VENTURE_CAPITAL_PRIVATE_EQUITY'],
		['Transportation/Trucking/Railroad', 'TRANSPORTATION_TRUCKING_RAILROAD'],
		['Convenience Stores, Gas Stations & Liquor Stores', 'CONVENIENCE_STORES_GAS_STATIONS_LIQUOR_STORES'],
	])('%s → %s', (input, industry) => {
		expect(normaliseIndustry(input)).toEqual({ ok: true, value: industry });
	});

	it.each([
		['Softwre', 'COMPUTER_SOFTWARE'],
		['software', 'COMPUTER_SOFTWARE'],
		['Computer Sofware', 'COMPUTER_SOFTWARE'],
		['Bankng', 'BANKING'],
		['Insurence', 'INSURANCE'],
	])('%s is unknown; the first suggestion is %s', (input, industry) => {
		const result = normaliseIndustry(input);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.closest).toHaveLength(3);
		expect(result.closest[0]).toBe(industry);
	});
});

describe('normaliseIndustry: no guesses', () => {
	it.each(['IT_SERVICES', 'IT Services', 'it-services'])(
		'%s is as close to IT_SERVICE as to INFORMATION_TECHNOLOGY_AND_SERVICES: rejected, both suggested',
		(input) => {
			const result = normaliseIndustry(input);
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.closest.slice(0, 2).sort()).toEqual(['INFORMATION_TECHNOLOGY_AND_SERVICES', 'IT_SERVICE']);
		},
	);

	it('rejects a value longer than any name before any fuzzy matching', () => {
		const country = normaliseCountry('x'.repeat(30_000));
		const industry = normaliseIndustry('y'.repeat(30_000));
		expect(country).toEqual({ ok: false, tooLong: true, closest: [] });
		expect(industry).toEqual({ ok: false, tooLong: true, closest: [] });
	});

	it('accepts exactly one value per spelling: no two industries share a key', () => {
		const keys = INDUSTRIES.map((industry) => normaliseIndustry(industry));
		expect(keys.every((result, index) => result.ok && result.value === INDUSTRIES[index])).toBe(true);
	});
});

describe('levenshtein', () => {
	it.each([
		['', '', 0],
		['abc', '', 3],
		['kitten', 'sitting', 3],
		['germany', 'germny', 1],
		['same', 'same', 0],
	])('%s ↔ %s = %d', (a, b, expected) => {
		expect(levenshtein(a, b)).toBe(expected);
		expect(levenshtein(b, a)).toBe(expected);
	});
});
