// Pliant's IDs (organizations, subscriptions) are UUIDs; any version, either case.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for a UUID such as b1f8e35c-c500-4bbf-aa20-3dc14b83ff19. IDs read from Pliant pass this
 * before they enter a URL path, so an answer cannot steer a request to another path.
 */
export function isUuid(value: unknown): value is string {
	return typeof value === 'string' && UUID.test(value);
}
