// Remembers a validated policy file under the repository's git directory, keyed by its text and
// by the build that validated it, so that the CLI (a process per command) parses a policy once
// per edit, not once per run. Only a policy that passed validation is stored; any problem
// reading or writing the cache is a miss, never an error.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RepositoryState } from '../core/change/change';
import type { PolicyCache } from '../core/policy/source';
import type { Policy } from '../core/policy/schema';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The cache for this repository, or undefined when there is no bundled parser to name the build by
 * (out of a bundle, as in the tests compiled to out/): `build` must change whenever validation could.
 */
export function gitDirPolicyCache(repo: Pick<RepositoryState, 'commonDir'>, build: string | undefined = bundledParserBuild()): PolicyCache | undefined {
  if (build === undefined) return undefined;
  const dir = path.join(repo.commonDir, 'change-control', 'cache');
  // One file per policy file name: a new text replaces the old entry, so the cache never grows.
  const fileOf = (file: string) => path.join(dir, `policy-${sha256(file).slice(0, 16)}.json`);
  const keyOf = (file: string, text: string) => sha256(`${build}\0${file}\0${text}`);
  return {
    get(file, text) {
      try {
        const entry = JSON.parse(fs.readFileSync(fileOf(file), 'utf8')) as { key?: unknown; policy?: unknown };
        return entry.key === keyOf(file, text) && entry.policy !== null && typeof entry.policy === 'object' ? (entry.policy as Policy) : undefined;
      } catch {
        return undefined;
      }
    },
    set(file, text, policy) {
      const target = fileOf(file);
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(tmp, JSON.stringify({ key: keyOf(file, text), policy }));
        fs.renameSync(tmp, target);
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
