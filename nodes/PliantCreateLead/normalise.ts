import { COUNTRIES, type Country } from '../shared/countries';
import { INDUSTRIES, industryLabel, type Industry } from '../shared/industries';
import { type Candidate, closestValues } from './closest-values';

/**
 * Mapped CRM values rarely match Pliant's codes exactly ("Germany", "DEU", "Computer
 * Software", "computer-software"). These functions turn any common spelling into the contract
 * value, or name the closest valid values so the user can fix the mapping.
 */

export type Normalised<T> = { ok: true; value: string } | { ok: false; closest: T[] };

/** Lower case, accents and punctuation dropped, single spaces: "Türkiye" → "turkiye". */
function words(value: string): string {
	return value
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/&|\+/g, ' and ')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, ' ')
		.trim();
}

/* ------------------------------------------------------------------ countries */

function countryKey(value: string): string {
	const key = words(value).replace(/^the /, '');
	// "U.S.A." and "U.K." arrive as single letters
	return /^([a-z] )+[a-z]$/.test(key) ? key.replace(/ /g, '') : key;
}

function countrySpellings(country: Country): string[] {
	return [country.name, ...(country.aliases ?? [])].map(countryKey);
}

const COUNTRY_BY_KEY = new Map<string, Country>();
for (const country of COUNTRIES) {
	for (const key of [country.code, country.alpha3, ...countrySpellings(country)]) {
		COUNTRY_BY_KEY.set(countryKey(key), country);
	}
}

/** "Germany", "germany", "de", "DEU", "Deutschland" → "DE". */
export function normaliseCountry(input: string): Normalised<Country> {
	const key = countryKey(input);
	const found = COUNTRY_BY_KEY.get(key);
	if (found) return { ok: true, value: found.code };
	const short = key.length <= 3;
	const candidates: Array<Candidate<Country>> = COUNTRIES.map((country) => ({
		value: country,
		spellings: short
			? [country.code.toLowerCase(), country.alpha3.toLowerCase(), ...countrySpellings(country)]
			: countrySpellings(country),
	}));
	return { ok: false, closest: closestValues(key, candidates) };
}

export function describeCountry(country: Country): string {
	return `${country.name} (${country.code})`;
}

/* ------------------------------------------------------------------ industries */

/** "Food & Beverages", "food_beverages", "FOOD-AND-BEVERAGES" → "FOODBEVERAGES". */
function industryKey(value: string): string {
	return words(value)
		.split(' ')
		.filter((word) => word !== 'and')
		.join('');
}

/** Same, with plural endings dropped: "IT Services" finds IT_SERVICE. */
function singularIndustryKey(value: string): string {
	return words(value)
		.split(' ')
		.filter((word) => word !== 'and')
		.map((word) => (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word))
		.join('');
}

const INDUSTRY_BY_KEY = new Map<string, Industry>();
const INDUSTRY_BY_SINGULAR_KEY = new Map<string, Industry | null>();
for (const industry of INDUSTRIES) {
	INDUSTRY_BY_KEY.set(industryKey(industry), industry);
	const singular = singularIndustryKey(industry);
	// Two industries with the same singular form would be ambiguous: accept neither that way.
	INDUSTRY_BY_SINGULAR_KEY.set(singular, INDUSTRY_BY_SINGULAR_KEY.has(singular) ? null : industry);
}

const INDUSTRY_CANDIDATES: Array<Candidate<Industry>> = INDUSTRIES.map((industry) => ({
	value: industry,
	spellings: [words(industryLabel(industry))],
}));

/** "Computer Software", "computer_software", "computer-software" → "COMPUTER_SOFTWARE". */
export function normaliseIndustry(input: string): Normalised<Industry> {
	const found =
		INDUSTRY_BY_KEY.get(industryKey(input)) ?? INDUSTRY_BY_SINGULAR_KEY.get(singularIndustryKey(input));
	if (found) return { ok: true, value: found };
	return { ok: false, closest: closestValues(words(input), INDUSTRY_CANDIDATES) };
}

export function describeIndustry(industry: string): string {
	return `${industryLabel(industry)} (${industry})`;
}
