// A command-line check of live_chart.js's decoder, for the tests (node decode_check.mjs < figure.json).
//
// Imports live_chart.js as the browser does (an ES module, from its text, so no package.json is needed
// to mark .js as a module), decodes the plotly figure JSON read from stdin and prints it as JSON, each
// typed array as {"__type": "Float32Array", "values": [...]}.
import { readFileSync } from 'node:fs';

const source = readFileSync(new URL('./live_chart.js', import.meta.url), 'utf8');
const { decode } = await import('data:text/javascript;base64,' + Buffer.from(source).toString('base64'));

const plain = (n) => ArrayBuffer.isView(n) ? {__type: n.constructor.name, values: Array.from(n)}
  : Array.isArray(n) ? n.map(plain)
  : (n && typeof n === 'object') ? Object.fromEntries(Object.entries(n).map(([k, v]) => [k, plain(v)])) : n;

process.stdout.write(JSON.stringify(plain(decode(JSON.parse(readFileSync(0, 'utf8'))))));
