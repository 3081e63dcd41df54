/**
 * "SOME_NEW_STATUS" → "Some new status": a Pliant code in readable words, from the labels
 * given when the code has one, else without claiming to know more about it than its name.
 */
export function label(code: string, labels: Readonly<Record<string, string>> = {}): string {
	if (Object.prototype.hasOwnProperty.call(labels, code)) return labels[code];
	const words = code.trim().toLowerCase().replace(/_+/g, ' ');
	return words.charAt(0).toUpperCase() + words.slice(1);
}

const SMALL_WORDS = new Set(['and', 'of', 'the']);

/** "Risk and compliance" → "Risk and Compliance", as n8n's option names are written. */
export function titleCase(text: string): string {
	return text
		.split(' ')
		.map((word, index) =>
			index > 0 && SMALL_WORDS.has(word) ? word : word.charAt(0).toUpperCase() + word.slice(1),
		)
		.join(' ');
}

/** A value quoted in a message, cut to `max` characters so a mapped blob cannot flood it. */
export function shorten(text: string, max = 60): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
