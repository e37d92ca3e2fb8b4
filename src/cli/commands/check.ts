// `change-control check`: assesses the change and prints it; with `--run`, first runs the
// checklist's open command items and records them. `--fail-on` asks the engine's level gate.
import { ChangeControlError } from '../../core/errors';
import { levelIndexOf, reachesLevel } from '../../core/gate';
import { PRESET_NAMES } from '../../core/policy/presets';
import { toJsonReport } from '../../core/report/jsonReport';
import { toMarkdown } from '../../core/report/markdownReport';
import { parse, POLICY_OPTIONS } from '../args';
import { commandHelp, type CliCommand } from '../command';
import { assessInputs, gatherInputs } from '../inputs';
import { openAfterPassing, runOpenCommands } from '../runCommands';
import { colours, renderText } from '../textReport';

const FORMATS = ['text', 'json', 'markdown'];

/** The exit code of a `check` that Ctrl-C interrupted during `--run` (128 + SIGINT). */
export const INTERRUPTED = 130;

export const check: CliCommand = {
  name: 'check',
  summary: 'Assess the current change against the policy (default command)',
  synopsis: ['check [--base REF] [--head REF] [--policy FILE] [--preset NAME]\n[--format text|json|markdown] [--fail-on LEVEL] [--run] [-C DIR]'],
  options: `  --base REF          Measure from the merge-base with REF (default: the base branch)
  --head REF          Assess the commit REF instead of the working tree
  --policy FILE       Use this policy file
  --preset NAME       Use a built-in preset (${PRESET_NAMES.join(', ')})
  --format FORMAT     text (default), json or markdown
  --fail-on LEVEL     Exit 1 when the change is at LEVEL or above
  --run               First run the checklist's command items that are not done, and record
                      each finished run (not with --head). Progress goes to stdout with
                      --format text, to stderr otherwise; Ctrl-C cancels and records nothing
  -C DIR              Run as if started in DIR
`,
  exitCodes: `0 ok; 1 --fail-on reached, or a --run command failed or could not start; 2 usage, git or policy error; 130 --run interrupted (Ctrl-C).`,
  run: async (args, io) => {
    const { values } = parse(args, {
      ...POLICY_OPTIONS,
      head: { type: 'string' },
      format: { type: 'string', default: 'text' },
      'fail-on': { type: 'string' },
      run: { type: 'boolean', default: false },
    });
    if (values.help) {
      io.stdout(commandHelp(check));
      return 0;
    }
    const format = values.format as string;
    if (!FORMATS.includes(format)) {
      throw new ChangeControlError('USAGE', `--format ${format}: expected text, json or markdown.`);
    }
    if (values.run && values.head !== undefined) {
      throw new ChangeControlError('USAGE', "--run cannot be used with --head: runs are recorded against the working tree's HEAD. Check out the commit, then run `change-control check --run`.");
    }
    const inputs = await gatherInputs(io, values, true);
    const failOn = values['fail-on'] as string | undefined;
    // Asked before anything is assessed or run: a typo should not cost a test run.
    if (failOn !== undefined) levelIndexOf(inputs.policy.policy.levels, failOn, `--fail-on ${failOn}`);
    let assessment = await assessInputs(inputs);

    let runFailed = false;
    if (values.run) {
      // JSON and markdown go to files and tools: their stdout carries nothing but the report.
      const progress = format === 'text' ? io.stdout : io.stderr;
      const runs = await runOpenCommands(inputs, assessment, io, progress, colours(format === 'text' && io.isTTY, io.env));
      if (runs.cancelled) return INTERRUPTED;
      if (runs.evidence) assessment = await assessInputs(inputs, runs.evidence);
      for (const note of openAfterPassing(runs, assessment)) progress(`${note}\n\n`);
      runFailed = runs.failed;
    }

    if (format === 'json') io.stdout(`${JSON.stringify(toJsonReport(assessment), null, 2)}\n`);
    else if (format === 'markdown') io.stdout(toMarkdown(assessment));
    else io.stdout(renderText(assessment, colours(io.isTTY, io.env)));

    return (failOn !== undefined && reachesLevel(assessment, failOn, `--fail-on ${failOn}`)) || runFailed ? 1 : 0;
  },
};
