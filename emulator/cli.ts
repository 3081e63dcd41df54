/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- dev server, never published */
/**
 * `npm run emulator` starts the emulator; `npm run emulator -- <command>` talks to a running
 * one over its control API. Output goes through `process.stdout.write` (the lint config
 * bans console). See emulator/README.md.
 */
import { parseArgs } from 'node:util';

import { EMULATOR_DEFAULTS } from './defaults';
import { isLoopbackHost } from '../nodes/shared/http/endpoints';
import { CONTROL_TOKEN_HEADER } from './control-guard';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from './server';

export interface CliIo {
	out: (text: string) => void;
	err: (text: string) => void;
}

const stdio: CliIo = {
	out: (text) => process.stdout.write(text),
	err: (text) => process.stderr.write(text),
};

export const USAGE = `Pliant emulator

Start it:
  npm run emulator -- [options]
    --port <n>               default ${EMULATOR_DEFAULTS.port} (0 = any free port)
    --host <address>         default 127.0.0.1; any other than a loopback address needs --client-secret
    --state <file.json>      load and save leads, organizations, subscriptions, tokens, keys
    --client-id <id>         default emulator-client
    --client-secret <secret> default emulator-secret
    --audience <aud>         default ${EMULATOR_DEFAULTS.audience}
    --onboarding-delay <ms>  onboard every new lead after <ms> and walk it to AUTHORIZATION_PENDING
                             (0 or absent: manual, use the commands below)
    --step-interval <ms>     pause between automatic steps (default 1000)
    --rate-limit <n>/<s>     API rate limit per client (default 900/300)
    --token-quota <n>        tokens per hour (default 42)
    --token-ttl <seconds>    token lifetime (default 86400)
    --details-not-shared     new organizations do not share onboarding details
    --control-token <token>  the control API's token (default: a random one, printed at start)
    --allow-host <name>      also answer requests naming this Host (loopback names always; every
                             other Host gets 403); repeat for more
    --any-callback-host      let subscriptions and events name any callback host (default: loopback only)
    --quiet                  no request log

Talk to a running emulator (--url, default http://127.0.0.1:${EMULATOR_DEFAULTS.port}; the control token it
printed with --token <token> or in PLIANT_EMULATOR_TOKEN):
  onboard <leadId>                       start onboarding (a leadId or the partnerOrganizationId)
  reject <leadId>                        reject a lead
  advance <organizationId>               one onboarding step (an organizationId or partnersOrganizationId)
  complete <organizationId>              every step up to AUTHORIZATION_PENDING
  details-shared <organizationId> <true|false>
  fire <eventType> <organizationId> [json] [--callback-url <url>]
                                         one signed callback with extra body fields from [json]
  rotate-keys [--drop-old]               new signing key (old ones stay in the JWKS unless --drop-old)
  expire-tokens                          make every issued token invalid (next API call gets 401)
  state                                  leads, organizations, subscriptions, counters
  deliveries [--pending]                 the callback delivery log
  ledger [--path </api/leads>]           every request received
  reset [--tokens] [--keys]              forget everything (tokens and keys are kept unless asked)
  help
`;

const OPTIONS = {
	port: { type: 'string' },
	host: { type: 'string' },
	state: { type: 'string' },
	'client-id': { type: 'string' },
	'client-secret': { type: 'string' },
	audience: { type: 'string' },
	'onboarding-delay': { type: 'string' },
	'step-interval': { type: 'string' },
	'rate-limit': { type: 'string' },
	'token-quota': { type: 'string' },
	'token-ttl': { type: 'string' },
	'details-not-shared': { type: 'boolean' },
	quiet: { type: 'boolean' },
	'control-token': { type: 'string' },
	'allow-host': { type: 'string', multiple: true },
	'any-callback-host': { type: 'boolean' },
	token: { type: 'string' },
	url: { type: 'string' },
	pending: { type: 'boolean' },
	path: { type: 'string' },
	'drop-old': { type: 'boolean' },
	'callback-url': { type: 'string' },
	tokens: { type: 'boolean' },
	keys: { type: 'boolean' },
	help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
	return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

class UsageError extends Error {}

function integer(name: string, value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	if (!/^\d+$/.test(value))
		throw new UsageError(`--${name} must be a non-negative integer, got "${value}"`);
	return Number(value);
}

/** Turns the start flags into library options. */
export function optionsFromFlags(flags: Flags): EmulatorOptions {
	let rateLimit: EmulatorOptions['rateLimit'];
	if (flags['rate-limit'] !== undefined) {
		const match = /^(\d+)\/(\d+)$/.exec(flags['rate-limit']);
		if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
			throw new UsageError('--rate-limit must look like <requests>/<seconds>, e.g. 900/300');
		}
		rateLimit = { requests: Number(match[1]), windowMs: Number(match[2]) * 1000 };
	}
	const quota = integer('token-quota', flags['token-quota']);
	// Reachable from other machines, the default secret would let anyone take tokens.
	if (flags.host !== undefined && !isLoopbackHost(flags.host) && flags['client-secret'] === undefined) {
		throw new UsageError(
			`--host ${flags.host} makes the emulator reachable from other machines: give your own --client-secret too (the default one is public)`,
		);
	}
	return {
		port: integer('port', flags.port) ?? EMULATOR_DEFAULTS.port,
		host: flags.host,
		stateFile: flags.state,
		clientId: flags['client-id'],
		clientSecret: flags['client-secret'],
		audience: flags.audience,
		onboardingDelayMs: integer('onboarding-delay', flags['onboarding-delay']),
		stepIntervalMs: integer('step-interval', flags['step-interval']),
		tokenTtlSeconds: integer('token-ttl', flags['token-ttl']),
		tokenQuota: quota === undefined ? undefined : { perHour: quota },
		rateLimit,
		detailsSharedByDefault: flags['details-not-shared'] ? false : undefined,
		controlToken: flags['control-token'],
		allowedHosts: flags['allow-host'],
		callbackHosts: flags['any-callback-host'] ? 'any' : undefined,
	};
}

export function banner(emulator: RunningEmulator, options: EmulatorOptions): string {
	const config = emulator.state.config;
	const onboarding =
		config.onboardingDelayMs > 0
			? `automatic: a new lead is onboarded after ${config.onboardingDelayMs} ms, then one step every ${config.stepIntervalMs} ms`
			: 'manual: npm run emulator -- onboard <leadId>, then advance/complete <organizationId>';
	return [
		`Pliant emulator listening on ${emulator.url}`,
		'',
		'  n8n credential (Pliant API, environment "Custom"):',
		`    Token URL      ${emulator.tokenUrl}`,
		`    Audience       ${emulator.audience}`,
		`    API base URL   ${emulator.apiBaseUrl}`,
		`    Client ID      ${emulator.clientId}`,
		`    Client secret  ${emulator.clientSecret}`,
		'',
		`  Control API      ${emulator.controlUrl}  (loopback only; see emulator/README.md)`,
		`  Control token    ${emulator.controlToken}  (header ${CONTROL_TOKEN_HEADER}; for the commands: --token or PLIANT_EMULATOR_TOKEN)`,
		`  Onboarding       ${onboarding}`,
		`  Rate limit       ${config.rateLimit.requests} requests / ${config.rateLimit.windowMs / 1000} s per client; token quota ${config.tokenQuota.perHour}/hour`,
		`  State            ${options.stateFile ?? 'in memory (use --state <file.json> to keep it)'}`,
		'',
		'  Ctrl+C to stop.',
		'',
	].join('\n');
}

/* ------------------------------------------------------------------ control commands */

interface Call {
	method: 'GET' | 'POST' | 'DELETE';
	path: string;
	body?: unknown;
}

function need(args: string[], count: number, usage: string): void {
	if (args.length < count) throw new UsageError(`usage: ${usage}`);
}

function bool(value: string): boolean {
	if (value === 'true') return true;
	if (value === 'false') return false;
	throw new UsageError(`expected true or false, got "${value}"`);
}

export function callFor(command: string, args: string[], flags: Flags): Call {
	const id = (value: string) => encodeURIComponent(value);
	switch (command) {
		case 'onboard':
			need(args, 1, 'onboard <leadId>');
			return { method: 'POST', path: `/leads/${id(args[0])}/onboard` };
		case 'reject':
			need(args, 1, 'reject <leadId>');
			return { method: 'POST', path: `/leads/${id(args[0])}/reject` };
		case 'advance':
			need(args, 1, 'advance <organizationId>');
			return { method: 'POST', path: `/organizations/${id(args[0])}/advance` };
		case 'complete':
			need(args, 1, 'complete <organizationId>');
			return { method: 'POST', path: `/organizations/${id(args[0])}/complete` };
		case 'details-shared':
			need(args, 2, 'details-shared <organizationId> <true|false>');
			return {
				method: 'POST',
				path: `/organizations/${id(args[0])}/details-shared`,
				body: { shared: bool(args[1]) },
			};
		case 'fire': {
			need(args, 2, 'fire <eventType> <organizationId> [json]');
			let fields: Record<string, unknown> = {};
			if (args[2] !== undefined) {
				try {
					fields = JSON.parse(args[2]) as Record<string, unknown>;
				} catch (error) {
					throw new UsageError(`fire: [json] is not valid JSON: ${(error as Error).message}`);
				}
				if (!fields || typeof fields !== 'object' || Array.isArray(fields)) {
					throw new UsageError('fire: [json] must be a JSON object of extra body fields');
				}
			}
			return {
				method: 'POST',
				path: '/events',
				body: {
					...fields,
					eventType: args[0],
					organizationId: args[1],
					...(flags['callback-url'] ? { callbackUrl: flags['callback-url'] } : {}),
				},
			};
		}
		case 'rotate-keys':
			return {
				method: 'POST',
				path: '/keys/rotate',
				body: { dropOld: flags['drop-old'] ?? false },
			};
		case 'expire-tokens':
			return { method: 'POST', path: '/tokens/expire' };
		case 'state':
			return { method: 'GET', path: '/state' };
		case 'deliveries':
			return { method: 'GET', path: `/deliveries${flags.pending ? '?pending=true' : ''}` };
		case 'ledger':
			return {
				method: 'GET',
				path: `/ledger${flags.path ? `?path=${encodeURIComponent(flags.path)}` : ''}`,
			};
		case 'reset':
			return {
				method: 'POST',
				path: '/reset',
				body: { tokens: flags.tokens ?? false, keys: flags.keys ?? false },
			};
		default:
			throw new UsageError(`unknown command "${command}" (try: help)`);
	}
}

async function runCommand(
	command: string,
	args: string[],
	flags: Flags,
	io: CliIo,
): Promise<number> {
	const call = callFor(command, args, flags);
	const base = (flags.url ?? `http://127.0.0.1:${EMULATOR_DEFAULTS.port}`).replace(/\/+$/, '');
	let response: Response;
	try {
		const token = flags.token ?? process.env.PLIANT_EMULATOR_TOKEN ?? '';
		response = await fetch(`${base}/_emulator${call.path}`, {
			method: call.method,
			headers: {
				[CONTROL_TOKEN_HEADER]: token,
				...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: call.body === undefined ? undefined : JSON.stringify(call.body),
		});
	} catch (error) {
		io.err(
			`Cannot reach the emulator at ${base}: ${(error as Error).message}\nStart it with: npm run emulator\n`,
		);
		return 2;
	}
	const text = await response.text();
	let output = text;
	try {
		output = JSON.stringify(JSON.parse(text), null, 2);
	} catch {
		// not JSON: print as is
	}
	if (response.ok) {
		io.out(`${output}\n`);
		return 0;
	}
	io.err(`HTTP ${response.status}\n${output}\n`);
	return 1;
}

/* ------------------------------------------------------------------ entry point */

/**
 * Runs one command and returns its exit code; without a command it starts the emulator and
 * returns it (the process then lives until SIGINT/SIGTERM).
 */
export async function main(argv: string[], io: CliIo = stdio): Promise<number | RunningEmulator> {
	let parsed: ReturnType<typeof parse>;
	try {
		parsed = parse(argv);
	} catch (error) {
		io.err(`${(error as Error).message}\n\n${USAGE}`);
		return 64;
	}
	const [command, ...args] = parsed.positionals;
	try {
		if (parsed.values.help || command === 'help') {
			io.out(USAGE);
			return 0;
		}
		if (command === undefined || command === 'serve' || command === 'start') {
			const options = optionsFromFlags(parsed.values);
			const emulator = await startEmulator({
				...options,
				log: parsed.values.quiet ? undefined : (line) => io.out(`[emulator] ${line}\n`),
			});
			io.out(banner(emulator, options));
			return emulator;
		}
		return await runCommand(command, args, parsed.values, io);
	} catch (error) {
		if (error instanceof UsageError) {
			io.err(`${error.message}\n`);
			return 64;
		}
		throw error;
	}
}

if (require.main === module) {
	main(process.argv.slice(2)).then(
		(result) => {
			if (typeof result === 'number') {
				process.exitCode = result;
				return;
			}
			const shutdown = (signal: string) => {
				process.stdout.write(`[emulator] ${signal}: stopping\n`);
				result.stop().then(
					() => process.exit(0),
					(error: Error) => {
						process.stderr.write(`${error.stack ?? error.message}\n`);
						process.exit(1);
					},
				);
			};
			process.once('SIGINT', () => shutdown('SIGINT'));
			process.once('SIGTERM', () => shutdown('SIGTERM'));
		},
		(error: Error) => {
			process.stderr.write(`${error.stack ?? error.message}\n`);
			process.exitCode = 1;
		},
	);
}
