// `change-control check`: assesses the change and prints it. `--fail-on` asks the engine's level gate.
import { ChangeControlError } from '../../core/errors';
import { levelIndexOf, reachesLevel } from '../../core/gate';
import { PRESET_NAMES } from '../../core/policy/presets';
import { toJsonReport } from '../../core/report/jsonReport';
import { toMarkdown } from '../../core/report/markdownReport';
import { parse, POLICY_OPTIONS } from '../args';
import { commandHelp, type CliCommand } from '../command';
import { assessInputs, gatherInputs } from '../inputs';
import { colours, renderText } from '../textReport';

const FORMATS = ['text', 'json', 'markdown'];

export const check: CliCommand = {
  name: 'check',
  summary: 'Assess the current change against the policy (default command)',
  synopsis: ['check [--base REF] [--head REF] [--policy FILE] [--preset NAME]\n[--format text|json|markdown] [--fail-on LEVEL] [-C DIR]'],
  options: `  --base REF          Measure from the merge-base with REF (default: the base branch)
  --head REF          Assess the commit REF instead of the working tree
  --policy FILE       Use this policy file
  --preset NAME       Use a built-in preset (${PRESET_NAMES.join(', ')})
  --format FORMAT     text (default), json or markdown
  --fail-on LEVEL     Exit 1 when the change is at LEVEL or above
  -C DIR              Run as if started in DIR
`,
  exitCodes: '0 ok; 1 --fail-on reached; 2 usage, git or policy error.',
  run: async (args, io) => {
    const { values } = parse(args, {
      ...POLICY_OPTIONS,
      head: { type: 'string' },
      format: { type: 'string', default: 'text' },
      'fail-on': { type: 'string' },
    });
    if (values.help) {
      io.stdout(commandHelp(check));
      return 0;
    }
    const format = values.format as string;
    if (!FORMATS.includes(format)) {
      throw new ChangeControlError('USAGE', `--format ${format}: expected text, json or markdown.`);
    }
    const inputs = await gatherInputs(io, values);
    const failOn = values['fail-on'] as string | undefined;
    // Asked before anything is assessed.
    if (failOn !== undefined) levelIndexOf(inputs.policy.policy.levels, failOn, `--fail-on ${failOn}`);
    const assessment = await assessInputs(inputs);

    if (format === 'json') io.stdout(`${JSON.stringify(toJsonReport(assessment), null, 2)}\n`);
    else if (format === 'markdown') io.stdout(toMarkdown(assessment));
    else io.stdout(renderText(assessment, colours(io.isTTY, io.env)));

    return failOn !== undefined && reachesLevel(assessment, failOn, `--fail-on ${failOn}`) ? 1 : 0;
  },
};
