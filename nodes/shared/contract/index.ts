/**
 * Every Pliant name this package relies on: hosts, paths, headers, field names, event types,
 * enums and error codes. Pliant does not publish all of them; the ones marked [assumed] follow
 * the project's contract (pliant-contract.md) and are confirmed or corrected HERE, in this folder, by subject.
 */

export * from './api';
export * from './leads';
export * from './organizations';
export * from './subscriptions';
export * from './callbacks';
export * from './callback-log';
