// GitHub's GraphQL API as the GitHub double answers it: every query is validated against GitHub's
// published schema (@octokit/graphql-schema), then executed over that schema from the double's
// state. Only what Change Control asks is answered (a pull request's review threads); any other
// field resolves to null, which the schema's non-null rules turn into an error.
import { buildClientSchema, execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { readFileSync } from 'node:fs';
import type { Urls } from './githubBodies';
import { packageFile } from './githubOpenApi';
import type { GitHubState, PullRequestState, RepoState, ReviewThreadState } from './githubState';
import type { Auth } from './githubRoutes';

let schema: GraphQLSchema | undefined;

/** GitHub's schema, read once per process. (Its SDL file defines a field twice; the JSON does not.) */
export function githubSchema(): GraphQLSchema {
  if (!schema) {
    const introspection = JSON.parse(readFileSync(packageFile('@octokit/graphql-schema', 'schema.json'), 'utf8')) as IntrospectionQuery | { data: IntrospectionQuery };
    schema = buildClientSchema('data' in introspection ? introspection.data : introspection);
  }
  return schema;
}

export interface GraphqlAnswer {
  body: unknown;
  /** What GitHub would have refused: the double records each as a violation. */
  problems: string[];
}

interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const cursorOf = (index: number) => Buffer.from(`cursor:v2:${index}`).toString('base64');

function indexOf(cursor: string, field: string): number {
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) throw githubError('INVALID_CURSOR_ARGUMENTS', `\`${cursor}\` does not appear to be a valid cursor.`, field);
  return Number(m[1]);
}

function githubError(type: string, message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type, field } });
}

/** A connection page the way GitHub pages one: first/last at most 100, opaque cursors. */
function connection<T, R>(items: T[], args: ConnectionArgs, field: string, render: (item: T) => R) {
  for (const key of ['first', 'last'] as const) {
    const n = args[key];
    if (n !== undefined && n !== null && (n < 0 || n > 100)) {
      throw githubError('EXCESSIVE_PAGINATION', `Requesting ${n} records on the \`${field}\` connection exceeds the \`${key}\` limit of 100 records.`, field);
    }
  }
  if ((args.first ?? null) === null && (args.last ?? null) === null) {
    throw githubError('MISSING_PAGINATION_BOUNDARIES', `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`, field);
  }
  let start = args.after ? indexOf(args.after, field) + 1 : 0;
  let end = args.before ? indexOf(args.before, field) : items.length;
  if (args.first !== undefined && args.first !== null) end = Math.min(end, start + args.first);
  if (args.last !== undefined && args.last !== null) start = Math.max(start, end - args.last);
  const slice = items.slice(start, end);
  const edges = slice.map((item, i) => ({ cursor: cursorOf(start + i), node: render(item) }));
  return {
    totalCount: items.length,
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

function thread(state: GitHubState, repo: RepoState, pr: PullRequestState, t: ReviewThreadState, urls: Urls) {
  const author = t.author ? state.ensureUser(t.author) : undefined;
  const comment = {
    id: Buffer.from(`PRRC_${t.commentId}`).toString('base64'),
    databaseId: t.commentId,
    url: `${urls.web}/${repo.owner}/${repo.name}/pull/${pr.number}#discussion_r${t.commentId}`,
    path: t.path,
    author: author ? { __typename: author.type === 'Bot' ? 'Bot' : 'User', login: author.login, url: `${urls.web}/${author.login}` } : null,
  };
  return {
    id: Buffer.from(`PRRT_${t.id}`).toString('base64'),
    isResolved: t.resolved,
    isOutdated: t.outdated,
    isCollapsed: t.resolved,
    path: t.path,
    line: t.outdated ? null : t.line,
    originalLine: t.line,
    comments: (args: ConnectionArgs) => connection([comment], args, 'comments', (c) => c),
  };
}

function rootValue(state: GitHubState, auth: Auth, urls: Urls) {
  return {
    viewer: () => ({ login: auth.user.login }),
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = state.repo(`${owner}/${name}`);
      const visible = repo && (!repo.private || (state.permissionOf(repo, auth.user.login) !== 'none' && (!auth.token.scopes || auth.token.scopes.includes('repo'))));
      if (!repo || !visible) throw githubError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`, 'repository');
      return {
        name: repo.name,
        nameWithOwner: `${repo.owner}/${repo.name}`,
        pullRequest: ({ number }: { number: number }) => {
          const pr = repo.pulls.get(number);
          if (!pr) throw githubError('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${number}.`, 'pullRequest');
          return {
            number: pr.number,
            title: pr.title,
            reviewThreads: (args: ConnectionArgs) => connection(pr.threads, args, 'reviewThreads', (t) => thread(state, repo, pr, t, urls)),
          };
        },
      };
    },
  };
}

const REFUSED_TYPES = new Set(['EXCESSIVE_PAGINATION', 'MISSING_PAGINATION_BOUNDARIES', 'INVALID_CURSOR_ARGUMENTS']);

/** Answers one POST /graphql body. HTTP status is always 200, as GitHub's is for GraphQL errors. */
export async function answerGraphql(state: GitHubState, auth: Auth, body: unknown, urls: Urls): Promise<GraphqlAnswer> {
  const request = body as { query?: unknown; variables?: unknown; operationName?: unknown } | null;
  if (!request || typeof request.query !== 'string') {
    return { body: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] }, problems: ['the GraphQL body has no query string'] };
  }
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (err) {
    const message = (err as Error).message;
    return { body: { errors: [{ message: `Parse error: ${message}` }] }, problems: [`the query does not parse: ${message}`] };
  }
  const invalid = validate(githubSchema(), document);
  if (invalid.length) {
    return {
      body: { errors: invalid.map((e) => ({ path: [], extensions: { code: 'undefinedField' }, locations: e.locations, message: e.message })) },
      problems: invalid.map((e) => `query: ${e.message}`),
    };
  }
  const result = await execute({
    schema: githubSchema(),
    document,
    rootValue: rootValue(state, auth, urls),
    variableValues: (request.variables ?? {}) as Record<string, unknown>,
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
  });
  const problems: string[] = [];
  const errors = (result.errors ?? []).map((e) => {
    const type = typeof e.extensions.type === 'string' ? e.extensions.type : undefined;
    if (!type || REFUSED_TYPES.has(type)) problems.push(`query: ${e.message}`);
    return { ...(type ? { type } : {}), path: e.path, locations: e.locations, message: e.message };
  });
  return { body: { data: result.data ?? null, ...(errors.length ? { errors } : {}) }, problems };
}
