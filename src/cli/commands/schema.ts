// `change-control schema`: the policy file's JSON Schema, as the editor uses it.
import { policyJsonSchema } from '../../core/policy/schema';
import { parse } from '../args';
import { commandHelp, type CliCommand } from '../command';

export const schema: CliCommand = {
  name: 'schema',
  summary: 'Print the JSON Schema of the policy file',
  synopsis: ['schema'],
  options: '  (none)\n',
  exitCodes: '0 ok; 2 usage error.',
  run: async (args, io) => {
    const { values } = parse(args, {});
    if (values.help) {
      io.stdout(commandHelp(schema));
      return 0;
    }
    io.stdout(`${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
    return 0;
  },
};
