// Builds the fixture workspaces the VS Code tests open: real git repositories in a temporary
// folder, with a base branch, a feature branch and a policy. Used by the runner before VS Code
// starts (the folder must exist to be opened) and by the in-host tests to change them.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURE_POLICY = `# Change Control policy used by the extension's tests.
version: 1
name: Fixture policy
levels:
  - id: regular
    title: Regular
    checklist: [tests, reviews-resolved]
  - id: significant
    title: Significant
    checklist: [tests, e2e-local, record, signoff]
checklist:
  tests:
    kind: command
    title: All automated tests pass
    run: node -e "console.log('fixture tests ran'); process.exit(0)"
  reviews-resolved:
    kind: reviews-resolved
    title: All review comments addressed
  e2e-local:
    kind: attestation
    title: Ran it locally and tested end to end
  record:
    kind: change-request
    title: Change record filled in
    fields: [description, deployment-plan, rollback-plan, risk-assessment]
  signoff:
    kind: signoff
    title: Formal sign-off recorded
  load-test:
    kind: command
    title: Payment load test
    required: false
    run: node -e "console.log('load test started'); setTimeout(() => {}, 60000)"
zones:
  auth:
    title: Authentication
    level: significant
    paths: ["src/auth/**"]
  payments:
    title: Payments
    level: significant
    paths: ["src/billing/**"]
    content: ["charge\\\\("]
    checklist: [load-test]
migrations:
  level: significant
`;

/** The demo's policy (`npm run try`): the fixture's, plus the emergency path, so every feature shows. */
export const DEMO_POLICY = FIXTURE_POLICY.replace(
  'checklist:\n  tests:',
  `checklist:
  reviewer:
    kind: review
    title: Reviewed by at least one reviewer
  notify-owner:
    kind: notification
    title: The owner was told of the emergency
    targets: [owner]
  post-review:
    kind: post-review
    title: Post-implementation review
  tests:`,
).concat(`notify:
  owner: { title: "@demo-owner", kind: slack, secret: DEMO_OWNER_WEBHOOK, on: [emergency] }
emergency:
  checklist: [reviewer, notify-owner]
  postReview: { within: 48h, checklist: [post-review] }
`);

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Fixture',
      GIT_AUTHOR_EMAIL: 'fixture@example.com',
      GIT_COMMITTER_NAME: 'Fixture',
      GIT_COMMITTER_EMAIL: 'fixture@example.com',
    },
  }).trim();
}

export function write(root: string, relativePath: string, text: string): string {
  const full = path.join(root, relativePath);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  return full;
}

export interface RepoSpec {
  files: Record<string, string>;
  /** Files committed on the feature branch after the base. */
  branchFiles?: Record<string, string>;
  branch?: string;
}

/** A git repository with `main` holding `files`, and (when given) a feature branch checked out. */
export function makeRepo(root: string, spec: RepoSpec): string {
  fs.mkdirSync(root, { recursive: true });
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'commit.gpgsign', 'false');
  git(root, 'config', 'user.name', 'Dana Developer');
  git(root, 'config', 'user.email', 'dana@example.com');
  for (const [p, text] of Object.entries(spec.files)) write(root, p, text);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  if (spec.branch) {
    git(root, 'checkout', '-q', '-b', spec.branch);
    if (spec.branchFiles) {
      for (const [p, text] of Object.entries(spec.branchFiles)) write(root, p, text);
      git(root, 'add', '-A');
      git(root, 'commit', '-q', '-m', 'feature work');
    }
  }
  return root;
}

export interface Fixtures {
  root: string;
  /** A repository with a policy, on a feature branch with a harmless change. */
  app: string;
  /** A repository without a policy file (the default preset applies), no changes. */
  lib: string;
  /** A folder that is not a git repository. */
  notes: string;
  /** A multi-root workspace file holding the three. */
  workspaceFile: string;
}

export function makeFixtures(root: string): Fixtures {
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  const app = makeRepo(path.join(root, 'app'), {
    files: {
      '.github/change-control.yml': FIXTURE_POLICY,
      'README.md': '# app\n',
      'db/migrations/0001_orders.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\n',
      'src/auth/session.ts': 'export function session(token: string) {\n  return token.length > 0;\n}\n',
      'src/billing/invoice.ts': 'export function total(lines: number[]) {\n  return lines.reduce((a, b) => a + b, 0);\n}\n',
      'src/ui/button.ts': 'export const label = "OK";\n',
    },
    branch: 'feature/tweak-button',
    branchFiles: { 'src/ui/button.ts': 'export const label = "Continue";\n' },
  });
  const lib = makeRepo(path.join(root, 'lib'), { files: { 'index.js': 'module.exports = 1;\n' } });
  const notes = path.join(root, 'notes');
  write(notes, 'todo.md', '- nothing\n');
  const workspaceFile = path.join(root, 'fixtures.code-workspace');
  fs.writeFileSync(
    workspaceFile,
    JSON.stringify({ folders: [{ path: 'app' }, { path: 'lib' }, { path: 'notes' }], settings: { 'git.openRepositoryInParentFolders': 'always' } }, null, 2),
  );
  return { root, app, lib, notes, workspaceFile };
}

/** The demo repository `npm run try` opens: a realistic feature branch touching auth and billing. */
export function makeDemo(root: string): string {
  fs.rmSync(root, { recursive: true, force: true });
  return makeRepo(root, {
    files: {
      '.github/change-control.yml': DEMO_POLICY,
      '.github/CODEOWNERS': '* @demo-owner\n',
      'README.md': '# Demo shop\n\nA small shop used to try Change Control.\n',
      'db/migrations/0001_invoices.sql': 'CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric NOT NULL);\n',
      'src/auth/session.ts': 'export function session(token: string) {\n  return token.length > 0;\n}\n',
      'src/billing/invoice.ts': 'export function total(lines: number[]) {\n  return lines.reduce((a, b) => a + b, 0);\n}\n',
      'src/ui/button.ts': 'export const label = "OK";\n',
      'package.json': '{ "name": "demo-shop", "private": true, "scripts": { "test": "node -e \\"console.log(\'ok\')\\"" } }\n',
    },
    branch: 'feature/remember-me',
    branchFiles: {
      'db/migrations/0002_invoice_amount.sql': 'ALTER TABLE invoices RENAME COLUMN total TO amount;\n',
      'src/auth/session.ts': 'export function session(token: string, rememberMe = false) {\n  const ttl = rememberMe ? 30 : 1;\n  return token.length > 0 && ttl > 0;\n}\n',
      'src/billing/invoice.ts':
        'export function total(lines: number[]) {\n  return lines.reduce((a, b) => a + b, 0);\n}\n\nexport function settle(card: { charge(n: number): void }, lines: number[]) {\n  card.charge(total(lines));\n}\n',
    },
  });
}

if (require.main === module) {
  const [what, dir] = process.argv.slice(2);
  if (what === 'demo') console.log(makeDemo(path.resolve(dir)));
  else console.log(JSON.stringify(makeFixtures(path.resolve(dir ?? 'test-results/fixtures')), null, 2));
}
