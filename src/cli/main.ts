// The `change-control` command: parses arguments, calls the engine, prints, sets the exit code.
// Nothing here decides anything about a change.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { assess } from '../core/assess';
import { ChangeControlError, isChangeControlError } from '../core/errors';
import { inspectRepository } from '../core/change/change';
import { loadPolicy, loadPreset, POLICY_FILES, DEFAULT_PRESET } from '../core/policy/load';
import { PRESET_NAMES, isPresetName, type PresetName } from '../core/policy/presets';
import { closest, policyJsonSchema } from '../core/policy/schema';
import { toJsonReport } from '../core/report/jsonReport';
import { toMarkdown } from '../core/report/markdownReport';
import { createGit } from '../node/git';
import { fsWorkTree } from '../node/workTree';
import { readEvidence } from '../node/evidenceStore';
import { findPolicyFile, writePresetPolicy } from '../node/policyFile';
import { renderText, colours } from './textReport';

declare const CHANGE_CONTROL_VERSION: string | undefined;
const VERSION = typeof CHANGE_CONTROL_VERSION === 'string' ? CHANGE_CONTROL_VERSION : '0.0.0-dev';

const USAGE = `Usage: change-control <command> [options]

Commands:
  check    Assess the current change against the policy (default command)
  init     Write a commented policy file to .github/change-control.yml
  schema   Print the JSON Schema of the policy file

check options:
  --base REF          Measure from the merge-base with REF (default: the base branch)
  --head REF          Assess the commit REF instead of the working tree
  --policy FILE       Use this policy file
  --preset NAME       Use a built-in preset (${PRESET_NAMES.join(', ')})
  --format FORMAT     text (default), json or markdown
  --fail-on LEVEL     Exit 1 when the change is at LEVEL or above
  -C DIR              Run as if started in DIR

init options:
  --preset NAME       Start from this preset (default: ${DEFAULT_PRESET})
  --policy FILE       Where to write (default: .github/change-control.yml)
  --force             Overwrite an existing policy file

Exit codes: 0 ok, 1 --fail-on reached, 2 usage, git or policy error.
`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (isChangeControlError(err)) {
      io.stderr(`change-control: ${err.message}\n`);
      return 2;
    }
    // Anything else is our bug: still one line, with where to report it.
    io.stderr(`change-control: internal error: ${(err as Error)?.message ?? String(err)} (please report this with the command you ran)\n`);
    if (io.env.CHANGE_CONTROL_DEBUG) io.stderr(`${(err as Error)?.stack ?? ''}\n`);
    return 2;
  }
}

const COMMANDS = ['check', 'init', 'schema', 'help', 'version'];

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (first === '--version' || first === '-v' || first === 'version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const command = first === undefined || first.startsWith('-') ? 'check' : first;
  const args = first === undefined || first.startsWith('-') ? argv : rest;
  if (!COMMANDS.includes(command)) {
    const hint = closest(command, COMMANDS);
    throw new ChangeControlError('USAGE', `unknown command "${command}".${hint ? ` Did you mean "${hint}"?` : ''} Run \`change-control --help\`.`);
  }
  if (command === 'schema') {
    parse(args, {});
    io.stdout(`${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
    return 0;
  }
  if (command === 'init') return init(args, io);
  return check(args, io);
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse<O extends Options>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: false, strict: true });
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/, '').replace(/^Unknown option '([^']+)'.*/, 'unknown option $1');
    throw new ChangeControlError('USAGE', `${message}. Run \`change-control --help\`.`);
  }
}

async function check(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    base: { type: 'string' },
    head: { type: 'string' },
    policy: { type: 'string' },
    preset: { type: 'string' },
    format: { type: 'string', default: 'text' },
    'fail-on': { type: 'string' },
    C: { type: 'string', short: 'C' },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const format = values.format as string;
  if (!['text', 'json', 'markdown'].includes(format)) {
    throw new ChangeControlError('USAGE', `--format ${format}: expected text, json or markdown.`);
  }
  if (values.policy !== undefined && values.preset !== undefined) {
    throw new ChangeControlError('USAGE', '--policy and --preset cannot be used together: choose one.');
  }
  const cwd = values.C ? path.resolve(io.cwd, values.C as string) : io.cwd;
  const repo = await inspectRepository(createGit(cwd));
  const git = createGit(repo.root);
  const workTree = fsWorkTree(repo.root);
  const policyPath = values.policy !== undefined ? path.resolve(cwd, values.policy as string) : undefined;
  const loaded = await loadPolicy({ workTree, policyPath, preset: values.preset as string | undefined });
  if (loaded.source.kind === 'file' && policyPath) loaded.source = { kind: 'file', path: path.relative(repo.root, policyPath) || policyPath };

  const failOn = values['fail-on'] as string | undefined;
  const failIndex = failOn === undefined ? -1 : loaded.policy.levels.findIndex((l) => l.id === failOn);
  if (failOn !== undefined && failIndex < 0) {
    const ids = loaded.policy.levels.map((l) => l.id);
    const hint = closest(failOn, ids);
    throw new ChangeControlError('USAGE', `--fail-on ${failOn}: the policy has no such level.${hint ? ` Did you mean "${hint}"?` : ''} Levels: ${ids.join(', ')}.`);
  }

  const { evidence, warning } = await readEvidence(repo);
  if (warning) io.stderr(`change-control: warning: ${warning}\n`);
  const assessment = await assess({ git, workTree, policy: loaded, base: values.base as string | undefined, head: values.head as string | undefined, evidence });

  if (format === 'json') io.stdout(`${JSON.stringify(toJsonReport(assessment), null, 2)}\n`);
  else if (format === 'markdown') io.stdout(toMarkdown(assessment));
  else io.stdout(renderText(assessment, colours(io.isTTY, io.env)));

  return failIndex >= 0 && assessment.level.index >= failIndex ? 1 : 0;
}

async function init(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    preset: { type: 'string', default: DEFAULT_PRESET },
    policy: { type: 'string' },
    force: { type: 'boolean', default: false },
    C: { type: 'string', short: 'C' },
  });
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const preset = values.preset as string;
  if (!isPresetName(preset)) loadPreset(preset); // throws the did-you-mean error
  const cwd = values.C ? path.resolve(io.cwd, values.C as string) : io.cwd;
  const repo = await inspectRepository(createGit(cwd));
  const target = values.policy ? path.resolve(cwd, values.policy as string) : path.join(repo.root, POLICY_FILES[0]);
  if (!values.force) {
    const existing = values.policy ? ((await exists(target)) ? target : undefined) : await findPolicyFile(repo.root);
    if (existing) throw new ChangeControlError('USAGE', `${path.relative(cwd, existing) || existing} already exists: edit it, or pass --force to replace it.`);
  }
  await writePresetPolicy(repo.root, preset as PresetName, target);
  io.stdout(`Wrote ${path.relative(cwd, target) || target} (preset ${preset}). Edit it, then run \`change-control check\`.\n`);
  return 0;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
  }).then((code) => {
    process.exitCode = code;
  });
}
