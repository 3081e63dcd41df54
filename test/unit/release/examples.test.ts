/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test of the example workflows and the changelog, never published */
/**
 * The example workflows as people import them: each is importable as it is (no sample data
 * pinned, credentials only as placeholders to replace), says what it does on a sticky note, and
 * uses the newest version of every Pliant node, so a new workflow built from it behaves like a
 * node added from the panel today. That they import and run in a real n8n: test/e2e.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeTypeDescription } from 'n8n-workflow';

import { PliantCreateLead } from '../../../nodes/PliantCreateLead/PliantCreateLead.node';
import { PliantOnboardingStatus } from '../../../nodes/PliantOnboardingStatus/PliantOnboardingStatus.node';
import { PliantOnboardingStatusTrigger } from '../../../nodes/PliantOnboardingStatusTrigger/PliantOnboardingStatusTrigger.node';
import { PliantTrigger } from '../../../nodes/PliantTrigger/PliantTrigger.node';
import { parseChangelog } from '../../../scripts/lib/changelog';
import { DEMO_CREDENTIAL_ID, DEMO_CREDENTIAL_NAME, MCP_EXAMPLE, loadExamples } from '../../../scripts/lib/n8n/demo-data';
import { REPO } from '../../../scripts/lib/n8n/process';

const NEWEST = new Map(
	[PliantCreateLead, PliantOnboardingStatus, PliantOnboardingStatusTrigger, PliantTrigger].map((Node) => {
		const description = new Node().description as INodeTypeDescription;
		const versions = Array.isArray(description.version) ? description.version : [description.version];
		return [`n8n-nodes-pliant.${description.name}`, description.defaultVersion ?? Math.max(...versions)];
	}),
);
/** n8n names a node's AI-tool variant after the node, with "Tool" appended. */
const baseType = (type: string) => type.replace(/Tool$/, '');
const examples = loadExamples();

describe.each(examples.map((example) => [example.file.split('/').pop()!, example.workflow] as const))('%s', (_file, workflow) => {
	it('uses the newest version of every Pliant node', () => {
		const pliant = workflow.nodes.filter((node) => node.type.startsWith('n8n-nodes-pliant.'));
		for (const node of pliant) {
			expect({ node: node.name, typeVersion: node.typeVersion }).toEqual({
				node: node.name,
				typeVersion: NEWEST.get(baseType(node.type)),
			});
		}
	});

	it('imports as it is: an ID n8n accepts, no pinned data, only placeholder credentials', () => {
		expect(workflow.id.length).toBeLessThanOrEqual(16);
		expect(Object.keys((workflow.pinData as object | undefined) ?? {})).toEqual([]);
		const placeholders = [
			{ id: DEMO_CREDENTIAL_ID, name: DEMO_CREDENTIAL_NAME },
			{ id: MCP_EXAMPLE.credentialId, name: MCP_EXAMPLE.credentialName },
		];
		for (const node of workflow.nodes) {
			for (const credential of Object.values(node.credentials ?? {})) expect(placeholders).toContainEqual(credential);
		}
	});

	it('explains itself on a sticky note', () => {
		const notes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
		expect(notes.length).toBeGreaterThan(0);
		expect(String(notes[0].parameters.content)).toMatch(/^## /);
	});
});

it('gives every webhook trigger of the examples its own webhook ID', () => {
	const ids = examples.flatMap(({ workflow }) => workflow.nodes.map((node) => node.webhookId).filter(Boolean));
	expect(new Set(ids).size).toBe(ids.length);
});

it('names in the changelog every example added since the six of 0.1.0', () => {
	const shippedIn010 = [
		'hubspot-deal-to-pliant-lead.json',
		'pliant-activate-authorization.json',
		'pliant-create-test-lead.json',
		'pliant-demo-trigger.json',
		'pliant-events-to-slack.json',
		'pliant-org-added-to-hubspot.json',
	];
	const unreleased = parseChangelog(readFileSync(join(REPO, 'CHANGELOG.md'), 'utf8'))[0];
	expect(unreleased.version).toBe('Unreleased');
	const added = examples.map((example) => example.file.split('/').pop()!).filter((file) => !shippedIn010.includes(file));
	expect(added.length).toBeGreaterThan(0);
	for (const file of added) expect({ file, named: unreleased.body.includes(`\`${file}\``) }).toEqual({ file, named: true });
});
