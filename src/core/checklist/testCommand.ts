// Owns what `run: auto` means: the test command a project of this kind is run with.
import type { WorkTree } from '../ports';

const BY_MANIFEST: [file: string, command: string][] = [
  ['mix.exs', 'mix test'],
  ['go.mod', 'go test ./...'],
  ['go.work', 'go test ./...'],
  ['Cargo.toml', 'cargo test'],
  ['pyproject.toml', 'pytest'],
  ['setup.py', 'pytest'],
  ['Gemfile', 'bundle exec rake test'],
  ['pom.xml', 'mvn test'],
  ['gradlew', './gradlew test'],
  ['build.gradle', 'gradle test'],
  ['build.gradle.kts', 'gradle test'],
  ['composer.json', 'composer test'],
];

/** The project's test command, or undefined when nothing says how it is tested. */
export async function detectTestCommand(workTree: WorkTree): Promise<string | undefined> {
  const pkg = await workTree.readFile('package.json');
  if (pkg) {
    try {
      const scripts = (JSON.parse(pkg.toString('utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
      if (scripts.test && !/no test specified/.test(scripts.test)) {
        const pm = (await workTree.readFile('pnpm-lock.yaml')) ? 'pnpm' : (await workTree.readFile('yarn.lock')) ? 'yarn' : 'npm';
        return `${pm} test`;
      }
    } catch {
      /* a broken package.json tells nothing */
    }
  }
  const makefile = await workTree.readFile('Makefile');
  if (makefile && /^test:/m.test(makefile.toString('utf8'))) return 'make test';
  for (const [file, command] of BY_MANIFEST) if (await workTree.readFile(file)) return command;
  if (await workTree.readFile('Rakefile')) return 'bundle exec rake test';
  return undefined;
}
