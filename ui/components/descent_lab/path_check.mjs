// A command-line check of descent_lab.js's maths, for the tests (node path_check.mjs < cases.json).
//
// Imports descent_lab.js as the browser does (an ES module, from its text), runs path(payload, alpha,
// theta0) for each case {payload, alpha, theta0} read from stdin and prints the runs as JSON; a case with
// `steps` also gets the model drawn on the data at those steps (lineAt: the lab's fourth chart).
import { readFileSync } from 'node:fs';

const source = readFileSync(new URL('./descent_lab.js', import.meta.url), 'utf8');
const lab = await import('data:text/javascript;base64,' + Buffer.from(source).toString('base64'));

const cases = JSON.parse(readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(cases.map((c) => {
  const run = lab.path(c.payload, c.alpha, c.theta0);
  const lines = c.steps ? c.steps.map((k) => lab.lineAt(c.payload, run.thetas[k])) : null;
  return {thetas: run.thetas, costs: run.costs, status: run.status, surface: c.surface ? lab.surface(c.payload) : null, lines};
})));
