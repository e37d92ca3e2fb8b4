import * as assert from 'node:assert/strict';
import { codeOwnersRuleFor, ownersOf, parseCodeOwners } from '../../src/core/github/codeOwners';

// The examples of GitHub's documentation of CODEOWNERS, one per rule.
const FILE = `# Lines starting with '#' are comments.
*       @global-owner1 @global-owner2
*.js    @js-owner #This is an inline comment.
*.go docs@example.com
*.txt @octo-org/octocats
/build/logs/ @doctocat
docs/*  docs@example.com
apps/ @octocat
/docs/ @doctocat
/scripts/ @doctocat @octocat
**/logs @octocat
/apps/ @octocat
/apps/github
/payments/**/*.rb @acme/payments
\\#notes.md @escaped
`;

describe('CODEOWNERS, by GitHub rules', () => {
  const co = parseCodeOwners('.github/CODEOWNERS', FILE);
  const cases: [string, string[]][] = [
    ['README.md', ['@global-owner1', '@global-owner2']],
    ['src/index.js', ['@js-owner']],
    ['main.go', ['docs@example.com']],
    ['notes/a.txt', ['@octo-org/octocats']],
    ['build/logs/today.log', ['@octocat']], // **/logs, later, wins over /build/logs/
    ['build/logsX/today.log', ['@global-owner1', '@global-owner2']],
    ['docs/getting-started.md', ['@doctocat']], // /docs/ is later than docs/*
    ['deep/apps/x.rb', ['@octocat']], // apps/ matches at any depth
    ['apps/github/server.rb', []], // a pattern with no owners leaves the path unowned
    ['apps/other/server.rb', ['@octocat']],
    ['scripts/deploy.sh', ['@doctocat', '@octocat']],
    ['a/b/logs/c.txt', ['@octocat']],
    ['payments/api/v1/charge.rb', ['@acme/payments']],
    ['payments/charge.rb', ['@acme/payments']],
    ['#notes.md', ['@escaped']],
  ];
  for (const [path, owners] of cases) it(`${path} → ${owners.join(' ') || 'no owners'}`, () => assert.deepEqual(ownersOf(co, path), owners));

  it('docs/* owns the direct files of docs, not deeper ones', () => {
    const only = parseCodeOwners('CODEOWNERS', 'docs/* @docs\n');
    assert.deepEqual(ownersOf(only, 'docs/a.md'), ['@docs']);
    assert.deepEqual(ownersOf(only, 'docs/build/a.md'), []);
  });

  it('is case-sensitive, as GitHub is', () => {
    const only = parseCodeOwners('CODEOWNERS', '/src/Auth/ @auth\n');
    assert.deepEqual(ownersOf(only, 'src/Auth/login.ts'), ['@auth']);
    assert.deepEqual(ownersOf(only, 'src/auth/login.ts'), []);
  });

  it('says which line decided, and reports the lines GitHub ignores', () => {
    assert.equal(codeOwnersRuleFor(co, 'src/index.js')?.line, 3);
    const bad = parseCodeOwners('CODEOWNERS', '!keep.js @a\n[Ss]rc/ @b\n/ok/ @c\n');
    assert.equal(bad.rules.length, 1);
    assert.equal(bad.problems.length, 2);
    assert.match(bad.problems[0], /^CODEOWNERS:1: .*GitHub ignores the line/);
  });
});
