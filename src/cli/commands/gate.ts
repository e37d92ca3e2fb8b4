// `change-control gate`: the CI gate. In a pull-request pipeline it verifies the sign-off instead of
// trusting it, with the policy as it is on the base, and checks approvals and review threads as
// they are now. The verdict goes to the job summary (GITHUB_STEP_SUMMARY) and stdout, and with
// --status to a `change-control` commit status. This file only gathers and prints.
import { readFileSync, appendFileSync } from 'node:fs';
import * as path from 'node:path';
import { ChangeControlError } from '../../core/errors';
import { apiUrlForHost, parseRepoSlug } from '../../core/github/remote';
import { gateJson, gateMarkdown } from '../../core/report/gateReport';
import { githubRepository } from '../../core/signoff/gather';
import { connectGitHub } from '../../node/github/connect';
import { runGate } from '../../node/gate/gate';
import { createGit } from '../../node/git';
import { inspectRepository } from '../../core/change/change';
import { DIR_OPTION, parse, usageError, workingDirectory } from '../args';
import { commandHelp, type CliCommand } from '../command';

const FORMATS = ['text', 'markdown', 'json'];
/** The gate's own commit status (with --status): require it in a ruleset pinned to GitHub Actions. */
export const GATE_CONTEXT = 'change-control';

export const gate: CliCommand = {
  name: 'gate',
  summary: 'CI gate: verify the pull request\'s sign-off, approvals and review threads',
  synopsis: ['gate [--pr N] [--repo OWNER/NAME] [--policy FILE] [--format text|markdown|json] [--status] [-C DIR]'],
  options: `  --pr N              The pull request (default: from the GitHub Actions event)
  --repo OWNER/NAME   The repository (default: GITHUB_REPOSITORY, else the origin remote)
  --policy FILE       The policy file's path, read as it is on the base
  --format FORMAT     text (default: the markdown summary), markdown or json
  --status            Also set the verdict as a "${GATE_CONTEXT}" commit status on the head
  -C DIR              Run as if started in DIR

  On GitHub Actions (pull_request or pull_request_target) the head is pull_request.head.sha,
  never GITHUB_SHA; the token is GITHUB_TOKEN (or GH_TOKEN), the API GITHUB_API_URL. The
  summary is also appended to GITHUB_STEP_SUMMARY when it is set.
`,
  exitCodes: '0 the gate passes; 1 it fails (each finding says what to do); 2 usage, git, policy or GitHub error.',
  run: async (args, io) => {
    const { values } = parse(args, { ...DIR_OPTION, pr: { type: 'string' }, repo: { type: 'string' }, policy: { type: 'string' }, format: { type: 'string', default: 'text' }, status: { type: 'boolean', default: false } });
    if (values.help) {
      io.stdout(commandHelp(gate));
      return 0;
    }
    const format = values.format as string;
    if (!FORMATS.includes(format)) throw usageError('gate', `--format ${format}: expected text, markdown or json.`);
    const event = readEvent(io.env);
    const number = values.pr !== undefined ? Number(values.pr) : event?.number;
    if (number === undefined || !Number.isInteger(number) || number < 1) {
      throw usageError('gate', values.pr !== undefined ? `--pr ${String(values.pr)}: expected a pull request number.` : 'No pull request: run the gate on a pull_request or pull_request_target event, or give --pr N.');
    }
    const token = io.env.GITHUB_TOKEN || io.env.GH_TOKEN;
    if (!token) throw new ChangeControlError('GITHUB_NO_TOKEN', 'No GitHub token: in GitHub Actions pass env: GITHUB_TOKEN: ${{ github.token }} to the step; elsewhere set GITHUB_TOKEN (or GH_TOKEN).');
    const cwd = workingDirectory(io, values.C);
    const state = await inspectRepository(createGit(cwd));
    const git = createGit(state.root);
    const slug = (values.repo as string | undefined) ?? io.env.GITHUB_REPOSITORY;
    const repo = slug ? parseRepoSlug(slug) : undefined;
    if (slug && !repo) throw usageError('gate', `"${slug}" is not a GitHub repository: give it as OWNER/NAME.`);
    const found = repo ? { ...repo, host: null } : await githubRepository(git);
    const github = await connectGitHub({ token, baseUrl: io.env.GITHUB_API_URL || apiUrlForHost(found.host ?? 'github.com') });
    const repository = { owner: found.owner, name: found.name };
    const policyPath = typeof values.policy === 'string' ? path.relative(state.root, path.resolve(cwd, values.policy)) : undefined;
    const outcome = await runGate({
      git,
      github,
      repository,
      pullRequest: number,
      headSha: values.pr === undefined ? event?.headSha : undefined,
      baseSha: values.pr === undefined ? event?.baseSha : undefined,
      policyPath,
      progress: (m) => io.stderr(`change-control: ${m}\n`),
    });
    const { verdict, assessment, pullRequest, headSha } = outcome;
    const markdown = gateMarkdown(verdict, assessment, { number: pullRequest.number, url: pullRequest.url, headSha });
    if (io.env.GITHUB_STEP_SUMMARY) appendFileSync(io.env.GITHUB_STEP_SUMMARY, markdown);
    io.stdout(format === 'json' ? `${JSON.stringify(gateJson(verdict), null, 2)}\n` : markdown);
    if (values.status) {
      const first = verdict.findings[0];
      const description = verdict.pass ? `${assessment.level.title}: passed${verdict.signoff?.verified ? ` · signed off by @${verdict.signoff.by}` : ''}` : `${assessment.level.title}: ${verdict.findings.length} finding${verdict.findings.length === 1 ? '' : 's'} (${first.id})`;
      const runUrl = io.env.GITHUB_SERVER_URL && io.env.GITHUB_RUN_ID ? `${io.env.GITHUB_SERVER_URL}/${io.env.GITHUB_REPOSITORY}/actions/runs/${io.env.GITHUB_RUN_ID}` : undefined;
      await github.createStatus(repository, headSha, { context: GATE_CONTEXT, state: verdict.pass ? 'success' : 'failure', description: description.slice(0, 140), ...(runUrl ? { targetUrl: runUrl } : {}) });
    }
    return verdict.pass ? 0 : 1;
  },
};

/** The pull request of a GitHub Actions pull_request(_target) event: never GITHUB_SHA, which is the merge commit. */
function readEvent(env: NodeJS.ProcessEnv): { number: number; headSha: string; baseSha: string } | undefined {
  if (!env.GITHUB_EVENT_PATH || !/^pull_request(_target)?$/.test(env.GITHUB_EVENT_NAME ?? '')) return undefined;
  let payload: { pull_request?: { number?: unknown; head?: { sha?: unknown }; base?: { sha?: unknown } } };
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as typeof payload;
  } catch (err) {
    throw new ChangeControlError('IO', `Cannot read the GitHub Actions event (${env.GITHUB_EVENT_PATH}): ${(err as Error).message}.`);
  }
  const pr = payload.pull_request;
  if (typeof pr?.number !== 'number' || typeof pr.head?.sha !== 'string' || typeof pr.base?.sha !== 'string') {
    throw new ChangeControlError('USAGE', `The ${env.GITHUB_EVENT_NAME} event carries no pull request head and base: is the workflow triggered by a pull request?`);
  }
  return { number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha };
}
