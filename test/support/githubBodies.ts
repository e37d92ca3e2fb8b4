// The JSON bodies the GitHub double sends, built from its state the way GitHub builds them: the
// fields a client reads are set here; the rest of what GitHub's description requires is filled
// in by completeFromSchema, and every body is validated against the description before it goes.
import { completeFromSchema, componentSchema } from './githubOpenApi';
import type { CheckRunState, GitHubState, IssueCommentState, IssueState, PullRequestState, RepoState, ReviewState, StatusState, TeamState, OrgState, UserState, BranchRuleState, BranchProtectionState } from './githubState';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Where the request came in: `api` is the REST root (`…/api/v3` for Enterprise), `web` the site. */
export interface Urls {
  api: string;
  web: string;
}

const bundles = new Map<string, JsonObject>();

function complete(schemaName: string, value: JsonObject, urls: Urls): JsonObject {
  let schema = bundles.get(schemaName);
  if (!schema) bundles.set(schemaName, (schema = componentSchema(schemaName)));
  return completeFromSchema(schema, value, (name, fieldSchema) => {
    if (fieldSchema.type !== 'string') return undefined;
    if (name === 'node_id') return 'MDA6VGVzdE5vZGU=';
    if (name.endsWith('_url') || name === 'url') return `${urls.api}/${name.replace(/_url$/, '').replace(/_/g, '-')}`;
    if (name === 'sha') return '0'.repeat(40);
    return undefined;
  }) as JsonObject;
}

function nodeId(kind: string, id: number): string {
  return Buffer.from(`0${kind.length}:${kind}${id}`).toString('base64');
}

/** `GET /` (`GET /api/v3` on Enterprise): the API's root, which VS Code's GitHub sign-in reads for the token's scopes. */
export function apiRoot(urls: Urls): JsonObject {
  return complete('root', {}, urls);
}

export function simpleUser(user: UserState, urls: Urls): JsonObject {
  // `github-actions[bot]`: GitHub escapes the brackets (a URI may not hold them).
  const u = `${urls.api}/users/${encodeURIComponent(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type, user.id),
    avatar_url: `${urls.web}/avatars/u/${user.id}?v=4`,
    gravatar_id: '',
    url: u,
    html_url: user.type === 'Bot' ? `${urls.web}/apps/${user.login.replace(/\[bot\]$/, '')}` : `${urls.web}/${user.login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: user.type,
    site_admin: false,
    user_view_type: 'public',
  };
}

/** `GET /user`: the private view of the token's own account. */
export function privateUser(user: UserState, urls: Urls, createdAt: string): JsonObject {
  return complete(
    'private-user',
    {
      ...simpleUser(user, urls),
      user_view_type: 'private',
      name: user.name,
      company: null,
      blog: '',
      location: null,
      email: null,
      hireable: null,
      bio: null,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: createdAt,
      updated_at: createdAt,
      private_gists: 0,
      total_private_repos: 0,
      owned_private_repos: 0,
      disk_usage: 0,
      collaborators: 0,
      two_factor_authentication: true,
    },
    urls,
  );
}

export function repository(state: GitHubState, repo: RepoState, urls: Urls): JsonObject {
  const owner = state.ensureUser(repo.owner, state.org(repo.owner) ? 'Organization' : 'User');
  const full = `${repo.owner}/${repo.name}`;
  const u = `${urls.api}/repos/${full}`;
  return complete(
    'repository',
    {
      id: repo.id,
      node_id: nodeId('Repository', repo.id),
      name: repo.name,
      full_name: full,
      owner: simpleUser(owner, urls),
      private: repo.private,
      visibility: repo.private ? 'private' : 'public',
      html_url: `${urls.web}/${full}`,
      description: null,
      fork: false,
      url: u,
      default_branch: repo.defaultBranch,
      statuses_url: `${u}/statuses/{sha}`,
      pulls_url: `${u}/pulls{/number}`,
      issues_url: `${u}/issues{/number}`,
      commits_url: `${u}/commits{/sha}`,
      clone_url: `${urls.web}/${full}.git`,
      git_url: `git://${new URL(urls.web).host}/${full}.git`,
      ssh_url: `git@${new URL(urls.web).hostname}:${full}.git`,
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      pushed_at: '2026-01-01T00:00:00Z',
      archived: false,
      disabled: false,
    },
    urls,
  );
}

function pullBase(state: GitHubState, repo: RepoState, pr: PullRequestState, urls: Urls): JsonObject {
  const full = `${repo.owner}/${repo.name}`;
  const u = `${urls.api}/repos/${full}/pulls/${pr.number}`;
  const issue = `${urls.api}/repos/${full}/issues/${pr.number}`;
  const html = `${urls.web}/${full}/pull/${pr.number}`;
  const headRepo = state.repo(`${pr.head.owner}/${pr.head.repo}`) ?? repo;
  const author = state.ensureUser(pr.author);
  return {
    url: u,
    id: pr.id,
    node_id: nodeId('PullRequest', pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issue,
    commits_url: `${u}/commits`,
    review_comments_url: `${u}/comments`,
    review_comment_url: `${urls.api}/repos/${full}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${urls.api}/repos/${full}/statuses/${pr.head.sha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: simpleUser(author, urls),
    body: pr.body,
    labels: pr.labels.map((name, i) => label(repo, name, i, urls)),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.merged ? (pr.mergeCommitSha ?? pr.head.sha) : null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${pr.head.owner}:${pr.head.ref}`,
      ref: pr.head.ref,
      sha: pr.head.sha,
      user: simpleUser(state.ensureUser(pr.head.owner), urls),
      repo: repository(state, headRepo, urls),
    },
    base: {
      label: `${repo.owner}:${pr.base.ref}`,
      ref: pr.base.ref,
      sha: pr.base.sha,
      user: simpleUser(state.ensureUser(repo.owner), urls),
      repo: repository(state, repo, urls),
    },
    _links: {
      self: { href: u },
      html: { href: html },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${u}/comments` },
      review_comment: { href: `${urls.api}/repos/${full}/pulls/comments{/number}` },
      commits: { href: `${u}/commits` },
      statuses: { href: `${urls.api}/repos/${full}/statuses/${pr.head.sha}` },
    },
    author_association: association(state, repo, pr.author),
    auto_merge: null,
    draft: pr.draft,
  };
}

/** An item of `GET /repos/{o}/{r}/pulls`. */
export function pullRequestSimple(state: GitHubState, repo: RepoState, pr: PullRequestState, urls: Urls): JsonObject {
  return complete('pull-request-simple', pullBase(state, repo, pr, urls), urls);
}

/** `GET /repos/{o}/{r}/pulls/{n}`. */
export function pullRequest(state: GitHubState, repo: RepoState, pr: PullRequestState, urls: Urls): JsonObject {
  return complete(
    'pull-request',
    {
      ...pullBase(state, repo, pr, urls),
      merged: pr.merged,
      mergeable: pr.state === 'open' ? true : null,
      rebaseable: null,
      mergeable_state: pr.state === 'open' ? 'clean' : 'unknown',
      merged_by: pr.mergedBy ? simpleUser(state.ensureUser(pr.mergedBy), urls) : null,
      comments: repo.comments.filter((c) => c.issueNumber === pr.number).length,
      review_comments: pr.threads.length,
      maintainer_can_modify: false,
      commits: 1,
      additions: 1,
      deletions: 0,
      changed_files: 1,
    },
    urls,
  );
}

function association(state: GitHubState, repo: RepoState, login: string): string {
  if (repo.owner.toLowerCase() === login.toLowerCase()) return 'OWNER';
  const role = state.permissionOf(repo, login);
  if (role === 'none' || role === 'read') return 'NONE';
  return state.org(repo.owner)?.members.has(login) ? 'MEMBER' : 'COLLABORATOR';
}

export function review(state: GitHubState, repo: RepoState, pr: PullRequestState, r: ReviewState, urls: Urls): JsonObject {
  const full = `${repo.owner}/${repo.name}`;
  const html = `${urls.web}/${full}/pull/${pr.number}#pullrequestreview-${r.id}`;
  const prUrl = `${urls.api}/repos/${full}/pulls/${pr.number}`;
  return {
    id: r.id,
    node_id: nodeId('PullRequestReview', r.id),
    user: simpleUser(state.ensureUser(r.user), urls),
    body: r.body,
    state: r.state,
    html_url: html,
    pull_request_url: prUrl,
    _links: { html: { href: html }, pull_request: { href: prUrl } },
    submitted_at: r.submittedAt,
    commit_id: r.commitId,
    author_association: association(state, repo, r.user),
  };
}

export function issueComment(state: GitHubState, repo: RepoState, c: IssueCommentState, urls: Urls): JsonObject {
  const full = `${repo.owner}/${repo.name}`;
  const kind = repo.pulls.has(c.issueNumber) ? 'pull' : 'issues';
  return {
    id: c.id,
    node_id: nodeId('IssueComment', c.id),
    url: `${urls.api}/repos/${full}/issues/comments/${c.id}`,
    html_url: `${urls.web}/${full}/${kind}/${c.issueNumber}#issuecomment-${c.id}`,
    body: c.body,
    user: simpleUser(state.ensureUser(c.user), urls),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${urls.api}/repos/${full}/issues/${c.issueNumber}`,
    author_association: association(state, repo, c.user),
  };
}

export function commitStatus(state: GitHubState, repo: RepoState, s: StatusState, urls: Urls): JsonObject {
  const creator = s.creator ? state.ensureUser(s.creator) : undefined;
  return {
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/statuses/${s.sha}`,
    avatar_url: creator ? `${urls.web}/avatars/u/${creator.id}?v=4` : null,
    id: s.id,
    node_id: nodeId('StatusContext', s.id),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    creator: creator ? simpleUser(creator, urls) : null,
  };
}

export function commit(repo: RepoState, sha: string, urls: Urls): JsonObject {
  const full = `${repo.owner}/${repo.name}`;
  return complete(
    'commit',
    {
      url: `${urls.api}/repos/${full}/commits/${sha}`,
      sha,
      node_id: nodeId('Commit', repo.id),
      html_url: `${urls.web}/${full}/commit/${sha}`,
      comments_url: `${urls.api}/repos/${full}/commits/${sha}/comments`,
      commit: {
        url: `${urls.api}/repos/${full}/git/commits/${sha}`,
        author: { name: 'Dev', email: 'dev@example.com', date: '2026-01-01T00:00:00Z' },
        committer: { name: 'Dev', email: 'dev@example.com', date: '2026-01-01T00:00:00Z' },
        message: 'A commit',
        comment_count: 0,
        tree: { sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904', url: `${urls.api}/repos/${full}/git/trees/4b825dc642cb6eb9a060e54bf8d69288fbee4904` },
      },
      author: null,
      committer: null,
      parents: [],
      files: [],
      stats: { additions: 0, deletions: 0, total: 0 },
    },
    urls,
  );
}

export function checkRun(state: GitHubState, repo: RepoState, run: CheckRunState, urls: Urls): JsonObject {
  const full = `${repo.owner}/${repo.name}`;
  const app = run.app
    ? complete(
        'integration',
        {
          id: run.appId ?? 15368,
          slug: run.app,
          node_id: nodeId('App', run.appId ?? 15368),
          owner: simpleUser(state.ensureUser(run.app === 'github-actions' ? 'github' : run.app, 'Organization'), urls),
          name: run.app === 'github-actions' ? 'GitHub Actions' : run.app,
          description: null,
          external_url: `${urls.web}/features/actions`,
          html_url: `${urls.web}/apps/${run.app}`,
          created_at: '2018-07-30T09:30:17Z',
          updated_at: '2024-04-10T20:33:16Z',
          permissions: { checks: 'write', metadata: 'read' },
          events: [],
        },
        urls,
      )
    : null;
  return complete(
    'check-run',
    {
      id: run.id,
      head_sha: run.sha,
      node_id: nodeId('CheckRun', run.id),
      external_id: '',
      url: `${urls.api}/repos/${full}/check-runs/${run.id}`,
      html_url: `${urls.web}/${full}/runs/${run.id}`,
      details_url: `${urls.web}/${full}/runs/${run.id}`,
      status: run.status,
      conclusion: run.conclusion,
      started_at: '2026-01-01T00:00:00Z',
      completed_at: run.status === 'completed' ? '2026-01-01T00:01:00Z' : null,
      output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${urls.api}/repos/${full}/check-runs/${run.id}/annotations` },
      name: run.name,
      check_suite: { id: run.id },
      app,
      pull_requests: [],
    },
    urls,
  );
}

function label(repo: RepoState, name: string, index: number, urls: Urls): JsonObject {
  return {
    id: repo.id * 100 + index,
    node_id: nodeId('Label', repo.id * 100 + index),
    url: `${urls.api}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(name)}`,
    name,
    // A string, not null: the pull request schema's labels do not allow null here.
    description: '',
    color: 'ededed',
    default: false,
  };
}

export function issue(state: GitHubState, repo: RepoState, i: IssueState | PullRequestState, urls: Urls): JsonObject {
  const full = `${repo.owner}/${repo.name}`;
  const u = `${urls.api}/repos/${full}/issues/${i.number}`;
  const isPull = 'head' in i;
  const author = isPull ? i.author : i.user;
  const assignees = (isPull ? [] : i.assignees).map((a) => simpleUser(state.ensureUser(a), urls));
  return complete(
    'issue',
    {
      id: i.id,
      node_id: nodeId(isPull ? 'PullRequest' : 'Issue', i.id),
      url: u,
      repository_url: `${urls.api}/repos/${full}`,
      labels_url: `${u}/labels{/name}`,
      comments_url: `${u}/comments`,
      events_url: `${u}/events`,
      html_url: `${urls.web}/${full}/${isPull ? 'pull' : 'issues'}/${i.number}`,
      number: i.number,
      state: i.state,
      state_reason: i.state === 'closed' ? 'completed' : null,
      title: i.title,
      body: i.body,
      user: simpleUser(state.ensureUser(author), urls),
      labels: i.labels.map((name, n) => label(repo, name, n, urls)),
      assignee: assignees[0] ?? null,
      assignees,
      milestone: null,
      locked: false,
      active_lock_reason: null,
      comments: repo.comments.filter((c) => c.issueNumber === i.number).length,
      closed_at: i.closedAt,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      author_association: association(state, repo, author),
      ...(isPull
        ? {
            pull_request: {
              url: `${urls.api}/repos/${full}/pulls/${i.number}`,
              html_url: `${urls.web}/${full}/pull/${i.number}`,
              diff_url: `${urls.web}/${full}/pull/${i.number}.diff`,
              patch_url: `${urls.web}/${full}/pull/${i.number}.patch`,
              merged_at: i.mergedAt,
            },
            draft: i.draft,
          }
        : {}),
    },
    urls,
  );
}

export function teamFull(org: OrgState, team: TeamState, urls: Urls): JsonObject {
  const u = `${urls.api}/organizations/${org.id}/team/${team.id}`;
  const orgUrl = `${urls.api}/orgs/${org.login}`;
  return complete(
    'team-full',
    {
      id: team.id,
      node_id: nodeId('Team', team.id),
      url: u,
      html_url: `${urls.web}/orgs/${org.login}/teams/${team.slug}`,
      name: team.name,
      slug: team.slug,
      description: null,
      privacy: team.privacy,
      notification_setting: 'notifications_enabled',
      permission: 'pull',
      members_url: `${u}/members{/member}`,
      repositories_url: `${u}/repos`,
      parent: null,
      members_count: [...team.members.values()].filter((m) => m.state === 'active').length,
      repos_count: 0,
      created_at: '2025-01-01T00:00:00Z',
      updated_at: '2025-01-01T00:00:00Z',
      type: 'organization',
      organization: {
        login: org.login,
        id: org.id,
        node_id: nodeId('Organization', org.id),
        url: orgUrl,
        repos_url: `${orgUrl}/repos`,
        events_url: `${orgUrl}/events`,
        hooks_url: `${orgUrl}/hooks`,
        issues_url: `${orgUrl}/issues`,
        members_url: `${orgUrl}/members{/member}`,
        public_members_url: `${orgUrl}/public_members{/member}`,
        avatar_url: `${urls.web}/avatars/u/${org.id}?v=4`,
        description: null,
        html_url: `${urls.web}/${org.login}`,
        has_organization_projects: true,
        has_repository_projects: true,
        public_repos: 0,
        public_gists: 0,
        followers: 0,
        following: 0,
        type: 'Organization',
        created_at: '2025-01-01T00:00:00Z',
        updated_at: '2025-01-01T00:00:00Z',
        archived_at: null,
      },
    },
    urls,
  );
}

export function teamMembership(org: OrgState, team: TeamState, login: string, m: { state: string; role: string }, urls: Urls): JsonObject {
  return { url: `${urls.api}/organizations/${org.id}/team/${team.id}/memberships/${login}`, role: m.role, state: m.state };
}

export function collaboratorPermission(state: GitHubState, repo: RepoState, user: UserState, urls: Urls): JsonObject {
  const role = state.permissionOf(repo, user.login);
  // `permission` names only the four classic levels; `role_name` names the role itself.
  const classic = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
  return {
    permission: classic,
    role_name: role,
    user:
      role === 'none'
        ? null
        : complete(
            'collaborator',
            {
              ...simpleUser(user, urls),
              permissions: { admin: role === 'admin', maintain: ['admin', 'maintain'].includes(role), push: ['admin', 'maintain', 'write'].includes(role), triage: role !== 'read', pull: true },
              role_name: role,
            },
            urls,
          ),
  };
}

export function branchRule(repo: RepoState, rule: BranchRuleState): JsonObject {
  const source = { ruleset_source_type: 'Repository', ruleset_source: `${repo.owner}/${repo.name}`, ruleset_id: rule.rulesetId };
  switch (rule.type) {
    case 'required_status_checks':
      return {
        type: rule.type,
        parameters: {
          strict_required_status_checks_policy: rule.strict ?? false,
          do_not_enforce_on_create: false,
          required_status_checks: rule.checks.map((c): JsonObject => (c.integrationId === undefined ? { context: c.context } : { context: c.context, integration_id: c.integrationId })),
        },
        ...source,
      };
    case 'pull_request':
      return {
        type: rule.type,
        parameters: {
          required_approving_review_count: rule.requiredApprovals,
          dismiss_stale_reviews_on_push: false,
          require_code_owner_review: false,
          require_last_push_approval: false,
          required_review_thread_resolution: false,
          allowed_merge_methods: ['merge', 'squash', 'rebase'],
        },
        ...source,
      };
    default:
      return { type: rule.type, ...source };
  }
}

/** `GET /repos/{o}/{r}/branches/{b}/protection`. */
export function branchProtection(repo: RepoState, branch: string, p: BranchProtectionState, urls: Urls): JsonObject {
  const url = `${urls.api}/repos/${repo.owner}/${repo.name}/branches/${branch}/protection`;
  return {
    url,
    required_status_checks: { url: `${url}/required_status_checks`, contexts: p.requiredChecks, checks: p.requiredChecks.map((context) => ({ context, app_id: null })), contexts_url: `${url}/required_status_checks/contexts`, strict: false },
    required_pull_request_reviews: { url: `${url}/required_pull_request_reviews`, dismiss_stale_reviews: false, require_code_owner_reviews: p.codeOwnerReviews, required_approving_review_count: p.requiredApprovals },
    enforce_admins: { url: `${url}/enforce_admins`, enabled: p.enforceAdmins },
    required_linear_history: { enabled: false },
    allow_force_pushes: { enabled: false },
    allow_deletions: { enabled: false },
    required_conversation_resolution: { enabled: false },
  };
}
