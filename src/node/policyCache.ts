// Remembers a validated policy file under the repository's git directory, keyed by its text and
// by the build that validated it, so that the CLI (a process per command) parses a policy once
// per edit, not once per run. Only a policy that passed validation is stored; any problem
// reading or writing the cache is a miss, never an error.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RepositoryState } from '../core/change/change';
import type { LoadedPolicy, PolicyCache } from '../core/policy/source';
import type { Policy } from '../core/policy/schema';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The cache for this repository, or undefined when there is no bundled parser to name the build by
 * (out of a bundle, as in the tests compiled to out/): `build` must change whenever validation could.
 */
export function gitDirPolicyCache(repo: Pick<RepositoryState, 'commonDir'>, build: string | undefined = bundledParserBuild()): PolicyCache | undefined {
  if (build === undefined) return undefined;
  const dir = path.join(repo.commonDir, 'change-control', 'cache');
  // One entry per policy file name and build: a new text replaces the old entry, and two builds
  // in use side by side (a global install and a checkout's) do not evict each other.
  const fileOf = (file: string) => path.join(dir, `policy-${sha256(`${build}\0${file}`).slice(0, 16)}.json`);
  const keyOf = (file: string, text: string) => sha256(`${build}\0${file}\0${text}`);
  return {
    get(file, text) {
      try {
        const entry = JSON.parse(fs.readFileSync(fileOf(file), 'utf8')) as { key?: unknown; policy?: unknown; baseAt?: LoadedPolicy['baseAt'] };
        if (entry.key !== keyOf(file, text) || entry.policy === null || typeof entry.policy !== 'object') return undefined;
        return { policy: entry.policy as Policy, ...(entry.baseAt ? { baseAt: entry.baseAt } : {}) };
      } catch {
        return undefined;
      }
    },
    set(file, text, { policy, baseAt }) {
      const target = fileOf(file);
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(tmp, JSON.stringify({ key: keyOf(file, text), policy, baseAt }));
        fs.renameSync(tmp, target);
        prune(dir, target);
      } catch {
        try {
          fs.rmSync(tmp, { force: true });
        } catch {
          /* nothing was written */
        }
      }
    },
  };
}

/** Entries kept: enough for a few policy files and builds; a miss (a write) drops the oldest beyond it. */
const MAX_ENTRIES = 16;

function prune(dir: string, keep: string): void {
  const entries = fs
    .readdirSync(dir)
    .filter((f) => /^policy-[0-9a-f]+\.json$/.test(f))
    .map((f) => path.join(dir, f))
    .filter((f) => f !== keep);
  if (entries.length < MAX_ENTRIES) return;
  const byAge = entries.map((f) => ({ f, at: fs.statSync(f).mtimeMs })).sort((a, b) => a.at - b.at);
  for (const { f } of byAge.slice(0, entries.length - MAX_ENTRIES + 1)) fs.rmSync(f, { force: true });
}

declare const CHANGE_CONTROL_VERSION: string | undefined;

/** This build's parser: its bundle beside this one (dist/validators.js), by version, size and time. */
function bundledParserBuild(): string | undefined {
  try {
    const stat = fs.statSync(path.join(__dirname, 'validators.js'));
    return `${typeof CHANGE_CONTROL_VERSION === 'string' ? CHANGE_CONTROL_VERSION : 'dev'}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}
