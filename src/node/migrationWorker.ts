// The child process that parses migrations for the editor (see MigrationProcess): WebAssembly on
// the baseline compiler, as the CLI runs it, and nothing else in the process. It answers one
// message at a time, in order, and exits when its parent goes.
import { loadMigrationParsers, parseInThisProcess } from '../core/migrations/analyse';
import type { MigrationFramework } from '../core/migrations/types';
import type { MigrationReply, MigrationRequest } from './migrationProcess';
import { baselineWasmOnly } from './wasmTiering';

baselineWasmOnly();

const reply = (message: MigrationReply): void => {
  process.send?.(message);
};

process.on('message', (request: MigrationRequest) => {
  const work: Promise<unknown> =
    request.kind === 'load' ? loadMigrationParsers(request.frameworks as MigrationFramework[]) : parseInThisProcess.analyseSource(request.path, request.framework, request.content);
  work.then(
    (result) => reply({ id: request.id, ok: true, result }),
    (err: unknown) => reply({ id: request.id, ok: false, message: err instanceof Error ? err.message : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
