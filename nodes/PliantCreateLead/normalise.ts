import { COUNTRIES, type Country } from '../shared/fields/countries';
import { INDUSTRIES, industryLabel, type Industry } from '../shared/fields/industries';
import { type Candidate, closestValues } from './closest-values';

/**
 * Mapped CRM values rarely match Pliant's codes exactly ("Germany", "DEU", "Computer
 * Software", "computer-software"). These functions accept only spellings that name exactly one
 * value (codes, names and aliases in any case, spacing or punctuation) and never guess: any
 * other input is rejected with the closest valid values, so the user fixes the mapping.
 */

export type Normalised<T> =
	| { ok: true; value: string }
	| { ok: false; closest: T[] }
	| { ok: false; tooLong: true; closest: T[] };

/** Longer than any name or code Pliant knows: rejected before any (quadratic) fuzzy matching. */
export const MAX_VALUE_LENGTH = 100;

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
	if (input.length > MAX_VALUE_LENGTH) return { ok: false, tooLong: true, closest: [] };
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

/** Words without "and": "Food & Beverages", "FOOD_AND_BEVERAGES" → "food beverages". */
function industryWords(value: string): string {
	return words(value)
		.split(' ')
		.filter((word) => word !== 'and')
		.join(' ');
}

/** "Food & Beverages", "food_beverages", "FOOD-AND-BEVERAGES" → "foodbeverages". */
function industryKey(value: string): string {
	return industryWords(value).replace(/ /g, '');
}

const INDUSTRY_BY_KEY = new Map<string, Industry>();
for (const industry of INDUSTRIES) INDUSTRY_BY_KEY.set(industryKey(industry), industry);

const INDUSTRY_CANDIDATES: Array<Candidate<Industry>> = INDUSTRIES.map((industry) => {
	const spelling = industryWords(industryLabel(industry));
	// "IT Services" is as close to "Information Technology and Services" as to "IT Service"
	const abbreviated = spelling.replace('information technology', 'it');
	return { value: industry, spellings: abbreviated === spelling ? [spelling] : [spelling, abbreviated] };
});

/** "Computer Software", "computer_software", "computer-software" → "COMPUTER_SOFTWARE"; "IT Services" is not guessed. */
export function normaliseIndustry(input: string): Normalised<Industry> {
	if (input.length > MAX_VALUE_LENGTH) return { ok: false, tooLong: true, closest: [] };
	const found = INDUSTRY_BY_KEY.get(industryKey(input));
	if (found) return { ok: true, value: found };
	return { ok: false, closest: closestValues(industryWords(input), INDUSTRY_CANDIDATES) };
}

export function describeIndustry(industry: string): string {
	return `${industryLabel(industry)} (${industry})`;
}
