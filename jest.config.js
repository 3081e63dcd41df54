// Five suites, one config. `npm run test:unit` is the fast inner loop; `npm test` runs them all.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }];
const base = {
	transform: { '^.+\\.ts$': tsJest },
	testEnvironment: 'node',
	moduleFileExtensions: ['ts', 'js', 'json'],
	// run folders and the build hold copies of package.json: keep jest's module map clean
	modulePathIgnorePatterns: ['<rootDir>/.e2e-work', '<rootDir>/dist'],
};

// A test file (unit, integration, reliability, queue) fails when it leaves a timer, socket,
// request or child process running; so jest exits on its own, without --forceExit.
const noLeftovers = { testEnvironment: '<rootDir>/test/support/no-leftovers-environment.ts' };

module.exports = {
	// The machine may be shared and slow (CI on 2 cores under load measured 5 s lifecycle tests
	// taking 6+ s): a ceiling, not a speed check. Suites that need more set their own.
	testTimeout: 60_000,
	projects: [
		{ ...base, ...noLeftovers, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{ ...base, ...noLeftovers, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
		{ ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
		{ ...base, ...noLeftovers, displayName: 'reliability', testMatch: ['<rootDir>/test/reliability/**/*.test.ts'] },
		{ ...base, ...noLeftovers, displayName: 'queue', testMatch: ['<rootDir>/test/queue/**/*.test.ts'] },
	],
};
