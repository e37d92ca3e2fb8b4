import assert from 'node:assert/strict';
import picomatch from 'picomatch';
import { expandBraces, GlobIndex } from '../../src/core/rules/globIndex';

describe('GlobIndex', () => {
  const globs = [
    'src/auth/**',
    '**/*.sql',
    '**/migrations/**',
    '**/Dockerfile',
    '.github/workflows/**',
    'README.md',
    'packages/*/src/secure/**',
    '**/*{Auth,Session}{Controller,Service}.*',
    '**/{.env,.env.*}',
    '**/db/schema.rb',
    'infra/',
    '**/*.d.ts',
    '*.tf',
    '**/x?.js',
    '**/auth/**',
    '**/*.env',
    'packages/*/src/**',
    'services/s0[0-4]*/**',
    'a/**/b',
    'lib/**/*.rb',
    '**/*_controller.rb',
    'src/*.ts',
  ];
  const paths = [
    'src/auth/login.ts',
    'src/authx/login.ts',
    'db/init.sql',
    'a/b/c/migrations/001.exs',
    'migrations/x',
    'services/api/Dockerfile',
    'Dockerfile',
    'Dockerfile.dev',
    '.github/workflows/ci.yml',
    'README.md',
    'docs/README.md',
    'packages/core/src/secure/key.ts',
    'packages/core/lib/secure/key.ts',
    'app/UserAuthController.rb',
    'app/SessionService.java',
    'app/AuthorService.java',
    '.env',
    'config/.env.production',
    'backend/db/schema.rb',
    'infra/main.tf',
    'types/index.d.ts',
    'main.tf',
    'mod/main.tf',
    'src/x1.js',
    'src/x12.js',
    'src/auth/new\nline.ts',
    'lib/auth',
    'auth',
    '.env',
    'app/.env',
    'db/.sql',
    'packages/a/src/x.ts',
    'packages/a/b/src/x.ts',
    'services/s03x/y',
    'services/s05/y',
    'a/b',
    'a/x/y/b',
    'lib/a.rb',
    'lib/x/y/a.rb',
    'app/controllers/users_controller.rb',
    'src/a.ts',
    'src/sub/a.ts',
  ];

  it('finds exactly what picomatch finds, glob by glob', () => {
    const index = new GlobIndex(globs.map((glob, i) => ({ glob, value: i })));
    for (const path of paths) {
      const expected = globs
        .map((g, i) => [g.endsWith('/') ? `${g}**` : g, i] as const)
        .filter(([g]) => new RegExp(picomatch.makeRe(g, { dot: true }).source, 's').test(path))
        .map(([, i]) => i)
        .sort((a, b) => a - b);
      assert.deepEqual(index.match(path).sort((a, b) => a - b), expected, path);
    }
  });

  it('agrees with picomatch on random globs and paths', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const names = ['a', 'b', 'src', 'auth', '.env', 'x.ts', 'y.sql', 'a.b.c', 'Auth.ts'];
    const globParts = ['a', 'b', 'src', 'auth', '*', '**', '*.ts', '*.sql', '.env', 'x?.ts', '{a,b}', '*.{ts,sql}', 'A*.ts', '[ab]'];
    const randomGlobs = Array.from({ length: 300 }, () => Array.from({ length: 1 + rand(4) }, () => globParts[rand(globParts.length)]).join('/'));
    const randomPaths = Array.from({ length: 300 }, () => Array.from({ length: 1 + rand(4) }, () => names[rand(names.length)]).join('/'));
    const index = new GlobIndex(randomGlobs.map((glob, i) => ({ glob, value: i })));
    const res = randomGlobs.map((g) => new RegExp(picomatch.makeRe(g, { dot: true }).source, 's'));
    for (const path of randomPaths) {
      const expected = res.flatMap((re, i) => (re.test(path) ? [i] : []));
      assert.deepEqual(index.match(path).sort((a, b) => a - b), expected, `${path}: ${expected.map((i) => randomGlobs[i]).join(' ')}`);
    }
  });

  it('returns each value once when several of its globs match', () => {
    const index = new GlobIndex([
      { glob: 'src/**', value: 'a' },
      { glob: '**/*.ts', value: 'a' },
    ]);
    assert.deepEqual(index.match('src/x.ts'), ['a']);
  });

  it('expands nested and sequential braces', () => {
    assert.deepEqual(expandBraces('a/{b,c}/{d,e{f,g}}'), ['a/b/d', 'a/b/ef', 'a/b/eg', 'a/c/d', 'a/c/ef', 'a/c/eg']);
    assert.deepEqual(expandBraces('{single}'), ['{single}']);
    assert.deepEqual(expandBraces('no-braces'), ['no-braces']);
  });
});
