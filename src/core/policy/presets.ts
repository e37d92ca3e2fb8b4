// The built-in policies. Each is kept as commented YAML so that one text is both what the engine
// loads for a preset and what `change-control init` writes for a team to edit.

const TWO_TIER = `# Change Control policy (preset: two-tier).
# Modelled on a regular/significant code change process with an emergency path.
# Reference: https://github.com/changecontrol/change-control#policy-reference
version: 1
name: Two-tier change control

# Levels, least risky first. A change gets the highest level any rule below raises it to;
# a change no rule touches is the first level.
levels:
  - id: regular
    title: Regular
    description: A routine change, reviewed and tested.
    checklist: [tests, reviews-resolved, signoff]
  - id: significant
    title: Significant
    description: Architectural, auth, schema beyond adding and removing columns, several components, security-sensitive or core business logic.
    checklist: [tests, reviews-resolved, owner-approval, e2e-local, signoff, post-review]

# What a level (or zone) can require. Kinds: command, attestation, approval, review,
# reviews-resolved, change-request, signoff, notification, post-review.
checklist:
  tests:
    kind: command
    title: All automated tests pass
    run: auto            # npm test, mix test, go test ./..., pytest, cargo test, ... as the project uses
  reviews-resolved:
    kind: reviews-resolved
    title: All review comments addressed
  owner-approval:
    kind: approval
    title: Final approval from a code owner
    from:
      codeOwners: true   # or name people: users: ["@octocat"], teams: ["@acme/leads"]
  e2e-local:
    kind: attestation
    title: Ran it locally and tested end to end
  signoff:
    kind: signoff
    title: Formal sign-off recorded
  security-review:
    kind: attestation
    title: Security review done for this sensitive change
    required: false
  post-review:
    kind: post-review
    title: Post-implementation review after deploying
    required: false
  reviewer:
    kind: review
    title: Reviewed by at least one reviewer
  notify-owner:
    kind: attestation
    title: The owner was notified of the emergency change
  documented:
    kind: change-request
    title: Documented after the fact
    fields: [description, rollback-plan]

# Named areas of the code. A change touching a zone is raised to the zone's level.
# With \`content\`, the zone fires only when a changed line matches one of the patterns.
zones:
  auth:
    title: Authentication and authorization
    level: significant
    paths:
      - "**/{auth,authn,authz,authentication,authorization,oauth,oauth2,oidc,saml,sso,login,sessions,permissions,rbac,acl,guardian,devise,passport}/**"
      - "**/{auth,authn,authz,authentication,authorization,oauth,session,sessions,login,permissions,rbac,acl,jwt,passport}.*"
      - "**/*{_auth,-auth,.auth,_authentication,_authorization,_permissions,_session,_sessions,_policy}.*"
      - "**/*{Auth,Authentication,Authorization,Permission,Permissions,Session}{Controller,Service,Provider,Guard,Filter,Middleware,Handler,Manager,Config,Configuration}.*"
      - "**/middleware/{auth,session}*"
      - "**/{sessions,session,passwords,registrations,omniauth_callbacks,confirmations,unlocks,logins,tokens}_controller.*"
  security:
    title: Security-sensitive code
    level: significant
    checklist: [security-review]
    paths:
      - "**/{security,crypto,cryptography,secrets,vault,certs,certificates,ssl,tls}/**"
      - "**/*.{pem,key,crt,p12,pfx,jks}"
      - "**/{.env,.env.*}"
      - "**/{CODEOWNERS,SECURITY.md}"
  security-code:
    title: Security-sensitive code (secrets, crypto, injection)
    level: significant
    checklist: [security-review]
    paths: ["**/*.{js,jsx,ts,tsx,mjs,cjs,py,rb,ex,exs,go,java,kt,scala,rs,php,cs}"]
    exclude: ["**/{test,tests,spec,__tests__,__mocks__,fixtures}/**", "**/*.{test,spec}.*", "**/*_test.*"]
    content:
      - "-----BEGIN (RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"
      - "\\\\b(AKIA|ASIA)[0-9A-Z]{16}\\\\b"
      - "\\\\b(dangerouslySetInnerHTML|eval\\\\(|new Function\\\\(|child_process|subprocess\\\\.|os\\\\.system\\\\(|Runtime\\\\.getRuntime|pickle\\\\.loads|yaml\\\\.load\\\\(|Marshal\\\\.load|Code\\\\.eval_string|:os\\\\.cmd)"
      - "\\\\b(verify\\\\s*=\\\\s*False|rejectUnauthorized\\\\s*:\\\\s*false|InsecureSkipVerify\\\\s*:\\\\s*true|ssl_verify\\\\s*=\\\\s*false)"
      - "\\\\b(bcrypt|scrypt|argon2|pbkdf2|createHash|createCipher\\\\w*|createHmac|hashlib|Cipher\\\\.getInstance|SecureRandom|:crypto\\\\.)"
  schema:
    title: Data models and database schema
    level: significant
    paths:
      - "**/db/schema.rb"
      - "**/db/structure.sql"
      - "**/prisma/schema.prisma"
      - "**/schema.{sql,graphql,gql}"
      - "**/{models,schemas}.py"
      - "**/priv/repo/structure.sql"
  infrastructure:
    title: Infrastructure and CI/CD
    level: significant
    paths:
      - ".github/workflows/**"
      - ".github/actions/**"
      - ".gitlab-ci.yml"
      - ".circleci/**"
      - "Jenkinsfile"
      - "**/*.{tf,tfvars,hcl}"
      - "**/{terraform,infra,infrastructure,deploy,deployment,k8s,kubernetes,helm,charts,ansible}/**"
      - "**/{Dockerfile,Dockerfile.*,docker-compose*.yml,docker-compose*.yaml,compose.yml,compose.yaml,fly.toml,Procfile,app.yaml,serverless.yml}"
  core-logic:
    title: Core business logic (billing and payments)
    level: significant
    paths:
      - "**/{billing,payments,payment,invoicing,invoices,ledger,checkout,pricing,subscriptions}/**"
  policy:
    title: The change-control policy itself
    level: significant
    paths: [".github/change-control.{yml,yaml}", ".change-control.{yml,yaml}"]

# Components: a change touching this many components is significant. Inferred from workspaces,
# umbrella apps, Go modules, Cargo workspaces, else top-level folders that hold code.
components:
  infer: true
  threshold: 2
  level: significant

# Database migrations: adding and removing columns is routine; anything else is significant.
migrations:
  level: significant
  allowed: [add_column, remove_column]

# The emergency path: declared by the developer, it replaces the level's checklist and
# requires a post-implementation review afterwards.
emergency:
  title: Emergency
  description: A critical bug fix or security patch that cannot wait for the full process.
  checklist: [reviewer, notify-owner]
  postReview:
    within: 48h
    checklist: [documented, post-review]

# Freeze windows: dates when changes are blocked (mode: block) or need the emergency path.
freeze: []
#  - title: Year-end freeze
#    from: 2026-12-20
#    until: 2027-01-02
#    mode: emergency-only
`;

const ITIL = `# Change Control policy (preset: itil).
# Modelled on an ITIL-style process: standard, normal and emergency changes, a change request
# with deployment and rollback plans, and approval by a Change Advisory Board (CAB).
# Reference: https://github.com/changecontrol/change-control#policy-reference
version: 1
name: ITIL change management

levels:
  - id: standard
    title: Standard
    description: Low-risk, routine change following a pre-approved template (e.g. a copy update). Team lead approval.
    checklist: [tests, team-lead-approval, signoff, notify-deploy]
  - id: normal
    title: Normal
    description: A change with potential production impact (a feature, an infrastructure change). CAB approval.
    checklist: [tests, change-request, cab-approval, signoff, notify-deploy, post-review]

checklist:
  tests:
    kind: command
    title: All automated tests pass
    run: auto
  team-lead-approval:
    kind: approval
    title: Approved by the team lead
    from:
      teams: ["@your-org/team-leads"]
  cab-approval:
    kind: approval
    title: Approved by the Change Advisory Board
    from:
      teams: ["@your-org/cab"]
  emergency-approval:
    kind: approval
    title: Approved by the Head of Engineering and the on-call Incident Commander
    allOf:           # both must approve, two different people
      - title: Head of Engineering
        teams: ["@your-org/head-of-engineering"]
      - title: On-call Incident Commander
        teams: ["@your-org/incident-commanders"]
  change-request:
    kind: change-request
    title: Change request complete
    fields: [description, category, deployment-plan, rollback-plan, risk-assessment]
  signoff:
    kind: signoff
    title: Change request approved and signed off
  notify-deploy:
    kind: notification
    title: "Announce the deployment before and after in #deployments"
    targets: [deployments]
  post-review:
    kind: post-review
    title: Change request updated with the outcome (post-implementation review)
  cab-retrospective:
    kind: post-review
    title: Retrospective review by the full CAB
    within: 48h

zones:
  application:
    title: Application code
    level: normal
    paths: ["**"]
    exclude:
      - "**/*.{md,mdx,rst,txt,adoc}"
      - "{docs,doc}/**"
      - "**/{locales,locale,i18n,l10n,translations}/**"
      - "**/*.{po,pot,xliff,strings}"
  infrastructure:
    title: Infrastructure (Terraform)
    level: normal
    paths: ["**/*.{tf,tfvars,hcl}", "**/{terraform,infra,infrastructure}/**"]
  configuration:
    title: Configuration (AppConfig)
    level: normal
    paths: ["**/{appconfig,config,configuration}/**", "**/*.{env,ini,properties}"]
  database:
    title: Database changes
    level: normal
    paths: ["**/{migrations,migrate}/**", "**/*.sql"]

emergency:
  title: Emergency
  description: Deployed immediately to resolve a critical production incident (e.g. a P1 hotfix).
  checklist: [tests, emergency-approval, notify-deploy]
  postReview:
    within: 48h
    checklist: [change-request, cab-retrospective]

# Who is told, and when. The webhook URL is a secret and never goes in this file: \`secret\` names
# the environment variable that holds it (the editor keeps it in its secret storage). A deploy
# pipeline runs \`change-control notify --phase before\` and \`--phase after\`.
notify:
  deployments:
    title: "#deployments"
    kind: slack                      # a Slack incoming webhook; \`webhook\` posts a generic JSON document
    secret: DEPLOYMENTS_WEBHOOK
    on: [before-deploy, after-deploy]

freeze: []
`;

export const PRESETS = { 'two-tier': TWO_TIER, itil: ITIL } as const;

/** One line per preset, for pickers and help. */
export const PRESET_DESCRIPTIONS: Record<keyof typeof PRESETS, string> = {
  'two-tier': 'Regular and significant changes, with an emergency path (the default)',
  itil: 'ITIL-style standard and normal changes with a change request, CAB approval and an emergency path',
};
export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}
