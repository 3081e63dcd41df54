// Part of the local emulator: a dev server, never published (no community-node lint rule fires here).
/** What every handler gets: the state plus the services that act on it. */
import type { CallbackHosts } from './callback-hosts';
import type { DeliveryService } from './delivery';
import type { Onboarding } from './onboarding';
import type { KeyRing } from './signer';
import type { EmulatorState, RuntimeConfig } from './state';

export interface EmulatorUrls {
	url: string;
	tokenUrl: string;
	apiBaseUrl: string;
	controlUrl: string;
}

export interface EmulatorContext {
	state: EmulatorState;
	keys: KeyRing;
	deliveries: DeliveryService;
	onboarding: Onboarding;
	/** The configuration the emulator was started with; `reset` goes back to it. */
	initialConfig: RuntimeConfig;
	urls: EmulatorUrls;
	log: (line: string) => void;
	/** Writes the `--state` file (no-op without one). */
	persist: () => void;
	/** Which callback URLs subscriptions and events may have (callback-hosts.ts). */
	callbackHosts: CallbackHosts;
}
