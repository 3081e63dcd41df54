// Part of the local emulator: a dev server, never published (no community-node lint rule fires here).
/**
 * Strict request validation. Every schema rejects unknown fields, so a typo in the package
 * (say `company.tradename`) fails loudly against the emulator instead of being ignored.
 * Errors become the contract's 400 body: `{code, message, details: [{field, message}]}`.
 */
import { z } from 'zod';

import {
	CURRENCY,
	ERROR_CODES,
	EVENT_TYPES,
	EVENT_TYPE_ALIASES,
	LEAD_LIMITS,
	ORGANIZATION_LIST_QUERY,
	CALLBACK_LOG_QUERY,
	CALLBACK_LOG_STATUSES,
	ORGANIZATION_STATUSES,
} from '../nodes/shared/contract';
import { COUNTRIES } from '../nodes/shared/fields/countries';
import { INDUSTRIES } from '../nodes/shared/fields/industries';
import { errorReply, type Reply } from './http';

export const COUNTRY_CODES = COUNTRIES.map((country) => country.code);
const countryCodes = new Set(COUNTRY_CODES);
const industries = new Set<string>(INDUSTRIES);

/** Event types a subscription may name: the contract's, plus the alias spellings Pliant used. */
export const SUBSCRIBABLE_EVENT_TYPES = [...EVENT_TYPES, ...Object.keys(EVENT_TYPE_ALIASES)];
const subscribable = new Set(SUBSCRIBABLE_EVENT_TYPES);

/* ------------------------------------------------------------------ building blocks */

const text = (max = 500) =>
	z
		.string({ required_error: 'is required', invalid_type_error: 'must be a string' })
		.min(1, 'must not be empty')
		.max(max, `must be at most ${max} characters`);

const country = z
	.string({ required_error: 'is required', invalid_type_error: 'must be a string' })
	.refine((value) => countryCodes.has(value), {
		message: `must be one of the ${COUNTRY_CODES.length} supported ISO 3166-1 alpha-2 codes, upper case (e.g. DE)`,
	});

const industry = z
	.string({ required_error: 'is required', invalid_type_error: 'must be a string' })
	.refine((value) => industries.has(value), {
		message: 'must be one of the supported industry values (e.g. COMPUTER_SOFTWARE)',
	});

const email = z
	.string({ required_error: 'is required', invalid_type_error: 'must be a string' })
	.email('must be a valid email address');

const money = z
	.object({
		value: z
			.number({ required_error: 'is required', invalid_type_error: 'must be a number' })
			.int('must be an integer amount in minor units (cents)')
			.nonnegative('must not be negative'),
		currency: z.literal(CURRENCY, {
			errorMap: () => ({ message: `must be ${CURRENCY}` }),
		}),
	})
	.strict();

/* ------------------------------------------------------------------ leads */

export const leadSchema = z
	.object({
		partnerOrganizationId: text(100),
		company: z
			.object(
				{
					name: text(200),
					tradeName: z
						.string({ invalid_type_error: 'must be a string' })
						.min(1, 'must not be empty')
						.max(
							LEAD_LIMITS.tradeNameMaxLength,
							`must be at most ${LEAD_LIMITS.tradeNameMaxLength} characters (cards are embossed with it)`,
						)
						.optional(),
					legalForm: text(100).optional(),
					country,
					industry,
					website: text(500).optional(),
					vatId: text(50).optional(),
					nationalRegisterId: text(100).optional(),
					nationalRegisterCourt: text(200).optional(),
					numberOfEmployees: z
						.number({ invalid_type_error: 'must be a number' })
						.int('must be an integer')
						.nonnegative('must not be negative')
						.optional(),
					expectedMonthlySpend: money.optional(),
					address: z
						.object({
							street: text(200).optional(),
							postalCode: text(20).optional(),
							city: text(100).optional(),
							country: country.optional(),
						})
						.strict()
						.optional(),
				},
				{ required_error: 'is required', invalid_type_error: 'must be an object' },
			)
			.strict(),
		contactPersons: z
			.array(
				z
					.object({
						firstName: text(100),
						lastName: text(100),
						email,
						phoneNumber: text(50).optional(),
						role: text(100).optional(),
						isPrimary: z.boolean({ invalid_type_error: 'must be a boolean' }).optional(),
					})
					.strict(),
				{ invalid_type_error: 'must be an array' },
			)
			.optional(),
		demoConductedByPartner: z.boolean({ invalid_type_error: 'must be a boolean' }).optional(),
		notes: text(5000).optional(),
	})
	.strict();

/* ------------------------------------------------------------------ organizations */

const isoDate = z
	.string({ invalid_type_error: 'must be a string' })
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
	.refine((value) => {
		const date = new Date(`${value}T00:00:00Z`);
		return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
	}, 'must be a real calendar date');

export const activateSchema = z.object({ syncFromDate: isoDate.optional() }).strict().optional();

export const SORTABLE_FIELDS = [
	'organizationId',
	'name',
	'status',
	'country',
	'tradeName',
	'createdAt',
	'updatedAt',
] as const;

const integerParam = (name: string, min: number, max?: number) =>
	z
		.string()
		.regex(/^\d+$/, `${name} must be a non-negative integer`)
		.transform(Number)
		.refine((value) => value >= min, `${name} must be at least ${min}`)
		.refine((value) => max === undefined || value <= max, `${name} must be at most ${max}`);

export const organizationListQuery = z
	.object({
		[ORGANIZATION_LIST_QUERY.status]: z.enum(ORGANIZATION_STATUSES, {
			errorMap: () => ({ message: `must be one of ${ORGANIZATION_STATUSES.join(', ')}` }),
		}),
		[ORGANIZATION_LIST_QUERY.partnersOrganizationId]: z.string().min(1),
		[ORGANIZATION_LIST_QUERY.page]: integerParam('page', 0),
		[ORGANIZATION_LIST_QUERY.limit]: integerParam('limit', 1, ORGANIZATION_LIST_QUERY.maxLimit),
		[ORGANIZATION_LIST_QUERY.sortBy]: z.enum(SORTABLE_FIELDS, {
			errorMap: () => ({ message: `must be one of ${SORTABLE_FIELDS.join(', ')}` }),
		}),
		[ORGANIZATION_LIST_QUERY.sortDirection]: z.enum(['ASC', 'DESC'], {
			errorMap: () => ({ message: 'must be ASC or DESC' }),
		}),
	})
	.partial()
	.strict();

export const callbackLogQuery = z
	.object({
		[CALLBACK_LOG_QUERY.eventType]: z.string().min(1),
		[CALLBACK_LOG_QUERY.organizationId]: z.string().min(1),
		[CALLBACK_LOG_QUERY.status]: z.enum(CALLBACK_LOG_STATUSES, {
			errorMap: () => ({ message: `must be one of ${CALLBACK_LOG_STATUSES.join(', ')}` }),
		}),
		[CALLBACK_LOG_QUERY.fromDate]: z.string().min(1),
		[CALLBACK_LOG_QUERY.toDate]: z.string().min(1),
		[CALLBACK_LOG_QUERY.page]: integerParam('page', 0),
		[CALLBACK_LOG_QUERY.limit]: integerParam('limit', 1, CALLBACK_LOG_QUERY.maxLimit),
		[CALLBACK_LOG_QUERY.sortDirection]: z.enum(['ASC', 'DESC'], {
			errorMap: () => ({ message: 'must be ASC or DESC' }),
		}),
	})
	.partial()
	.strict();

/** `POST /_emulator/deliveries/fail`: the next matching callbacks never reach their receiver. */
export const deliveryFailureSchema = z
	.object({
		eventType: z.string().min(1).optional(),
		organizationId: z.string().min(1).optional(),
		times: z.number().int().min(1).max(10_000).optional(),
	})
	.strict();

/* ------------------------------------------------------------------ subscriptions */

const callbackUrl = z
	.string({ required_error: 'is required', invalid_type_error: 'must be a string' })
	.url('must be an absolute URL')
	// Pliant requires HTTPS; the emulator also takes http so loopback receivers work.
	.refine((value) => /^https?:\/\//i.test(value), 'must be an http(s) URL');

export const bulkUpsertSchema = z
	.object({
		subscriptions: z.array(
			z
				.object({
					eventType: z
						.string({ required_error: 'is required', invalid_type_error: 'must be a string' })
						.refine((value) => subscribable.has(value), {
							message: `must be one of ${EVENT_TYPES.join(', ')}`,
						}),
					callbackUrl,
				})
				.strict(),
			{ required_error: 'is required', invalid_type_error: 'must be an array' },
		),
	})
	.strict();

/* ------------------------------------------------------------------ token endpoint */

export const tokenRequestSchema = z.object({
	client_id: z.string().min(1),
	client_secret: z.string().min(1),
	audience: z.string().min(1),
	grant_type: z.string().min(1),
});

/* ------------------------------------------------------------------ control API */

const deliveryConfigSchema = z
	.object({
		retries: z.number().int().min(0).max(100),
		backoffMs: z.number().int().min(0),
		timeoutMs: z.number().int().min(1),
		duplicate: z.boolean(),
		outOfOrder: z.boolean(),
		signWithAllKeys: z.boolean(),
	})
	.partial()
	.strict();

export const configSchema = z
	.object({
		tokenTtlSeconds: z.number().int().min(1),
		tokenQuota: z.object({ perHour: z.number().int().min(0) }).strict(),
		rateLimit: z
			.object({ requests: z.number().int().min(1), windowMs: z.number().int().min(1) })
			.strict(),
		onboardingDelayMs: z.number().int().min(0),
		stepIntervalMs: z.number().int().min(0),
		delivery: deliveryConfigSchema,
		detailsSharedByDefault: z.boolean(),
	})
	.partial()
	.strict();

export const faultSchema = z
	.object({
		route: z
			.string()
			.regex(
				/^(\*|[A-Z]+) \/\S*$/,
				'must look like "POST /api/leads" (method, space, path; :param or * for a segment)',
			),
		statuses: z.array(z.number().int().min(100).max(599)).optional(),
		resetConnection: z.number().int().min(0).optional(),
		processBeforeReset: z.boolean().optional(),
		delayMs: z.number().int().min(0).optional(),
		times: z.number().int().min(1).optional(),
		retryAfterSeconds: z.number().int().min(0).optional(),
		body: z.unknown().optional(),
		bodyIncludes: z.string().min(1).optional(),
		echoRequest: z.boolean().optional(),
	})
	.strict();

export const faultsBodySchema = z.union([
	faultSchema,
	z.array(faultSchema),
	z.object({ faults: z.array(faultSchema) }).strict(),
]);

export const eventSchema = z
	.object({
		eventType: z.string().min(1),
		organizationId: z.string().min(1),
		callbackUrl: callbackUrl.optional(),
	})
	.passthrough();

/** One callback sent `copies` times at once under one X-Callback-Id, each under a fresh webhook-id. */
export const burstSchema = z
	.object({
		eventType: z.string().min(1),
		organizationId: z.string().min(1),
		callbackUrl,
		copies: z.number().int().min(1).max(50),
	})
	.passthrough();

export const signSchema = z
	.object({
		body: z.string(),
		timestamp: z.number().int().optional(),
		webhookId: z.string().min(1).optional(),
		allKeys: z.boolean().optional(),
	})
	.strict();

export const detailsSharedSchema = z.object({ shared: z.boolean() }).strict();
export const rotateSchema = z.object({ dropOld: z.boolean().optional() }).strict().optional();
/** `afterRequests`: revoke once that many more API requests have been answered (a token revoked mid-batch). */
export const expireTokensSchema = z
	.object({ afterRequests: z.number().int().min(1).optional() })
	.strict()
	.optional();
/** Counts `count` requests of a client (default: the configured one) as sent just now: a window already in use. */
export const fillRateWindowSchema = z
	.object({ count: z.number().int().min(0).max(1_000_000), clientId: z.string().min(1).optional() })
	.strict();
export const resetSchema = z
	.object({ tokens: z.boolean().optional(), keys: z.boolean().optional() })
	.strict()
	.optional();
export const waitSchema = z
	.object({ timeoutMs: z.number().int().min(0).optional() })
	.strict()
	.optional();

/* ------------------------------------------------------------------ errors */

export interface FieldError {
	field: string;
	message: string;
}

/** `['contactPersons', 0, 'email']` → `contactPersons[0].email`. */
function fieldName(path: Array<string | number>): string {
	return path.reduce<string>((name, part) => {
		if (typeof part === 'number') return `${name}[${part}]`;
		return name ? `${name}.${part}` : part;
	}, '');
}

export function fieldErrors(error: z.ZodError): FieldError[] {
	const details: FieldError[] = [];
	for (const issue of error.issues) {
		if (issue.code === 'unrecognized_keys') {
			for (const key of issue.keys) {
				details.push({ field: fieldName([...issue.path, key]), message: 'is not a known field' });
			}
			continue;
		}
		let message = issue.message;
		if (issue.code === 'invalid_type' && issue.received === 'undefined') message = 'is required';
		details.push({ field: fieldName(issue.path) || '(body)', message });
	}
	return details;
}

export function validationError(details: FieldError[], summary?: string): Reply {
	const message =
		summary ??
		`Invalid request: ${details.map((detail) => `${detail.field} ${detail.message}`).join('; ')}`;
	return errorReply(400, ERROR_CODES.illegalArguments, message, { details });
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reply: Reply };

export function parseWith<T extends z.ZodTypeAny>(schema: T, value: unknown): Parsed<z.output<T>> {
	const result = schema.safeParse(value);
	if (result.success) return { ok: true, value: result.data };
	return { ok: false, reply: validationError(fieldErrors(result.error)) };
}
