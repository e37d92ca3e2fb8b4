// Builds (once, then caches) the synthetic repository the benchmark measures: 100,000 tracked files
// in a monorepo layout, a base branch `main` that moved on after the feature branched, and a feature
// branch whose change touches 1,000 paths (committed, staged, unstaged and untracked; modifications,
// additions, deletions and renames), plus a generated policy of 500 zone globs with content patterns.
// Everything is derived from a seeded generator, so every machine builds the same repository.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { promises as fs, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mulberry32 } from '../src/core/seededRandom';

/** Bump when the layout, the change or the policy changes: the cache is keyed by it. */
export const SYNTHETIC_VERSION = 'v3';

export interface SyntheticOptions {
  files: number;
  /** Total paths in the change (committed + staged + unstaged + untracked). */
  changed: number;
  globs: number;
  rebuild?: boolean;
  log?: (line: string) => void;
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = { files: 100_000, changed: 1_000, globs: 500 };

export interface ChangeMix {
  committed: { modified: number; added: number; deleted: number; renamed: number; commits: number };
  staged: { modified: number; added: number; deleted: number; renamed: number };
  unstaged: { modified: number; deleted: number };
  untracked: number;
  /** Files of the change given a line that some content pattern of the policy watches. */
  withRiskyLine: number;
  /** Files changed on `main` after the branch point (not part of the change). */
  mainMovedOn: number;
}

export interface SyntheticRepo {
  root: string;
  baseBranch: string;
  /** Every path of the base tree (the matching benchmark's input). */
  paths: string[];
  policyPath: string;
  policyGlobs: number;
  contentZones: number;
  zones: number;
  mix: ChangeMix;
  expectedChanged: number;
  /** Time to build it now; 0 when the cached copy was used. */
  buildMs: number;
  cached: boolean;
  cacheDir: string;
}

interface Ready {
  version: string;
  options: { files: number; changed: number; globs: number };
  mix: ChangeMix;
  expectedChanged: number;
  policyGlobs: number;
  zones: number;
  contentZones: number;
  buildMs: number;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness


class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
  shuffle<T>(list: T[]): T[] {
    for (let i = list.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  }
}

// ---------------------------------------------------------------------------------------------
// Layout

const pad = (n: number, width = 3) => String(n).padStart(width, '0');

export const SERVICES = 250;
export const PACKAGES = 150;

/** Folders under a service's or package's src/. */
export const SRC_DIRS = [
  'api', 'handlers', 'models', 'auth', 'billing', 'payments', 'utils', 'config', 'secure', 'db',
  'jobs', 'events', 'clients', 'middleware', 'routes', 'services', 'lib', 'internal', 'crypto', 'metrics',
] as const;
const SUB_DIRS = ['v1', 'v2', 'common', 'core', 'adapters', 'dto', 'schemas', 'validators', 'mappers', 'legacy', 'admin', 'public'];
const NAMES = [
  'index', 'handler', 'service', 'controller', 'model', 'repository', 'client', 'utils', 'types', 'helpers',
  'config', 'schema', 'validator', 'mapper', 'factory', 'store', 'router', 'worker', 'queue', 'cache',
  'session', 'token', 'permission', 'policy', 'user', 'account', 'order', 'invoice', 'payment', 'report',
  'exporter', 'importer', 'parser', 'formatter', 'logger', 'metrics', 'events', 'notifier', 'scheduler', 'gateway',
];

type Lang = 'ts' | 'go' | 'py' | 'java' | 'rb';
const LANG_OF_SERVICE: readonly Lang[] = ['ts', 'ts', 'go', 'py', 'java', 'rb', 'ts', 'go'];
const MANIFEST: Record<Lang, string> = { ts: 'package.json', go: 'go.mod', py: 'pyproject.toml', java: 'pom.xml', rb: 'Gemfile' };

function capital(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

function sourceFile(rng: Rng, lang: Lang, k: number): { name: string; ext: string } {
  const base = rng.pick(NAMES);
  const suffix = k > 0 ? String(k) : '';
  switch (lang) {
    case 'ts': {
      const ext = rng.pick(['ts', 'ts', 'ts', 'tsx', 'js', 'json', 'd.ts']);
      return { name: `${base}${suffix}`, ext };
    }
    case 'go':
      return { name: `${base}${suffix}${rng.float() < 0.3 ? '_test' : ''}`, ext: 'go' };
    case 'py':
      return { name: `${base}${suffix}`, ext: rng.pick(['py', 'py', 'py', 'pyi']) };
    case 'java':
      return { name: `${capital(base)}${suffix}${rng.pick(['', 'Controller', 'Service', 'Impl', 'Test'])}`, ext: 'java' };
    case 'rb':
      return { name: `${base}${suffix}${rng.float() < 0.2 ? '_spec' : ''}`, ext: rng.pick(['rb', 'rb', 'erb']) };
  }
}

/** One random source path inside a unit (a service or a package). */
function unitSourcePath(rng: Rng, unit: string, lang: Lang, k: number): string {
  const { name, ext } = sourceFile(rng, lang, k);
  const dir = rng.pick(SRC_DIRS);
  const r = rng.float();
  const sub = r < 0.55 ? '' : r < 0.9 ? `/${rng.pick(SUB_DIRS)}` : `/${rng.pick(SUB_DIRS)}/${rng.pick(SUB_DIRS)}`;
  if (lang === 'java') return `${unit}/src/main/java/com/acme/${path.posix.basename(unit)}/${dir}${sub}/${name}.${ext}`;
  if (rng.float() < 0.08) return `${unit}/test/${dir}${sub}/${name}.${lang === 'ts' ? 'test.ts' : ext}`;
  return `${unit}/src/${dir}${sub}/${name}.${ext}`;
}

function miscPath(rng: Rng, k: number): string {
  const r = rng.float();
  if (r < 0.3) return `docs/${rng.pick(['guides', 'adr', 'runbooks', 'api', 'onboarding'])}/${rng.pick(NAMES)}-${k}.md`;
  if (r < 0.45) return `infra/terraform/${rng.pick(['prod', 'staging', 'dev'])}/${rng.pick(['network', 'db', 'iam', 'dns', 'cache', 'queue'])}-${k}.tf`;
  if (r < 0.55) return `infra/k8s/${rng.pick(['base', 'overlays/prod', 'overlays/staging'])}/${rng.pick(NAMES)}-${k}.yaml`;
  if (r < 0.7) return `tools/${rng.pick(['scripts', 'codegen', 'lint'])}/${rng.pick(NAMES)}_${k}.${rng.pick(['sh', 'py', 'js'])}`;
  if (r < 0.8) return `db/migrations/2024${pad(k % 10000, 4)}_${rng.pick(NAMES)}.sql`;
  if (r < 0.9) return `config/${rng.pick(['prod', 'staging', 'dev'])}/${rng.pick(NAMES)}-${k}.yml`;
  if (r < 0.95) return `proto/${rng.pick(['billing', 'users', 'orders', 'events'])}/${rng.pick(NAMES)}_${k}.proto`;
  return `docs/guides/Guide ${k} — ${rng.pick(['Ünïcode', 'naïve café', 'space name'])}.md`;
}

export interface Layout {
  paths: string[];
  /** Where a new file can be created: the unit and its language. */
  units: { unit: string; lang: Lang }[];
}

/** Every path of the base tree, deterministic for a given count. */
export function generateLayout(files: number, seed = 1): Layout {
  const rng = new Rng(seed);
  const seen = new Set<string>();
  const paths: string[] = [];
  const add = (p: string) => {
    if (seen.has(p) || paths.length >= files) return false;
    seen.add(p);
    paths.push(p);
    return true;
  };
  for (const p of ['.gitignore', '.github/change-control.yml', '.github/CODEOWNERS', 'README.md', 'package.json', 'Makefile']) add(p);
  for (const wf of ['ci', 'deploy', 'release', 'nightly', 'lint']) add(`.github/workflows/${wf}.yml`);

  const units: { unit: string; lang: Lang; weight: number }[] = [];
  for (let i = 0; i < SERVICES; i++) units.push({ unit: `services/s${pad(i)}`, lang: LANG_OF_SERVICE[i % LANG_OF_SERVICE.length], weight: 0.5 + rng.float() * 2 });
  for (let i = 0; i < PACKAGES; i++) units.push({ unit: `packages/p${pad(i)}`, lang: 'ts', weight: 0.3 + rng.float() });
  const miscShare = 0.07;
  const unitBudget = Math.floor(files * (1 - miscShare));
  const totalWeight = units.reduce((s, u) => s + u.weight, 0);

  for (const u of units) {
    const fixed =
      u.unit.startsWith('services/')
        ? ['README.md', 'Dockerfile', MANIFEST[u.lang], 'config/dev.yml', 'config/staging.yml', 'config/prod.yml', `db/migrations/0001_init.sql`, `db/migrations/0002_${path.posix.basename(u.unit)}.sql`]
        : ['README.md', 'package.json', 'tsconfig.json', 'src/index.ts'];
    for (const f of fixed) add(`${u.unit}/${f}`);
    const budget = Math.max(fixed.length, Math.round((unitBudget * u.weight) / totalWeight));
    let made = fixed.length;
    for (let k = 0, misses = 0; made < budget && misses < 200; k++) {
      if (add(unitSourcePath(rng, u.unit, u.lang, k % 7 === 0 ? 0 : k))) made++;
      else misses++;
    }
  }
  for (let k = 0; paths.length < files; k++) add(miscPath(rng, k));
  return { paths, units: units.map(({ unit, lang }) => ({ unit, lang })) };
}

// ---------------------------------------------------------------------------------------------
// Contents

/** Lines that the generated policy's content patterns watch (each matches at least one zone's pattern). */
export const RISKY_LINES = [
  'const dbPassword = process.env.DB_PASSWORD_SECRET; password: hunter2',
  'eval(userInput); // TODO: remove',
  'DROP TABLE accounts;',
  'api_key = "sk_live_0123456789"',
  'requests.get(url, verify=False)',
  '-----BEGIN RSA PRIVATE KEY-----',
  'const agent = new https.Agent({ rejectUnauthorized: false });',
  'os.system(cmd)',
  'FEATURE_NEW_CHECKOUT = true',
  'const cipher = crypto.createCipher("aes192", key);',
];

function commentPrefix(p: string): string {
  if (/\.(py|pyi|rb|erb|sh|yml|yaml|tf|toml)$/.test(p) || p.endsWith('Dockerfile') || p.endsWith('Gemfile') || p.endsWith('Makefile') || p.endsWith('.gitignore')) return '#';
  if (/\.(sql)$/.test(p)) return '--';
  if (/\.(md)$/.test(p)) return '<!--';
  return '//';
}

/** A file's base content: unique per path (so renames are detected by similarity, not by chance). */
export function baseContent(p: string, seed: number): string {
  if (p === '.gitignore') return 'node_modules/\ndist/\n*.log\n.cache/\n';
  const rng = new Rng(seed);
  const c = commentPrefix(p);
  const lines = [`${c} ${p}`, `${c} generated for the change-control benchmark`];
  const n = 8 + rng.int(24);
  if (p.endsWith('.sql')) {
    for (let i = 0; i < n; i++) lines.push(i % 4 === 0 ? `CREATE TABLE t_${seed}_${i} (id bigint primary key, name text);` : `  -- column note ${seed}.${i}`);
  } else if (p.endsWith('.md')) {
    for (let i = 0; i < n; i++) lines.push(`Paragraph ${i} of ${path.posix.basename(p)}: notes ${rng.int(1e6)}.`);
  } else if (/\.(ya?ml)$/.test(p)) {
    for (let i = 0; i < n; i++) lines.push(`key_${i}: value-${rng.int(1e6)}`);
  } else if (p.endsWith('.json')) {
    return `{\n  "name": ${JSON.stringify(p)},\n  "version": "1.${rng.int(50)}.0",\n  "private": true\n}\n`;
  } else {
    for (let i = 0; i < n; i++) lines.push(`fn_${i}(a, b) { return a * ${rng.int(1000)} + b; } ${c} ${seed}.${i}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A modification: a few lines changed in the middle, one appended, and maybe a risky line. */
function modifiedContent(p: string, before: string, rng: Rng, risky: string | null, tag: string): string {
  const lines = before.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const at = 2 + rng.int(Math.max(1, lines.length - 2));
  lines[Math.min(at, lines.length - 1)] = `${lines[Math.min(at, lines.length - 1)]} /* ${tag} */`;
  if (risky) lines.splice(Math.min(at + 1, lines.length), 0, risky);
  lines.push(`${commentPrefix(p)} changed on the feature branch (${tag})`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Policy

export interface GeneratedPolicy {
  text: string;
  globs: number;
  zones: number;
  contentZones: number;
}

const DIR_WORDS = [
  'auth', 'authn', 'authz', 'oauth', 'sso', 'saml', 'crypto', 'secrets', 'vault', 'certs', 'billing', 'ledger',
  'invoicing', 'migrations', 'terraform', 'k8s', 'helm', 'deploy', 'infra', 'permissions', 'rbac', 'acl', 'security',
  'sessions', 'kms', 'pii', 'gdpr', 'audit', 'compliance', 'fraud', 'risk', 'tokens', 'keys', 'identity', 'iam',
  'sox', 'hipaa', 'pci', 'signing', 'licensing',
];
const EXTENSIONS = [
  'sql', 'tf', 'tfvars', 'hcl', 'pem', 'key', 'crt', 'p12', 'pfx', 'jks', 'proto', 'graphql', 'gql', 'prisma', 'env',
  'sh', 'ps1', 'bat', 'der', 'kdbx', 'lock', 'snap', 'min.js', 'xsd', 'wsdl', 'gradle', 'kts', 'bazel', 'bzl', 'nix',
  'rego', 'cue', 'jsonnet', 'libsonnet', 'avsc', 'thrift', 'wasm', 'so', 'dylib', 'dll',
];
const BASENAMES = [
  'Dockerfile', 'package.json', 'go.mod', 'go.sum', 'Makefile', 'Jenkinsfile', 'pom.xml', 'build.gradle', 'Gemfile', 'Gemfile.lock',
  'pyproject.toml', 'requirements.txt', 'Cargo.toml', 'tsconfig.json', 'CODEOWNERS', '.npmrc', 'docker-compose.yml', 'Procfile',
  'serverless.yml', 'fly.toml', 'app.yaml', 'schema.prisma', 'structure.sql', 'schema.rb', 'settings.py', 'web.config',
  'nginx.conf', 'Chart.yaml', 'values.yaml', 'kustomization.yaml',
];
const REST_GLOBS = [
  '**/*secret*', '**/*_integration_test.go', '**/*AuthController.java', '**/*CryptoImpl.java', '**/v[0-9]*/admin/**', '**/*-prod.*',
  '**/*_migration*', '**/*Auth*', '**/*Token*', '**/*password*', '**/*credential*', '**/*.{e2e,contract}.{ts,js}', '**/*_policy_spec.rb',
  '**/[Ss]ecurity*', '**/*.gen.*', '**/*_pb2.py', '**/*Permission*', '**/*-secret.*', '**/*Session*Filter.java', '**/*.local.*',
];

/** A policy with `globs` zone globs in a realistic mix, some zones content-gated. */
export function generatePolicy(globs: number): GeneratedPolicy {
  interface ZoneSpec {
    id: string;
    title: string;
    level: string;
    paths: string[];
    exclude?: string[];
    content?: string[];
    ignoreCase?: boolean;
  }
  const zones: ZoneSpec[] = [];
  // Content zones first: they are what the changed-lines pass reads.
  const contentZones: ZoneSpec[] = [
    { id: 'c-secrets-config', title: 'Secrets in configuration', level: 'critical', paths: ['**/config/**', '**/*.env'], content: ['\\b(password|passwd|secret|api[_-]?key|token)\\s*[:=]'], ignoreCase: true },
    { id: 'c-sql-destructive', title: 'Destructive SQL', level: 'critical', paths: ['**/*.sql', '**/db/**'], content: ['\\b(DROP|TRUNCATE)\\s+TABLE\\b', '\\bDELETE\\s+FROM\\s+\\w+\\s*;'], ignoreCase: true },
    { id: 'c-code-injection', title: 'Code injection sinks', level: 'critical', paths: ['services/s00[0-9]/src/**/*.{ts,js,py,rb}'], content: ['\\beval\\(', '\\bnew Function\\(', 'child_process', 'os\\.system\\(', 'subprocess\\.'] },
    { id: 'c-private-keys', title: 'Private keys', level: 'critical', paths: ['**/*.{pem,key}', '**/certs/**', 'services/*/src/secure/**'], content: ['-----BEGIN (RSA |EC |OPENSSH )?PRIVATE KEY-----'] },
    { id: 'c-tls-verify', title: 'TLS verification off', level: 'elevated', paths: ['services/*/src/clients/**', 'packages/*/src/clients/**'], content: ['verify\\s*=\\s*False', 'rejectUnauthorized\\s*:\\s*false', 'InsecureSkipVerify:\\s*true'] },
    { id: 'c-env-secrets', title: 'Secrets read from the environment', level: 'elevated', paths: ['packages/p00[0-9]/src/**'], content: ['process\\.env\\.[A-Z_]*(SECRET|PASSWORD|TOKEN)'] },
    { id: 'c-weak-crypto', title: 'Weak cryptography', level: 'elevated', paths: ['**/crypto/**', 'services/*/src/auth/**/*.ts'], content: ['createCipher\\(', "createHash\\(['\"]md5", 'Math\\.random\\(\\)'] },
    { id: 'c-feature-flags', title: 'Feature flags flipped', level: 'elevated', paths: ['services/*/src/config/**', 'packages/*/src/config/**'], content: ['\\bkillswitch\\b', '\\bFEATURE_[A-Z_]+\\s*=\\s*true'] },
    { id: 'c-shell', title: 'Shell execution', level: 'elevated', paths: ['tools/**/*.{sh,py}', 'services/s1[0-2]*/src/jobs/**'], content: ['\\bos\\.system\\(', '\\bsubprocess\\.(call|run|Popen)\\(.*shell=True', '\\beval\\s'] },
    { id: 'c-api-keys', title: 'Hard-coded API keys', level: 'critical', paths: ['services/*/src/clients/**/*.{ts,js,py}', 'packages/*/src/api/**'], content: ['\\b(sk|pk)_(live|test)_[0-9a-zA-Z]{8,}', 'api_key\\s*=\\s*"'] },
  ];
  zones.push(...contentZones);

  const pathGlobs: string[] = [];
  const svc = (i: number) => `services/s${pad(i % SERVICES)}`;
  const pkg = (i: number) => `packages/p${pad(i % PACKAGES)}`;
  const SENSITIVE = ['auth', 'billing', 'secure', 'crypto', 'payments'];
  const TAILS = ['**', '*.ts', '**/*.{ts,go,py}', 'internal/**'];
  const DEEP = ['src/auth', 'src/billing', 'src/payments', 'config', 'db', 'src/secure', 'src/crypto', 'src/middleware'];
  const categories: { title: string; make: (i: number) => string; count: number }[] = [
    // Literal prefix folders: a few whole services, mostly their sensitive folders.
    { title: 'Service', make: (i) => (i < 25 ? `${svc(i * 10)}/**` : `${svc(i * 7 + 3)}/${DEEP[i % DEEP.length]}/**`), count: 120 },
    { title: 'Service auth and billing', make: (i) => `${svc(i * 4 + 1)}/src/{auth,billing}/**`, count: 60 },
    { title: 'Package', make: (i) => (i < 10 ? `${pkg(i * 15)}/**` : i % 2 ? `${pkg(i)}/src/secure/**` : `${pkg(i)}/src/{auth,crypto}/**/*.ts`), count: 80 },
    { title: 'Package folder', make: (i) => `packages/*/src/${SENSITIVE[i % SENSITIVE.length]}/${TAILS[Math.floor(i / SENSITIVE.length) % TAILS.length]}`, count: 20 },
    { title: 'Folder anywhere', make: (i) => `**/${DIR_WORDS[i % DIR_WORDS.length]}/**`, count: 40 },
    { title: 'File type', make: (i) => `**/*.${EXTENSIONS[i % EXTENSIONS.length]}`, count: 40 },
    { title: 'Well-known file', make: (i) => `**/${BASENAMES[i % BASENAMES.length]}`, count: 30 },
    {
      title: 'Exact file',
      make: (i) =>
        [`config/prod/app-${i}.yml`, `.github/workflows/deploy.yml`, `.github/workflows/release.yml`, `infra/terraform/prod/main-${i}.tf`, 'Makefile', `.github/CODEOWNERS`][i % 6] +
        (i >= 6 && i % 6 >= 1 && i % 6 <= 2 ? `.${i}` : ''),
      count: 30,
    },
    { title: 'Pattern', make: (i) => REST_GLOBS[i % REST_GLOBS.length], count: 20 },
    {
      title: 'Service folder',
      make: (i) =>
        i < 20
          ? `services/*/src/${SENSITIVE[i % SENSITIVE.length]}/${TAILS[Math.floor(i / SENSITIVE.length) % TAILS.length]}`
          : `services/s1${i % 10}*/config/{prod,staging}.yml`,
      count: Infinity,
    },
  ];
  const contentGlobs = contentZones.reduce((s, z) => s + z.paths.length, 0);
  let remaining = globs - contentGlobs;
  const levels = ['elevated', 'critical'];
  let zoneNo = 0;
  for (const cat of categories) {
    const count = Math.min(cat.count, remaining);
    if (count <= 0) break;
    remaining -= count;
    const made: string[] = [];
    for (let i = 0; i < count; i++) made.push(cat.make(i));
    // Zones of 3 to 8 globs each, like a team would group them.
    for (let i = 0, size = 5; i < made.length; i += size, size = 3 + ((i / 5) % 6)) {
      zoneNo++;
      const paths = made.slice(i, i + size);
      pathGlobs.push(...paths);
      zones.push({
        id: `z${pad(zoneNo)}-${cat.title.toLowerCase().replace(/[^a-z]+/g, '-')}`,
        title: `${cat.title} zone ${zoneNo}`,
        level: levels[zoneNo % levels.length],
        paths,
        ...(zoneNo % 4 === 0 ? { exclude: ['**/test/**', '**/*.md'] } : {}),
      });
    }
  }

  const q = (s: string) => JSON.stringify(s);
  const out: string[] = [
    '# Generated by bench/synthetic.ts: 500 zone globs in a realistic mix, some zones content-gated.',
    'version: 1',
    'name: Synthetic benchmark policy',
    'base: main',
    'levels:',
    '  - id: standard',
    '    title: Standard',
    '    checklist: [tests]',
    '  - id: elevated',
    '    title: Elevated',
    '    checklist: [tests, signoff]',
    '  - id: critical',
    '    title: Critical',
    '    checklist: [tests, signoff, security-review]',
    'checklist:',
    '  tests:',
    '    kind: command',
    '    title: Tests pass',
    '    run: npm test',
    '  signoff:',
    '    kind: signoff',
    '    title: Signed off',
    '  security-review:',
    '    kind: attestation',
    '    title: Security review done',
    'zones:',
  ];
  for (const z of zones) {
    out.push(`  ${z.id}:`, `    title: ${q(z.title)}`, `    level: ${z.level}`, `    paths:`);
    for (const p of z.paths) out.push(`      - ${q(p)}`);
    if (z.exclude) out.push(`    exclude: [${z.exclude.map(q).join(', ')}]`);
    if (z.content) {
      out.push('    content:');
      for (const c of z.content) out.push(`      - ${q(c)}`);
    }
    if (z.ignoreCase) out.push('    ignoreCase: true');
  }
  return { text: `${out.join('\n')}\n`, globs: contentGlobs + pathGlobs.length, zones: zones.length, contentZones: contentZones.length };
}

// ---------------------------------------------------------------------------------------------
// Git plumbing

function git(cwd: string, args: string[], input?: string | Buffer, okCodes: number[] = [0]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (okCodes.includes(code ?? -1)) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`git ${args.join(' ')} failed (${code}): ${Buffer.concat(err).toString('utf8').trim()}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** Streams a fast-import script into git with back-pressure (the repository never sits in memory whole). */
class FastImport {
  private readonly child;
  private parts: Buffer[] = [];
  private size = 0;
  private readonly done: Promise<void>;
  private mark = 0;
  constructor(cwd: string) {
    this.child = spawn('git', ['fast-import', '--quiet'], { cwd, stdio: ['pipe', 'inherit', 'inherit'] });
    this.done = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import failed (${code})`))));
    });
  }
  private async raw(text: string | Buffer): Promise<void> {
    const b = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    this.parts.push(b);
    this.size += b.length;
    if (this.size > 1 << 20) await this.flush();
  }
  private async flush(): Promise<void> {
    if (!this.size) return;
    const chunk = Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    if (!this.child.stdin.write(chunk)) await once(this.child.stdin, 'drain');
  }
  async commit(ref: string, message: string, time: number, from: number | null, ops: { path: string; content?: string }[]): Promise<number> {
    const mark = ++this.mark;
    const msg = Buffer.from(message, 'utf8');
    await this.raw(`commit ${ref}\nmark :${mark}\ncommitter Bench <bench@example.invalid> ${time} +0000\ndata ${msg.length}\n`);
    await this.raw(msg);
    await this.raw(`\n${from !== null ? `from :${from}\n` : ''}`);
    for (const op of ops) {
      const quoted = quotePath(op.path);
      if (op.content === undefined) {
        await this.raw(`D ${quoted}\n`);
        continue;
      }
      const data = Buffer.from(op.content, 'utf8');
      await this.raw(`M 100644 inline ${quoted}\ndata ${data.length}\n`);
      await this.raw(data);
      await this.raw('\n');
    }
    await this.raw('\n');
    return mark;
  }
  async end(): Promise<void> {
    await this.flush();
    this.child.stdin.end();
    await this.done;
  }
}

function quotePath(p: string): string {
  return /^"|[\n\\"]/.test(p) ? JSON.stringify(p) : p;
}

// ---------------------------------------------------------------------------------------------
// The change

interface PlannedChange {
  mix: ChangeMix;
  commits: { path: string; content?: string }[][];
  mainAdvance: { path: string; content?: string }[];
  staged: { write: Map<string, string>; remove: string[] };
  unstaged: { write: Map<string, string>; remove: string[] };
  untracked: Map<string, string>;
}

function planChange(layout: Layout, contents: (p: string) => string, changed: number): PlannedChange {
  const rng = new Rng(42);
  const scale = changed / 1000;
  const n = (x: number) => Math.max(1, Math.round(x * scale));
  const mix: ChangeMix = {
    committed: { modified: n(400), added: n(60), deleted: n(40), renamed: n(50), commits: 5 },
    staged: { modified: n(150), added: n(20), deleted: n(10), renamed: n(10) },
    unstaged: { modified: n(150), deleted: n(10) },
    untracked: 0,
    withRiskyLine: 0,
    mainMovedOn: n(200),
  };
  const sum = (o: Record<string, number>) => Object.entries(o).reduce((s, [k, v]) => (k === 'commits' ? s : s + v), 0);
  mix.untracked = changed - sum(mix.committed) - sum(mix.staged) - sum(mix.unstaged);

  // Only files a developer edits: source and config, never the policy itself or .gitignore.
  const pool = rng.shuffle(layout.paths.filter((p) => !p.startsWith('.git') && !p.startsWith('.github/change-control')));
  let cursor = 0;
  const take = (k: number) => pool.slice(cursor, (cursor += k));
  const existing = new Set(layout.paths);
  const fresh = (k: number, prefix: string): string[] => {
    const out: string[] = [];
    for (let i = 0; out.length < k; i++) {
      const u = rng.pick(layout.units);
      const p = unitSourcePath(rng, u.unit, u.lang, 1000 + i).replace(/\/([^/]+)$/, `/${prefix}$1`);
      if (!existing.has(p)) {
        existing.add(p);
        out.push(p);
      }
    }
    return out;
  };
  const renameTarget = (p: string): string => {
    const dir = path.posix.dirname(p);
    const base = path.posix.basename(p);
    const r = rng.float();
    const target = r < 0.5 ? `${dir}/renamed_${base}` : r < 0.8 ? `${dir.replace(/\/src\//, '/src/legacy/')}/${base}` : `${dir}/../moved/${base}`;
    const norm = path.posix.normalize(target);
    if (existing.has(norm)) return renameTarget(`${dir}/x${base}`);
    existing.add(norm);
    return norm;
  };
  let riskyCount = 0;
  let tagNo = 0;
  const risky = () => {
    if (rng.float() >= 0.2) return null;
    riskyCount++;
    return rng.pick(RISKY_LINES);
  };
  const modify = (p: string) => modifiedContent(p, contents(p), rng, risky(), `t${++tagNo}`);
  const newFile = (p: string) => {
    const r = risky();
    const body = baseContent(p, 7_000_000 + ++tagNo);
    return r ? body.replace(/\n/, `\n${r}\n`) : body;
  };

  // Committed: spread over several commits; renames keep most of the content (similarity).
  const committedOps: { path: string; content?: string }[] = [];
  for (const p of take(mix.committed.modified)) committedOps.push({ path: p, content: modify(p) });
  for (const p of fresh(mix.committed.added, 'new_')) committedOps.push({ path: p, content: newFile(p) });
  for (const p of take(mix.committed.deleted)) committedOps.push({ path: p });
  for (const p of take(mix.committed.renamed)) {
    committedOps.push({ path: p });
    committedOps.push({ path: renameTarget(p), content: rng.float() < 0.5 ? contents(p) : modify(p) });
  }
  rng.shuffle(committedOps);
  // Spread over the commits: a rename's delete and add may land in different commits, which the
  // diff from the merge-base still reports as one rename.
  const commits: { path: string; content?: string }[][] = Array.from({ length: mix.committed.commits }, () => []);
  committedOps.forEach((op, i) => commits[i % commits.length].push(op));

  const staged = { write: new Map<string, string>(), remove: [] as string[] };
  for (const p of take(mix.staged.modified)) staged.write.set(p, modify(p));
  for (const p of fresh(mix.staged.added, 'staged_')) staged.write.set(p, newFile(p));
  for (const p of take(mix.staged.deleted)) staged.remove.push(p);
  for (const p of take(mix.staged.renamed)) {
    staged.remove.push(p);
    staged.write.set(renameTarget(p), contents(p));
  }

  const unstaged = { write: new Map<string, string>(), remove: [] as string[] };
  for (const p of take(mix.unstaged.modified)) unstaged.write.set(p, modify(p));
  for (const p of take(mix.unstaged.deleted)) unstaged.remove.push(p);

  const untracked = new Map<string, string>();
  for (const p of fresh(mix.untracked, 'wip_')) untracked.set(p, newFile(p));

  // `main` moved on after the branch point, on files the change does not touch.
  const mainAdvance: { path: string; content?: string }[] = take(mix.mainMovedOn).map((p) => ({ path: p, content: modifiedContent(p, contents(p), rng, null, `main${++tagNo}`) }));
  mix.withRiskyLine = riskyCount;
  return { mix, commits, mainAdvance, staged, unstaged, untracked };
}

// ---------------------------------------------------------------------------------------------
// Build

async function writeFiles(root: string, files: Map<string, string>): Promise<void> {
  const entries = [...files];
  const dirs = new Set(entries.map(([p]) => path.dirname(path.join(root, p))));
  for (const d of dirs) await fs.mkdir(d, { recursive: true });
  for (let i = 0; i < entries.length; i += 64) {
    await Promise.all(entries.slice(i, i + 64).map(([p, c]) => fs.writeFile(path.join(root, p), c)));
  }
}

/** Returns the synthetic repository, building it unless a complete cached copy of this version exists. */
export async function ensureSyntheticRepo(options: SyntheticOptions = DEFAULT_SYNTHETIC): Promise<SyntheticRepo> {
  const log = options.log ?? (() => undefined);
  const key = `${SYNTHETIC_VERSION}-${options.files}-${options.changed}-${options.globs}`;
  const cacheDir = path.join(os.tmpdir(), `change-control-bench-${key}`);
  const root = path.join(cacheDir, 'repo');
  const readyFile = path.join(cacheDir, 'ready.json');
  const layout = generateLayout(options.files);
  const policy = generatePolicy(options.globs);
  const result = (ready: Ready, buildMs: number, cached: boolean): SyntheticRepo => ({
    root,
    baseBranch: 'main',
    paths: layout.paths,
    policyPath: '.github/change-control.yml',
    policyGlobs: ready.policyGlobs,
    zones: ready.zones,
    contentZones: ready.contentZones,
    mix: ready.mix,
    expectedChanged: ready.expectedChanged,
    buildMs,
    cached,
    cacheDir,
  });

  if (!options.rebuild && existsSync(readyFile) && existsSync(path.join(root, '.git'))) {
    try {
      const ready = JSON.parse(await fs.readFile(readyFile, 'utf8')) as Ready;
      if (ready.version === SYNTHETIC_VERSION) {
        await git(root, ['rev-parse', '--verify', '-q', 'main^{commit}']);
        log(`Using the cached synthetic repository at ${root} (built in ${(ready.buildMs / 1000).toFixed(1)} s).`);
        return result(ready, 0, true);
      }
    } catch {
      /* rebuild below */
    }
  }

  const started = performance.now();
  log(`Building the synthetic repository at ${root} (${options.files.toLocaleString('en-US')} files, ${options.changed.toLocaleString('en-US')} changed)…`);
  await fs.rm(cacheDir, { recursive: true, force: true });
  await fs.mkdir(root, { recursive: true });
  await git(root, ['init', '-q', '-b', 'feature']);
  await git(root, ['config', 'user.name', 'Bench']);
  await git(root, ['config', 'user.email', 'bench@example.invalid']);
  await git(root, ['config', 'gc.auto', '0']);

  const seedOf = new Map<string, number>();
  layout.paths.forEach((p, i) => seedOf.set(p, i + 1));
  const contents = (p: string) => (p === '.github/change-control.yml' ? policy.text : baseContent(p, seedOf.get(p) ?? 0));
  const plan = planChange(layout, contents, options.changed);

  const fi = new FastImport(root);
  const t0 = 1_700_000_000;
  const initial = await fi.commit(
    'refs/heads/main',
    'Initial import',
    t0,
    null,
    layout.paths.map((p) => ({ path: p, content: contents(p) })),
  );
  let parent = initial;
  for (let i = 0; i < plan.commits.length; i++) {
    parent = await fi.commit('refs/heads/feature', `Feature work, part ${i + 1}`, t0 + 3600 * (i + 1), parent, plan.commits[i]);
  }
  await fi.commit('refs/heads/main', 'Unrelated work on main after the branch point', t0 + 3600 * 10, initial, plan.mainAdvance);
  await fi.end();
  log(`  fast-import done in ${((performance.now() - started) / 1000).toFixed(1)} s; checking out…`);

  await git(root, ['-c', 'checkout.workers=0', 'reset', '-q', '--hard', 'feature']);
  log(`  checkout done in ${((performance.now() - started) / 1000).toFixed(1)} s; applying staged, unstaged and untracked work…`);

  // Staged work: written, then recorded in the index.
  await writeFiles(root, plan.staged.write);
  for (const p of plan.staged.remove) await fs.rm(path.join(root, p));
  const stagedPaths = [...plan.staged.write.keys(), ...plan.staged.remove];
  await git(root, ['update-index', '--add', '--remove', '-z', '--stdin'], `${stagedPaths.join('\0')}\0`);
  // Unstaged work and untracked files.
  await writeFiles(root, plan.unstaged.write);
  for (const p of plan.unstaged.remove) await fs.rm(path.join(root, p));
  await writeFiles(root, plan.untracked);
  // Ignored build output, which `ls-files --others --exclude-standard` must skip.
  const ignored = new Map<string, string>();
  for (let i = 0; i < 400; i++) ignored.set(`node_modules/dep${i % 40}/lib/file${i}.js`, `module.exports = ${i};\n`);
  for (let i = 0; i < 100; i++) ignored.set(`packages/p${pad(i % PACKAGES)}/dist/index${i}.js`, `exports.x = ${i};\n`);
  for (let i = 0; i < 20; i++) ignored.set(`services/s${pad(i)}/server-${i}.log`, 'log\n');
  await writeFiles(root, ignored);

  // A settled index: wait past the racy-git window, then refresh the stat cache once, as an editor's
  // own `git status` would; otherwise every measured diff would re-hash racily clean files.
  await new Promise((r) => setTimeout(r, 1100));
  await git(root, ['update-index', '-q', '--refresh'], undefined, [0, 1]);
  await git(root, ['status', '--porcelain'], undefined, [0]);

  const mix = plan.mix;
  const expectedChanged =
    mix.committed.modified + mix.committed.added + mix.committed.deleted + mix.committed.renamed +
    mix.staged.modified + mix.staged.added + mix.staged.deleted + mix.staged.renamed +
    mix.unstaged.modified + mix.unstaged.deleted + mix.untracked;
  const buildMs = performance.now() - started;
  const ready: Ready = {
    version: SYNTHETIC_VERSION,
    options: { files: options.files, changed: options.changed, globs: options.globs },
    mix,
    expectedChanged,
    policyGlobs: policy.globs,
    zones: policy.zones,
    contentZones: policy.contentZones,
    buildMs,
  };
  await fs.writeFile(readyFile, JSON.stringify(ready, null, 2));
  log(`  built in ${(buildMs / 1000).toFixed(1)} s.`);
  return result(ready, buildMs, false);
}
