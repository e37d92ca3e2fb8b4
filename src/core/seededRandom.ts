// One seeded pseudo-random generator for everything that must be reproducible from a seed: the
// benchmark's synthetic repository, the policy fuzz test, and (soon) the audit's `--sample N --seed S`.
// mulberry32: 32 bits of state, uniform floats in [0, 1); the same seed gives the same sequence on
// every platform.

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
