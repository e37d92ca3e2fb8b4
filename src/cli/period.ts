// What the commands that read a period of GitHub history share (calendar, audit): the period from
// --since/--until, the token, the repository, the base branch and the connection.
import { PERIOD_EXAMPLE, parsePeriodDate } from '../core/audit/period';
import { inspectRepository } from '../core/change/change';
import { ChangeControlError } from '../core/errors';
import type { GitHubRepo } from '../core/github/facts';
import { apiUrlForHost, parseRepoSlug } from '../core/github/remote';
import type { Git, GitHub, Log } from '../core/ports';
import { defaultBranch, githubRepository } from '../core/signoff/gather';
import { createGit } from '../node/git';
import { connectGitHub } from '../node/github/connect';
import { usageError, workingDirectory } from './args';
import type { CliIo } from './io';

export const PERIOD_OPTIONS = { since: { type: 'string' }, until: { type: 'string' }, base: { type: 'string' }, repo: { type: 'string' } } as const;

export const PERIOD_HELP = `  --since DATE        The period's start, e.g. 2026-11-01
  --until DATE        Its end (default: now); a plain date includes that whole day
  --base BRANCH       The branch changes merge into (default: origin's default branch, else main)
  --repo OWNER/NAME   The repository (default: from the origin remote)
`;

export interface PeriodContext {
  cwd: string;
  /** The repository's root. */
  root: string;
  git: Git;
  repo: GitHubRepo;
  base: string;
  since: Date;
  until: Date;
  github: GitHub;
}

export async function periodContext(command: string, io: CliIo, values: { since?: unknown; until?: unknown; base?: unknown; repo?: unknown; C?: unknown }, options: { now: Date; log?: Log; waitOnRateLimit?: boolean }): Promise<PeriodContext> {
  if (values.since === undefined) throw usageError(command, `${command}: give the period with --since DATE (e.g. --since 2026-11-01).`);
  const since = periodDate(command, values.since as string, '--since', false);
  const until = values.until === undefined ? options.now : periodDate(command, values.until as string, '--until', true);
  if (until < since) throw usageError(command, `--until ${String(values.until)} is before --since ${String(values.since)}.`);
  const token = io.env.GITHUB_TOKEN || io.env.GH_TOKEN;
  if (!token) throw new ChangeControlError('GITHUB_NO_TOKEN', `No GitHub token: set GITHUB_TOKEN (or GH_TOKEN), e.g. GITHUB_TOKEN=$(gh auth token) change-control ${command} --since 2026-11-01.`);
  const cwd = workingDirectory(io, values.C);
  const { root } = await inspectRepository(createGit(cwd));
  const git = createGit(root);
  const slug = values.repo as string | undefined;
  const named = slug ? parseRepoSlug(slug) : undefined;
  if (slug && !named) throw usageError(command, `"${slug}" is not a GitHub repository: give it as OWNER/NAME.`);
  const found = named ? { ...named, host: null } : await githubRepository(git);
  const base = (values.base as string | undefined) ?? (await defaultBranch(git));
  const github = await connectGitHub({ token, baseUrl: io.env.GITHUB_API_URL || apiUrlForHost(found.host ?? 'github.com'), log: options.log, waitOnRateLimit: options.waitOnRateLimit });
  return { cwd, root, git, repo: { owner: found.owner, name: found.name }, base, since, until, github };
}

function periodDate(command: string, text: string, option: string, endOfDay: boolean): Date {
  const at = parsePeriodDate(text, endOfDay);
  if (!at) throw usageError(command, `${option} ${text}: expected a date such as ${PERIOD_EXAMPLE}.`);
  return at;
}

