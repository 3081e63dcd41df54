// Copies what tsc does not emit into dist/: node icons and codex (*.node.json) files.
const { src, dest, parallel } = require('gulp');

function copyIcons() {
	return src(['icons/**/*.svg', 'nodes/**/*.svg', 'credentials/**/*.svg'], { base: '.', encoding: false }).pipe(dest('dist'));
}

function copyCodex() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest('dist'));
}

exports['build:assets'] = parallel(copyIcons, copyCodex);
exports.default = exports['build:assets'];
