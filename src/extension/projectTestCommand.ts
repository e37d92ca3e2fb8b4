// Resolves a command item's `run: auto` to the project's test command, from the files at the
// repository root. (Belongs in the engine so the CLI resolves it the same way; kept here until the
// engine exposes it.)
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

const BY_FILE: [string, string][] = [
  ['package.json', 'npm test'],
  ['mix.exs', 'mix test'],
  ['go.mod', 'go test ./...'],
  ['Cargo.toml', 'cargo test'],
  ['pyproject.toml', 'pytest'],
  ['pytest.ini', 'pytest'],
  ['setup.py', 'pytest'],
  ['Gemfile', 'bundle exec rake test'],
  ['pom.xml', 'mvn -q test'],
  ['build.gradle', './gradlew test'],
  ['build.gradle.kts', './gradlew test'],
  ['Makefile', 'make test'],
];

export async function projectTestCommand(root: string): Promise<string | undefined> {
  for (const [file, command] of BY_FILE) {
    try {
      await fs.access(path.join(root, file));
      return command;
    } catch {
      /* next */
    }
  }
  return undefined;
}
