/** The e2e tests' entry to the real stack (scripts/lib/stack.ts). */
export { OWNER, n8nInstall, startStack, type Stack, type StackOptions } from '../../scripts/lib/stack';
