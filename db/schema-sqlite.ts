// The SQLite schema (the default database). Row types sit beside their tables; migrations in db/migrations/ are
// generated from this file. Query code imports db/schema.ts, which picks this file or db/schema-pg.ts.
import { sql } from "drizzle-orm";
import { ITEM_STATUSES, LAG_LEVELS, SEVERITIES, type LagLevel, type ScanProgress, type Severity } from "@/lib/core/types";
export type { LagLevel, ScanProgress, Severity };
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** A millisecond timestamp that defaults to the insert time. */
const timestampNow = (column: string) =>
  integer(column, { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

// ---- Accounts (better-auth's tables: property names are the library's field names) ----

export const user = sqliteTable("user", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
  image: text("image"),
  /** Administrators manage users, teams and settings, and see every team's connectors. */
  isAdmin: integer("is_admin", { mode: "boolean" }).notNull().default(false),
  /** A disabled user can't sign in; their sessions are revoked. */
  disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
  createdAt: timestampNow("created_at"),
  updatedAt: timestampNow("updated_at"),
});

export const session = sqliteTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    token: text("token").notNull().unique(),
    createdAt: timestampNow("created_at"),
    updatedAt: timestampNow("updated_at"),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
  },
  (t) => [index("session_user_idx").on(t.userId)],
);

export const account = sqliteTable(
  "account",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: integer("access_token_expires_at", { mode: "timestamp_ms" }),
    refreshTokenExpiresAt: integer("refresh_token_expires_at", { mode: "timestamp_ms" }),
    scope: text("scope"),
    password: text("password"),
    createdAt: timestampNow("created_at"),
    updatedAt: timestampNow("updated_at"),
  },
  (t) => [index("account_user_idx").on(t.userId)],
);

export const verification = sqliteTable("verification", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  createdAt: timestampNow("created_at"),
  updatedAt: timestampNow("updated_at"),
});

// ---- Teams and roles ----

export const TEAM_ROLES = ["security-lead", "reviewer", "maintainer", "viewer"] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** A user's role in one team. */
export interface Membership {
  teamId: number;
  teamName: string;
  role: TeamRole;
}

export const teams = sqliteTable("teams", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  createdAt: timestampNow("created_at"),
});

export const teamMembers = sqliteTable(
  "team_members",
  {
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    role: text("role", { enum: TEAM_ROLES }).notNull(),
    createdAt: timestampNow("created_at"),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("team_members_user_idx").on(t.userId)],
);

export const invitations = sqliteTable(
  "invitations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    teamId: integer("team_id").references(() => teams.id, { onDelete: "cascade" }),
    role: text("role", { enum: TEAM_ROLES }),
    makeAdmin: integer("make_admin", { mode: "boolean" }).notNull().default(false),
    /** SHA-256 of the invitation token; the token itself is shown once. */
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: text("invited_by").notNull(),
    createdAt: timestampNow("created_at"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    acceptedAt: integer("accepted_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("invitations_email_idx").on(t.email)],
);

/** The roles an API token can carry: CI registers and scans, or only reads. */
export const API_TOKEN_ROLES = ["maintainer", "viewer"] as const;

/** API tokens for CI: scoped to a team, stored as a SHA-256 hash, shown once. */
export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The first characters, shown in lists so people can tell tokens apart. */
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    role: text("role", { enum: API_TOKEN_ROLES }).notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: timestampNow("created_at"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("api_tokens_team_idx").on(t.teamId)],
);

// ---- The app's own security: sign-in attempts, security events, settings ----

export const signInAttempts = sqliteTable(
  "sign_in_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: timestampNow("at"),
    /** Lower-cased email as typed. */
    email: text("email").notNull(),
    ip: text("ip").notNull(),
    succeeded: integer("succeeded", { mode: "boolean" }).notNull(),
  },
  (t) => [index("sign_in_attempts_email_idx").on(t.email, t.at), index("sign_in_attempts_ip_idx").on(t.ip, t.at)],
);

export const SECURITY_EVENT_TYPES = [
  "sign-in.failed",
  "sign-in.locked-out",
  "sign-in.succeeded",
  "password-change.failed",
  "permission.denied",
  "scan.repeated-failures",
  "api-token.rejected",
  "origin.rejected",
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

export const securityEvents = sqliteTable(
  "security_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: timestampNow("at"),
    type: text("type", { enum: SECURITY_EVENT_TYPES }).notNull(),
    /** User id, "api-token:<id>", or the email typed at sign-in. */
    actor: text("actor"),
    ip: text("ip"),
    correlationId: text("correlation_id"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [index("security_events_type_idx").on(t.type, t.at)],
);

/** Settings an administrator changes at run time (retention, alert webhooks, …), one JSON value per key. */
export const appSettings = sqliteTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
  updatedAt: timestampNow("updated_at"),
  updatedBy: text("updated_by"),
});

// ---- Connectors and scans ----

/** Where a connector's code comes from: a folder on this server, a GitHub repository, or a published npm package. */
export const SOURCE_KINDS = ["local", "github", "npm"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const connectors = sqliteTable(
  "connectors",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The owning team; members see it, nobody else does (admins excepted). */
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id),
    /** Who registered it ("system" for the demo). The second-person sign-off rule needs this. */
    createdBy: text("created_by").notNull().default("system"),
    name: text("name").notNull(),
    sourceKind: text("source_kind", { enum: SOURCE_KINDS }).notNull(),
    /** local: the resolved folder path; github: "owner/repo"; npm: the package name ("@acme/notes-mcp"). */
    location: text("location").notNull(),
    /** github: the branch, tag or commit (null: the default branch); npm: the version or dist-tag (null: latest). */
    ref: text("ref"),
    subdirectory: text("subdirectory").notNull().default(""),
    /** Scheduled rescans: minutes between scans, 0 for none. */
    scanIntervalMinutes: integer("scan_interval_minutes").notNull().default(1440),
    /** github: the access token, sealed with AES-256-GCM (lib/crypto/secret-box.ts); never selected for pages. */
    tokenCiphertext: text("token_ciphertext"),
    createdAt: timestampNow("created_at"),
  },
  (t) => [uniqueIndex("connectors_name_unique").on(t.name), index("connectors_team_idx").on(t.teamId)],
);

export const SCAN_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];
/** What started a scan. */
export const SCAN_TRIGGERS = ["manual", "initial", "schedule", "advisory-refresh", "api"] as const;

export const scans = sqliteTable(
  "scans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    connectorId: integer("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    status: text("status", { enum: SCAN_STATUSES }).notNull().default("queued"),
    trigger: text("trigger", { enum: SCAN_TRIGGERS })
      .notNull()
      .default("manual"),
    /** JSON ScanProgress while running; the last one after. */
    progress: text("progress", { mode: "json" }).$type<ScanProgress>(),
    /** What the source was pinned to: github, the commit its ref resolved to; npm, the version its tag resolved to. */
    commit: text("commit"),
    queuedAt: timestampNow("queued_at"),
    startedAt: integer("started_at", { mode: "timestamp_ms" }),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
    durationMs: integer("duration_ms"),
    critical: integer("critical").notNull().default(0),
    high: integer("high").notNull().default(0),
    moderate: integer("moderate").notNull().default(0),
    low: integer("low").notNull().default(0),
    info: integer("info").notNull().default(0),
    /** Critical and high advisories on locked dependency versions (distinct package, version, advisory). */
    advisoriesCritical: integer("advisories_critical").notNull().default(0),
    advisoriesHigh: integer("advisories_high").notNull().default(0),
    /**
     * Whether the advisory counts are an answer: false when the dependency item was `unknown` (advisory source
     * unavailable, a lockfile unreadable, dependencies no lockfile pins). Views then show "unknown", never 0.
     */
    advisoriesKnown: integer("advisories_known", { mode: "boolean" }).notNull().default(true),
    /** Watched packages with an advisory, and watched packages behind their latest release: the fleet history's lines. */
    watchedVulnerable: integer("watched_vulnerable").notNull().default(0),
    watchedBehind: integer("watched_behind").notNull().default(0),
    /** The watched packages' share of the fleet's risk score (weights: db/queries/fleet.ts, watchedCounts). */
    watchedLagRisk: integer("watched_lag_risk").notNull().default(0),
    stats: text("stats", { mode: "json" }).$type<Record<string, number>>(),
    error: text("error"),
    /** The full schemaVersion 1 report, as the CLI prints it. */
    report: text("report"),
    correlationId: text("correlation_id").notNull(),
  },
  (t) => [index("scans_connector_idx").on(t.connectorId, t.id), index("scans_status_idx").on(t.status)],
);



export const findings = sqliteTable(
  "findings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    scanId: integer("scan_id")
      .notNull()
      .references(() => scans.id, { onDelete: "cascade" }),
    checkId: text("check_id").notNull(),
    ruleId: text("rule_id").notNull(),
    section: text("section").notNull(),
    severity: text("severity", { enum: SEVERITIES }).notNull(),
    title: text("title").notNull(),
    message: text("message").notNull(),
    remediation: text("remediation").notNull(),
    path: text("path"),
    line: integer("line"),
    endLine: integer("end_line"),
    evidence: text("evidence"),
    fingerprint: text("fingerprint").notNull(),
  },
  (t) => [index("findings_scan_idx").on(t.scanId), index("findings_fingerprint_idx").on(t.fingerprint)],
);

export const scanChecklistItems = sqliteTable(
  "scan_checklist_items",
  {
    scanId: integer("scan_id")
      .notNull()
      .references(() => scans.id, { onDelete: "cascade" }),
    itemId: text("item_id").notNull(),
    section: text("section").notNull(),
    status: text("status", { enum: ITEM_STATUSES }).notNull(),
    /** Fingerprints of the findings behind the status. */
    findings: text("findings", { mode: "json" }).$type<string[]>().notNull(),
    reason: text("reason"),
  },
  (t) => [uniqueIndex("scan_checklist_items_pk").on(t.scanId, t.itemId)],
);

/** Each scan's tool manifest, one row per tool, so scans can be compared tool by tool. */
export const scanTools = sqliteTable(
  "scan_tools",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    scanId: integer("scan_id")
      .notNull()
      .references(() => scans.id, { onDelete: "cascade" }),
    /** Order in the report (by file and line). */
    position: integer("position").notNull(),
    name: text("name").notNull(),
    /** sha256 of the reviewed fields (name, title, description, annotations, security schemes, _meta, input schema). */
    hash: text("hash").notNull(),
    title: text("title"),
    description: text("description"),
    path: text("path").notNull(),
    line: integer("line").notNull(),
    /** The whole ReportTool as the report has it. */
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index("scan_tools_scan_idx").on(t.scanId, t.position), index("scan_tools_name_idx").on(t.name)],
);

/** Append-only: triggers in the migration refuse UPDATE and DELETE; each row hashes the previous one. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: timestampNow("at"),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    correlationId: text("correlation_id").notNull(),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [index("audit_log_target_idx").on(t.targetType, t.targetId)],
);

export type ConnectorRecord = typeof connectors.$inferSelect;
/** A connector as pages and jobs see it: whether a token is set, never the token (sealed or not). */
export type Connector = Omit<ConnectorRecord, "tokenCiphertext"> & { hasToken: boolean };
export type NewConnector = typeof connectors.$inferInsert;
export type Scan = typeof scans.$inferSelect;
export type FindingRow = typeof findings.$inferSelect;
export type ScanChecklistItemRow = typeof scanChecklistItems.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type User = typeof user.$inferSelect;
export type Team = typeof teams.$inferSelect;
export type TeamMember = typeof teamMembers.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type SecurityEvent = typeof securityEvents.$inferSelect;

// ---- Reviews ----

export const REVIEW_STATUSES = ["in-progress", "signed-off", "stale", "superseded"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** A review walks one scan's checklist; it keeps the checklist version it started with. */
export const reviews = sqliteTable(
  "reviews",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    connectorId: integer("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    scanId: integer("scan_id")
      .notNull()
      .references(() => scans.id),
    checklistVersion: integer("checklist_version").notNull(),
    status: text("status", { enum: REVIEW_STATUSES }).notNull().default("in-progress"),
    /** The review whose decisions were carried over into this one. */
    previousReviewId: integer("previous_review_id"),
    createdBy: text("created_by").notNull(),
    createdAt: timestampNow("created_at"),
    /** Set when the review became stale: what changed, for the connector page. */
    staleAt: integer("stale_at", { mode: "timestamp_ms" }),
    staleReasons: text("stale_reasons", { mode: "json" }).$type<string[]>(),
    staleScanId: integer("stale_scan_id"),
  },
  (t) => [index("reviews_connector_idx").on(t.connectorId, t.id)],
);

export const DECISIONS = ["accept", "request-changes", "waive"] as const;
export type DecisionKind = (typeof DECISIONS)[number];

/** One checklist item of a review: the scan's automatic result, frozen, and the reviewer's decision. */
export const reviewItems = sqliteTable(
  "review_items",
  {
    reviewId: integer("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    itemId: text("item_id").notNull(),
    autoStatus: text("auto_status", { enum: ITEM_STATUSES }).notNull(),
    /** Fingerprint and severity of each finding behind the item, as scanned. */
    findings: text("findings", { mode: "json" }).$type<Array<{ fingerprint: string; severity: Severity }>>().notNull(),
    /** What the item was judged on; unchanged digest = the decision can carry over to the next review. */
    evidenceDigest: text("evidence_digest").notNull(),
    decision: text("decision", { enum: DECISIONS }),
    decidedBy: text("decided_by"),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    decisionNote: text("decision_note"),
    waiverExpiresAt: integer("waiver_expires_at", { mode: "timestamp_ms" }),
    attestation: text("attestation"),
    attestationEvidence: text("attestation_evidence"),
    attestedBy: text("attested_by"),
    attestedAt: integer("attested_at", { mode: "timestamp_ms" }),
    carriedOver: integer("carried_over", { mode: "boolean" }).notNull().default(false),
    /** Bumped by every decision and attestation: a form carries the version it showed, and a stale one is refused. */
    version: integer("version").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.itemId] })],
);

export const reviewComments = sqliteTable(
  "review_comments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    reviewId: integer("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    itemId: text("item_id").notNull(),
    authorId: text("author_id").notNull(),
    body: text("body").notNull(),
    createdAt: timestampNow("created_at"),
  },
  (t) => [index("review_comments_item_idx").on(t.reviewId, t.itemId)],
);

export const PROPOSAL_DECISIONS = ["accepted", "rejected"] as const;
export type ProposalDecision = (typeof PROPOSAL_DECISIONS)[number];

/**
 * A reviewer's answer to a waiver the repository proposes: an ignore in its launch-review.yml covering findings of
 * this item. Accepting also waives the item (review_items); either answer is given once per review.
 */
export const reviewWaiverProposals = sqliteTable(
  "review_waiver_proposals",
  {
    reviewId: integer("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    itemId: text("item_id").notNull(),
    /** The ignore as the repository declares it: a hash of its rule, fingerprint, path, reason and expiry. */
    proposalKey: text("proposal_key").notNull(),
    decision: text("decision", { enum: PROPOSAL_DECISIONS }).notNull(),
    decidedBy: text("decided_by").notNull(),
    decidedAt: timestampNow("decided_at"),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.itemId, t.proposalKey] })],
);

/** A sign-off binds a review's decisions to the scanned commit. */
export const signOffs = sqliteTable(
  "sign_offs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    reviewId: integer("review_id")
      .notNull()
      .unique()
      .references(() => reviews.id, { onDelete: "cascade" }),
    connectorId: integer("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    scanId: integer("scan_id").notNull(),
    signedBy: text("signed_by").notNull(),
    signedAt: timestampNow("signed_at"),
    /** The git commit, or for local folders the content hash of the scanned files. */
    commit: text("commit").notNull(),
    checklistVersion: integer("checklist_version").notNull(),
    decisionsHash: text("decisions_hash").notNull(),
  },
  (t) => [index("sign_offs_connector_idx").on(t.connectorId)],
);

export type Review = typeof reviews.$inferSelect;
export type ReviewItemRow = typeof reviewItems.$inferSelect;
export type ReviewComment = typeof reviewComments.$inferSelect;
export type SignOff = typeof signOffs.$inferSelect;
export type WaiverProposalRow = typeof reviewWaiverProposals.$inferSelect;
export type ScanToolRow = typeof scanTools.$inferSelect;

// ---- Alerts ----

/** Webhook deliveries: what was sent where, and whether it arrived. `dedupeKey` stops repeats of one alert. */
export const alertDeliveries = sqliteTable(
  "alert_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: timestampNow("at"),
    webhookId: text("webhook_id").notNull(),
    event: text("event").notNull(),
    connectorId: integer("connector_id"),
    dedupeKey: text("dedupe_key"),
    status: integer("status"),
    error: text("error"),
  },
  (t) => [uniqueIndex("alert_deliveries_dedupe_idx").on(t.webhookId, t.dedupeKey), index("alert_deliveries_at_idx").on(t.at)],
);
export type AlertDelivery = typeof alertDeliveries.$inferSelect;

// ---- Fleet: watched packages per scan ----


/**
 * Numbers the database's triggers raise when data that cached results depend on changes. One so far,
 * `succeeded_scans`: whenever a scan becomes succeeded, stops being succeeded or is deleted as a succeeded one
 * (db/migrations/0013). Reading it is one primary-key lookup, where counting succeeded scans read every one.
 */
export const dataVersions = sqliteTable("data_versions", {
  name: text("name").primaryKey(),
  version: integer("version").notNull().default(0),
});

/** The watched packages (React, Next.js, the MCP SDK, …) each scan found, with their lag: the patch matrix and its history. */
export const scanPackages = sqliteTable(
  "scan_packages",
  {
    scanId: integer("scan_id")
      .notNull()
      .references(() => scans.id, { onDelete: "cascade" }),
    connectorId: integer("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    package: text("package").notNull(),
    version: text("version").notNull(),
    latest: text("latest"),
    lag: text("lag", { enum: LAG_LEVELS }).notNull(),
    /** Advisory ids that hit this locked version. */
    advisories: text("advisories", { mode: "json" }).$type<string[]>().notNull(),
    /** The smallest version that fixes every advisory, when known. */
    fixedIn: text("fixed_in"),
  },
  (t) => [
    primaryKey({ columns: [t.scanId, t.package, t.version] }),
    index("scan_packages_connector_idx").on(t.connectorId, t.scanId),
    index("scan_packages_package_idx").on(t.package),
  ],
);
export type ScanPackageRow = typeof scanPackages.$inferSelect;

// ---- Dependency audit: caches and offline advisories ----

/** Advisory answers per source and package, kept with their fetch time ("advisory data as of …"). */
export const advisoryCache = sqliteTable(
  "advisory_cache",
  {
    source: text("source").notNull(),
    ecosystem: text("ecosystem").notNull(),
    package: text("package").notNull(),
    /** The locked versions asked about, sorted and joined: answers can depend on them. */
    versionsKey: text("versions_key").notNull(),
    fetchedAt: integer("fetched_at", { mode: "timestamp_ms" }).notNull(),
    advisories: text("advisories", { mode: "json" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.ecosystem, t.package, t.versionsKey] })],
);

/** Package metadata (npm packuments, PyPI project JSON), trimmed, with the ETag to revalidate it. */
export const packumentCache = sqliteTable(
  "packument_cache",
  {
    registry: text("registry").notNull(),
    name: text("name").notNull(),
    etag: text("etag"),
    fetchedAt: integer("fetched_at", { mode: "timestamp_ms" }).notNull(),
    body: text("body", { mode: "json" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.registry, t.name] })],
);

/** OSV advisories an administrator imported, for reviews without network access. */
export const offlineAdvisories = sqliteTable("offline_advisories", {
  id: text("id").primaryKey(),
  record: text("record", { mode: "json" }).notNull(),
  importedAt: timestampNow("imported_at"),
  importedBy: text("imported_by").notNull(),
});
