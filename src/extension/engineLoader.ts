// Loads dist/engine.js on first use. The require is kept out of the activation path: activate()
// only creates the status bar, the tree and listeners; the first assessment pays for the engine.
import type * as Engine from './engine';

export type EngineModule = typeof Engine;

let engine: EngineModule | undefined;

export function loadEngine(): EngineModule {
  // esbuild leaves './engine.js' external (see esbuild.js): it is the sibling bundle in dist/.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  engine ??= require('./engine.js') as EngineModule;
  return engine;
}
