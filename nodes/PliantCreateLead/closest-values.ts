/** Edit distance between two strings (insertions, deletions, substitutions). */
export function levenshtein(a: string, b: string): number {
	if (a === b) return 0;
	if (a.length === 0) return b.length;
	if (b.length === 0) return a.length;
	let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
			current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
		}
		previous = current;
	}
	return previous[b.length];
}

/**
 * How far a typed value is from a candidate spelling, words considered: "softwre" is close
 * to "computer software" because it is one edit from one of its words.
 */
function distance(input: string, candidate: string): number {
	let best = levenshtein(input, candidate);
	if (candidate.includes(input) || input.includes(candidate)) best = Math.min(best, 1);
	for (const word of candidate.split(' ')) {
		if (word.length > 1) best = Math.min(best, levenshtein(input, word) + 1);
	}
	return best;
}

export interface Candidate<T> {
	value: T;
	/** Normalised spellings of the value (name, aliases, codes). */
	spellings: string[];
}

/** The `limit` values whose spellings come closest to `input` (already normalised). */
export function closestValues<T>(input: string, candidates: Array<Candidate<T>>, limit = 3): T[] {
	return candidates
		.map((candidate, order) => ({
			value: candidate.value,
			order,
			score: Math.min(...candidate.spellings.map((spelling) => distance(input, spelling))),
		}))
		.sort((a, b) => a.score - b.score || a.order - b.order)
		.slice(0, limit)
		.map((entry) => entry.value);
}
