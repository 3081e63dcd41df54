/**
 * "SOME_NEW_STATUS" → "Some new status": a Pliant code in readable words, without claiming to
 * know more about it than its name. For codes that have no label of their own.
 */
export function humanise(code: string): string {
	const words = code.trim().toLowerCase().replace(/_+/g, ' ');
	return words.charAt(0).toUpperCase() + words.slice(1);
}
