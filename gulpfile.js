// Copies what tsc does not emit into dist/: node icons and codex (*.node.json) files.
const { rmSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const { src, dest, parallel, series } = require('gulp');

// What the package ships from dist/. `n8n-node build` also copies every *.png/*.svg of the
// repository (docs screenshots, e2e test output) into dist/, and tsc leaves its build info there.
const SHIPPED = new Set(['credentials', 'icons', 'nodes']);

function pruneStrays(done) {
	for (const entry of readdirSync('dist')) {
		if (!SHIPPED.has(entry)) rmSync(join('dist', entry), { recursive: true, force: true });
	}
	done();
}

function copyIcons() {
	return src(['icons/**/*.svg', 'nodes/**/*.svg', 'credentials/**/*.svg'], { base: '.', encoding: false }).pipe(dest('dist'));
}

function copyCodex() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest('dist'));
}

exports['build:assets'] = series(pruneStrays, parallel(copyIcons, copyCodex));
exports.default = exports['build:assets'];
