/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test setup: n8n-core reads its folder from the environment; a temp folder is made with node:fs */
/**
 * Imported first by the engine harness: n8n-core's InstanceSettings writes
 * `$N8N_USER_FOLDER/.n8n/config` when first used. The jest npm scripts set the folder to
 * `$TMPDIR/n8n-nodes-pliant-jest` (outside the repository); a plain `npx jest` gets a fresh temp folder, never `~/.n8n`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'pliant-n8n-'));
}
