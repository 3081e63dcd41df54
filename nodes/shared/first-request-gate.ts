import { failureFacts } from './failure-facts';

/** Whether Pliant's API itself answered (so the token worked), even if with an error. */
function answeredByPliant(error: unknown): boolean {
	const { status } = failureFacts(error);
	return typeof status === 'number' && status !== 401;
}

/**
 * Lets requests through one at a time until Pliant has answered one of them. With no token
 * cached yet, n8n fetches a token for every request that starts before the first token is
 * stored (there is no lock around preAuthentication): four items at once would spend four
 * tokens of a quota of about 42 an hour. The transport keeps one gate per credential.
 */
export class FirstRequestGate {
	private open = false;

	private turn: Promise<void> = Promise.resolve();

	async through<T>(send: () => Promise<T>): Promise<T> {
		if (this.open) return await send();
		const previous = this.turn;
		let release: () => void = () => undefined;
		this.turn = new Promise<void>((resolve) => (release = resolve));
		await previous;
		if (this.open) {
			release();
			return await send();
		}
		return await send()
			.then(
				(result) => {
					this.open = true;
					return result;
				},
				async (error: unknown) => {
					if (answeredByPliant(error)) this.open = true;
					return await Promise.reject(error);
				},
			)
			.finally(release);
	}
}
