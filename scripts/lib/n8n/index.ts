/**
 * The runner library, one file per job: process.ts (processes, ports, work folders),
 * install.ts (tested versions, Node + n8n installs), pack.ts (build, pack, by-hand install),
 * instance.ts (an n8n process and its CLI), client.ts (REST and public API), run-output.ts
 * (executions and `n8n execute` output), demo-data.ts (credentials and examples).
 * Importers may take what they need from here or from the file itself.
 */
export * from './client';
export * from './demo-data';
export * from './install';
export * from './instance';
export * from './pack';
export * from './process';
export * from './run-output';
