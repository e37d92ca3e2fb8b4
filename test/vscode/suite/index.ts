// Runs the in-host mocha suites. VS Code (code-server, or desktop through test:desktop) loads this
// file as `extensionTestsPath` inside the real extension host and calls `run()`; a rejected
// promise makes the workbench report a failing exit code to the runner.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20000, reporter: 'spec' });
  const grep = process.env.CHANGE_CONTROL_TEST_GREP;
  if (grep) mocha.grep(grep);
  // `npm run bench:activation` runs the benchmark alone; the test run leaves it out.
  const suffix = process.env.CHANGE_CONTROL_BENCH ? '.bench.js' : '.test.js';
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith(suffix))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} in-host test(s) failed`);
}
