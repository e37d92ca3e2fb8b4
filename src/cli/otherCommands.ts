// Every command but `check`, in the order `--help` lists them after it. dist/cli.js loads this as
// a bundle of its own (dist/cliCommands.js, see esbuild.js) only when one of them or the whole
// help is asked for: a `check`, the command people and CI run most, never compiles their code.
import type { CliCommand } from './command';
import { attest } from './commands/attest';
import { audit } from './commands/audit';
import { calendar } from './commands/calendar';
import { emergency } from './commands/emergency';
import { gate } from './commands/gate';
import { init } from './commands/init';
import { notify } from './commands/notify';
import { record } from './commands/record';
import { schema } from './commands/schema';
import { signoff } from './commands/signoff';

export const OTHER_COMMANDS: readonly CliCommand[] = [signoff, gate, audit, calendar, attest, record, emergency, notify, init, schema];
