// Loads ./validators on first use. In dist/cli.js that require is of the sibling bundle
// dist/validators.js (esbuild.js maps it), so a `check` whose policy is a preset or a cached file
// and whose branch has no stored record never compiles yaml or zod; in every other bundle it is
// the same module, evaluated on first use.
type Validators = typeof import('./validators');
let loaded: Validators | undefined;

export function validators(): Validators {
  loaded ??= require('./validators') as Validators;
  return loaded;
}
