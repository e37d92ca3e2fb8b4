// Everything that validates text from outside — the policy parser (yaml, zod and the schema) and
// the evidence record's schema, and YAML for the few files read as such — in one module, which the CLI's bundle loads as its own file
// (dist/validators.js) only when it must parse: most of a run's code otherwise (see validators()).
export { loadPreset, parsePolicyText } from './policy/load';
export { policyJsonSchema } from './policy/schema';
export { EvidenceSchema } from './checklist/evidenceSchema';
export { parse as parseYaml } from 'yaml';
