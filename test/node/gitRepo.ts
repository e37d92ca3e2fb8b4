// Real git repositories in temp folders for tests: no git is mocked anywhere.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, unlinkSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export class TestRepo {
  readonly root: string;

  private constructor(root: string) {
    this.root = root;
  }

  static create(options: { branch?: string; init?: boolean } = {}): TestRepo {
    const root = mkdtempSync(path.join(tmpdir(), 'cc-repo-'));
    const repo = new TestRepo(root);
    if (options.init !== false) {
      repo.git('init', '-q', '-b', options.branch ?? 'main');
      repo.git('config', 'user.email', 'dev@example.com');
      repo.git('config', 'user.name', 'Dev');
      repo.git('config', 'commit.gpgsign', 'false');
    }
    return repo;
  }

  static at(root: string): TestRepo {
    return new TestRepo(root);
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.root,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trimEnd();
  }

  write(file: string, content: string | Buffer): this {
    const full = path.join(this.root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
    return this;
  }

  remove(file: string): this {
    unlinkSync(path.join(this.root, file));
    return this;
  }

  move(from: string, to: string): this {
    const dest = path.join(this.root, to);
    mkdirSync(path.dirname(dest), { recursive: true });
    renameSync(path.join(this.root, from), dest);
    return this;
  }

  commit(message = 'change'): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Writes files and commits them in one step. */
  commitFiles(files: Record<string, string>, message = 'change'): string {
    for (const [f, c] of Object.entries(files)) this.write(f, c);
    return this.commit(message);
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function tempDir(prefix = 'cc-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A policy with one content rule: a changed line with SECRET_… under src/ raises the change to high. */
export const SECRETS_POLICY = `
version: 1
levels:
  - { id: low, title: Low, checklist: [] }
  - { id: high, title: High, checklist: [] }
checklist: {}
zones:
  secrets: { title: Secrets, paths: ["src/**"], content: ["SECRET_[A-Z]+"], level: high }
`;
