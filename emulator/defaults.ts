// Part of the local emulator: a dev server, never published.
/** The local emulator serves the token endpoint and the API on one port. */
export const EMULATOR_DEFAULTS = {
	port: 4010,
	tokenPath: '/oauth/token',
	apiPrefix: '/api',
	audience: 'pliant-emulator',
} as const;
