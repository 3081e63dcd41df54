/**
 * CHANGELOG.md in the Keep a Changelog 1.1.0 format: `## [Unreleased]` on top, then one
 * `## [x.y.z] - YYYY-MM-DD` section per release, newest first, and a link reference per
 * heading at the bottom. `npm run release` cuts a release with `cutRelease`.
 */

const REPO_URL = 'https://github.com/n8n-nodes-pliant/n8n-nodes-pliant';
const UNRELEASED = '## [Unreleased]';
const HEADING = /^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$/;
const LINK = /^\[([^\]]+)\]: \S+$/;

export interface Release {
	version: string;
	date?: string;
	/** The section's text between its heading and the next one, trimmed. */
	body: string;
}

/** The sections of a changelog, top to bottom (`Unreleased` included, as version "Unreleased"). */
export function parseChangelog(text: string): Release[] {
	const releases: Release[] = [];
	let current: { version: string; date?: string; lines: string[] } | undefined;
	const close = () => {
		if (current) releases.push({ version: current.version, date: current.date, body: current.lines.join('\n').trim() });
	};
	for (const line of text.split('\n')) {
		const heading = HEADING.exec(line);
		if (heading) {
			close();
			current = { version: heading[1], date: heading[2], lines: [] };
		} else if (current && !LINK.test(line)) {
			current.lines.push(line);
		}
	}
	close();
	return releases;
}

/** The link references the headings need: each version compared with the one before it. */
function links(versions: string[]): string[] {
	return versions.map((version, index) => {
		const previous = versions[index + 1];
		const head = version === 'Unreleased' ? 'HEAD' : version;
		const url = previous ? `${REPO_URL}/compare/${previous}...${head}` : `${REPO_URL}/releases/tag/${version}`;
		return `[${version}]: ${url}`;
	});
}

/**
 * Moves everything under `## [Unreleased]` into a new `## [version] - date` section, leaves an
 * empty Unreleased section above it and rewrites the link references.
 */
export function cutRelease(text: string, version: string, date: string): string {
	const releases = parseChangelog(text);
	const unreleased = releases[0];
	if (unreleased?.version !== 'Unreleased') throw new Error(`CHANGELOG.md must start with "${UNRELEASED}"`);
	if (unreleased.body === '') throw new Error('CHANGELOG.md has nothing under [Unreleased]: nothing to release');
	if (releases.some((release) => release.version === version)) {
		throw new Error(`CHANGELOG.md already has a section for ${version}`);
	}
	const start = text.indexOf(UNRELEASED);
	const intro = text.slice(0, start).trimEnd();
	const ordered: Release[] = [{ version: 'Unreleased', body: '' }, { version, date, body: unreleased.body }, ...releases.slice(1)];
	const sections = ordered.map(
		(release) => `## [${release.version}]${release.date ? ` - ${release.date}` : ''}\n${release.body ? `\n${release.body}\n` : ''}`,
	);
	const released = ordered.slice(1).map((release) => release.version);
	return `${intro}\n\n${sections.join('\n')}\n${links(['Unreleased', ...released]).join('\n')}\n`;
}

/** The notes of one release, for the tag message. */
export function releaseNotes(text: string, version: string): string {
	const release = parseChangelog(text).find((entry) => entry.version === version);
	if (!release) throw new Error(`CHANGELOG.md has no section for ${version}`);
	return release.body;
}
