import { COUNTRIES, type Country } from '../shared/fields/countries';
import { INDUSTRIES, industryLabel, type Industry } from '../shared/fields/industries';
import { MAX_VALUE_LENGTH, type Normalised, type OneOf } from '../shared/fields/readers';
import { type Candidate, closestValues } from './closest-values';

/**
 * Mapped CRM values rarely match Pliant's codes exactly ("Germany", "DEU", "Computer
 * Software", "computer-software"). These functions accept only spellings that name exactly one
 * value (codes, names and aliases in any case, spacing or punctuation) and never guess: any
 * other input is rejected with the closest valid values, so the user fixes the mapping.
 */

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

/* ------------------------------------------------------------------ the tables for the reader */

export const COUNTRY_TABLE: OneOf<Country> = {
	noun: 'a country',
	name: 'country',
	how: 'Choose a country from the list, or map an English country name or ISO code such as "Germany", "DE" or "DEU".',
	why: 'Pliant accepts only the 68 countries in the Country list. Map an English country name, its ISO 3166-1 alpha-2 or alpha-3 code, or pick one from the list; other spellings are not guessed.',
	// For AI agents, who cannot pick from the node's lists: what to pass instead.
	agentHint: `Pass an ISO 3166-1 alpha-2 code or the English name of a country Pliant accepts: ${COUNTRIES.map((country) => country.code).join(', ')}.`,
	normalise: normaliseCountry,
	describe: describeCountry,
};

export const INDUSTRY_TABLE: OneOf<Industry> = {
	noun: 'an industry',
	name: 'industry',
	how: 'Choose an industry from the list, or map a value such as "Computer Software" or "COMPUTER_SOFTWARE".',
	why: "Pliant accepts only the industries in the Industry list. Map one of them by name (\"Computer Software\") or by value (\"COMPUTER_SOFTWARE\"); HubSpot's company industry values work as they are. Other spellings are not guessed.",
	agentHint:
		'Pass one of the closest values above, or another Pliant industry value such as COMPUTER_SOFTWARE (its name, "Computer Software", works too).',
	normalise: normaliseIndustry,
	describe: describeIndustry,
};
