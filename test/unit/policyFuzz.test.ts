// A deterministic fuzz of the policy loader: mutations of the presets (lines deleted, duplicated,
// swapped, re-indented; values of another type; odd characters) must each load as a valid policy
// or fail as a ChangeControlError whose every problem has a file, line and column — never an
// internal error, never a hang.
import assert from 'node:assert/strict';
import { ChangeControlError } from '../../src/core/errors';
import { parsePolicyText } from '../../src/core/policy/load';
import { PRESETS, PRESET_NAMES } from '../../src/core/policy/presets';
import { mulberry32 } from '../../src/core/seededRandom';


const VALUES = ['[]', '{}', '123', '-1', '0.5', 'true', 'null', '~', '""', '"x"', '[a, b]', '{a: 1}', '*nowhere', '&anchor x', '!!binary AAAA', '2026-13-45', 'constructor', '__proto__', '"' + 'y'.repeat(200) + '"'];
const ODD = ['\t', '\u0000', '\uFEFF', '\u2028', '"', "'", '{', '}', '[', ']', '&', '*', '? ', ': ', '- ', '#', '%', '@', '`', '|', '>', '\\', 'é', '😀', '\r'];

function mutate(text: string, random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  let lines = text.split('\n');
  const steps = 1 + Math.floor(random() * 3);
  for (let s = 0; s < steps; s++) {
    const i = Math.floor(random() * lines.length);
    const j = Math.floor(random() * lines.length);
    switch (Math.floor(random() * 7)) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines.splice(i, 0, lines[i] ?? '');
        break;
      case 2:
        [lines[i], lines[j]] = [lines[j], lines[i]];
        break;
      case 3: {
        const line = lines[i] ?? '';
        const colon = line.indexOf(': ');
        lines[i] = colon >= 0 ? `${line.slice(0, colon + 2)}${pick(VALUES)}` : `${line}${pick(VALUES)}`;
        break;
      }
      case 4: {
        const line = lines[i] ?? '';
        const at = Math.floor(random() * (line.length + 1));
        lines[i] = line.slice(0, at) + pick(ODD) + line.slice(at);
        break;
      }
      case 5:
        lines[i] = random() < 0.5 ? ` ${lines[i] ?? ''}` : (lines[i] ?? '').replace(/^ {1,2}/, '');
        break;
      default:
        lines = lines.slice(0, Math.max(1, i));
    }
  }
  return lines.join('\n');
}

describe('policy loader fuzz', () => {
  it('every mutation of a preset is a valid policy or a policy error with positions', function () {
    this.timeout(60_000);
    // Seeded, so every run tries the same mutations.
    const random = mulberry32(20261202);
    const started = Date.now();
    let valid = 0;
    let rejected = 0;
    for (let n = 0; n < 400; n++) {
      const preset = PRESET_NAMES[n % PRESET_NAMES.length];
      const text = mutate(PRESETS[preset], random);
      try {
        parsePolicyText(text, 'policy.yml');
        valid++;
      } catch (err) {
        if (!(err instanceof ChangeControlError)) assert.fail(`mutation ${n} of ${preset} gave ${String(err)}\n---\n${text}`);
        rejected++;
        for (const p of err.problems) {
          assert.ok(p.file === 'policy.yml' && p.line > 0 && p.column > 0, `mutation ${n} of ${preset}: a problem without a position: ${JSON.stringify(p)}\n---\n${text}`);
        }
      }
    }
    if (process.env.FUZZ_VERBOSE) process.stdout.write(`${valid} valid, ${rejected} rejected\n`);
    assert.ok(valid > 0 && rejected > 0, `both outcomes occur (${valid} valid, ${rejected} rejected)`);
    // Loose: the whole loop, on a slow shared machine; a pathological input takes far longer.
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
  });
});
