// Owns what an approval item needs and whether the pull request's reviews give it: named users
// and teams ("N of"), groups that must all approve through different people ("all of"), the code
// owners of every changed file that has them, and the owners of every zone that fired. Only a
// reviewer's latest opinion counts, never the author's, never one without write access, and an
// approval of an earlier commit only when the item says so. A team membership the token cannot
// see never counts: the item fails and says why.
import { own } from '../own';
import { CODEOWNERS_FILES, ownersOf, type CodeOwners } from '../github/codeOwners';
import { isTeam, principal, type PullRequestFacts, type ReviewerFact } from '../github/pullRequest';
import type { Policy, PolicyChecklistItem } from '../policy/schema';
import type { ApprovalRequirement, ItemState } from '../assessment';

type ApprovalItem = Extract<PolicyChecklistItem, { kind: 'approval' }>;

export interface ApprovalInput {
  policy: Policy;
  /** Changed paths with the zones each is in. */
  files: readonly { path: string; zones: readonly string[] }[];
  zones: readonly string[];
  /** The base's CODEOWNERS; null when it has none; undefined when not looked up. */
  codeOwners?: CodeOwners | null;
  pullRequest?: PullRequestFacts;
  headSha: string | null;
}

export interface ApprovalResult {
  state: ItemState;
  why: string;
  approvals: ApprovalRequirement[];
  /** Pending only because an approval was given on an earlier commit than HEAD. */
  stale?: boolean;
}

interface Requirement extends ApprovalRequirement {
  /** Needs distinct people across every group (named approvers); owners of files or zones need not be distinct. */
  distinct: boolean;
  anyone: boolean;
}

export function evaluateApproval(item: ApprovalItem, input: ApprovalInput): ApprovalResult {
  const built = requirementsOf(item, input);
  if ('problem' in built) return { state: 'failed', why: built.problem, approvals: [] };
  const requirements = built.requirements;
  const facts = input.pullRequest;
  if (!facts) {
    return {
      state: 'pending',
      why: `Needs approval from ${requirements.map((r) => r.label).join(' and ')} on the pull request; read from GitHub at sign-off.`,
      approvals: requirements.map(publicView),
    };
  }

  const eligible = (r: ReviewerFact) => r.state === 'approved' && r.canWrite && (item.acceptEarlierCommits || r.commit === input.headSha);
  const approvers = facts.reviewers.filter(eligible);
  for (const req of requirements) {
    if (!req.distinct) req.approvedBy = approvers.filter((a) => matches(req, a) === 'yes').map((a) => `@${a.login}`).slice(0, 1);
  }
  assignDistinct(requirements.filter((r) => r.distinct), approvers);
  for (const req of requirements) req.satisfied = req.approvedBy.length >= req.needed;

  const views = requirements.map(publicView);
  const open = requirements.filter((r) => !r.satisfied);
  if (open.length === 0) {
    const by = [...new Set(requirements.flatMap((r) => r.approvedBy))];
    return { state: 'done', why: `Approved by ${by.join(', ')}${item.acceptEarlierCommits ? '' : ` at ${short(input.headSha)}`}.`, approvals: views };
  }

  // A membership the token cannot see could have satisfied it: fail closed and say so.
  const unseen = open.flatMap((req) =>
    facts.reviewers
      .filter((r) => eligible(r) && matches(req, r) === 'unknown')
      .map((r) => `@${r.login} in ${req.who.filter((w) => isTeam(w) && r.teams[principal(w)] !== 'member').join(' or ')}`),
  );
  if (unseen.length) {
    return {
      state: 'failed',
      why: `Cannot tell whether ${[...new Set(unseen)].join(', ')}: the token cannot see the team (it needs the read:org scope, or SSO authorisation for the organisation). Sign in with a token that can read the organisation's teams; an unseen membership never counts.`,
      approvals: views,
    };
  }

  const notes: string[] = [];
  let earlier = false;
  for (const r of facts.reviewers) {
    const relevant = open.some((req) => matches(req, r) === 'yes');
    if (!relevant) continue;
    if (r.state === 'changes-requested') notes.push(`@${r.login} requested changes`);
    else if (r.state === 'approved' && !r.canWrite) notes.push(`@${r.login} approved but has no write access, so it does not count`);
    else if (r.state === 'approved' && r.commit !== input.headSha && !item.acceptEarlierCommits) {
      earlier = true;
      notes.push(`@${r.login} approved ${short(r.commit)}, not HEAD (${short(input.headSha)}): ask for a new approval`);
    }
  }
  return {
    state: 'pending',
    why: `Still needs approval from ${open.map((r) => (r.needed > 1 ? `${r.needed - r.approvedBy.length} more of ${r.label}` : r.label)).join(' and ')}.${notes.length ? ` ${notes.join('; ')}.` : ''}`,
    approvals: views,
    ...(earlier ? { stale: true } : {}),
  };
}

/** Whether any approval item of the policy asks code owners (so assess must read the base's CODEOWNERS). */
export function asksCodeOwners(policy: Policy): boolean {
  return Object.values(policy.checklist).some((i) => i.kind === 'approval' && (i.from?.codeOwners || i.allOf?.some((g) => g.codeOwners)));
}

/** Every team an approval of this checklist could come from: the teams whose memberships a door must read. */
export function approvalTeams(approvals: readonly ApprovalRequirement[]): string[] {
  return [...new Set(approvals.flatMap((a) => a.who.filter(isTeam).map(principal)))].sort();
}

function requirementsOf(item: ApprovalItem, input: ApprovalInput): { requirements: Requirement[] } | { problem: string } {
  const groups = item.allOf ?? [{ ...(item.from ?? { users: [], teams: [], zoneOwners: false, codeOwners: false }), count: item.count, title: undefined }];
  const requirements: Requirement[] = [];
  for (const group of groups) {
    const named = [...group.users, ...group.teams].map(at);
    if (named.length) {
      requirements.push(requirement(group.title ?? named.join(' or '), named, group.count, true));
    }
    if (group.codeOwners) {
      const co = input.codeOwners;
      if (co === null || co === undefined) {
        return { problem: `No CODEOWNERS file on the base (${CODEOWNERS_FILES.join(', ')}), so no code owner can approve: add one on the base branch, or name the approvers with \`from: { users: [...] }\` in the policy.` };
      }
      const bySet = new Map<string, { owners: string[]; files: string[] }>();
      for (const f of input.files) {
        const owners = ownersOf(co, f.path);
        if (!owners.length) continue;
        const key = owners.map(principal).sort().join(' ');
        const entry = bySet.get(key) ?? { owners, files: [] };
        entry.files.push(f.path);
        bySet.set(key, entry);
      }
      if (bySet.size === 0) {
        return { problem: `No changed file has an owner in ${co.file}, so no code owner can approve: add owners for these paths on the base branch, or name the approvers in the policy.` };
      }
      for (const { owners, files } of bySet.values()) {
        const people = owners.filter((o) => o.startsWith('@'));
        if (!people.length) {
          return { problem: `${files[0]} is owned only by e-mail addresses in ${co.file} (${owners.join(', ')}), which cannot be matched to reviewers: name their GitHub accounts in ${co.file}.` };
        }
        const where = files.length > 1 ? `${files[0]} and ${files.length - 1} more` : files[0];
        requirements.push({ ...requirement(`a code owner of ${where} (${people.join(' or ')})`, people, 1, false), files });
      }
    }
    if (group.zoneOwners) {
      const owned = input.zones.filter((z) => (own(input.policy.zones, z)?.owners ?? []).length > 0);
      if (owned.length === 0) {
        return { problem: `None of the zones that fired (${input.zones.join(', ') || 'none'}) names \`owners\`, so no zone owner can approve: add owners to the zones in the policy.` };
      }
      for (const z of owned) {
        const zone = own(input.policy.zones, z)!;
        const who = zone.owners.map(at);
        requirements.push({ ...requirement(`an owner of the ${zone.title} zone (${who.join(' or ')})`, who, 1, false), zone: z });
      }
    }
    if (!named.length && !group.codeOwners && !group.zoneOwners) {
      requirements.push({ ...requirement(group.count > 1 ? `${group.count} reviewers with write access` : 'a reviewer with write access', [], group.count, true), anyone: true });
    }
  }
  return { requirements };
}

function requirement(label: string, who: string[], needed: number, distinct: boolean): Requirement {
  return { label, who, needed, approvedBy: [], satisfied: false, distinct, anyone: false };
}

function matches(req: Requirement, r: ReviewerFact): 'yes' | 'no' | 'unknown' {
  if (req.anyone) return 'yes';
  let unknown = false;
  for (const w of req.who) {
    const p = principal(w);
    if (!isTeam(w)) {
      if (p === r.login.toLowerCase()) return 'yes';
      continue;
    }
    const m = r.teams[p];
    if (m === 'member') return 'yes';
    if (m !== 'not-member') unknown = true;
  }
  return unknown ? 'unknown' : 'no';
}

/** Fills the named requirements' slots with different people (a small bipartite matching). */
function assignDistinct(requirements: Requirement[], approvers: readonly ReviewerFact[]): void {
  const slots = requirements.flatMap((req) => Array.from({ length: req.needed }, () => req));
  const holder = new Map<string, number>();
  const tryAssign = (s: number, seen: Set<string>): boolean => {
    for (const a of approvers) {
      if (seen.has(a.login) || matches(slots[s], a) !== 'yes') continue;
      seen.add(a.login);
      const other = holder.get(a.login);
      if (other === undefined || tryAssign(other, seen)) {
        holder.set(a.login, s);
        return true;
      }
    }
    return false;
  };
  slots.forEach((_, s) => tryAssign(s, new Set()));
  for (const [login, s] of holder) slots[s].approvedBy.push(`@${login}`);
}

function publicView(r: Requirement): ApprovalRequirement {
  return { label: r.label, who: r.who, needed: r.needed, approvedBy: r.approvedBy, satisfied: r.satisfied, ...(r.files ? { files: r.files } : {}), ...(r.zone ? { zone: r.zone } : {}) };
}

function at(name: string): string {
  return name.startsWith('@') ? name : `@${name}`;
}

function short(sha: string | null): string {
  return sha ? sha.slice(0, 7) : 'no commit';
}
