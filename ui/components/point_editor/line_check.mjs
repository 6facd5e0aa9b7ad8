// A command-line check of point_editor.js's arithmetic, for the tests (node line_check.mjs < sets.json).
//
// Imports point_editor.js as the browser does (an ES module, from its text), reads {"padding": p, "sets":
// [[[x, y], ...], ...]} from stdin and prints, for each set, {"line": [intercept, slope] or null,
// "ranges": [[x0, x1], [y0, y1]]}: what the component draws and what "Fit axes to points" chooses.
import { readFileSync } from 'node:fs';

const source = readFileSync(new URL('./point_editor.js', import.meta.url), 'utf8');
const { leastSquares, fitRanges } = await import('data:text/javascript;base64,' + Buffer.from(source).toString('base64'));

const { padding, sets } = JSON.parse(readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(sets.map((p) => ({line: leastSquares(p), ranges: fitRanges(p, padding)}))));
