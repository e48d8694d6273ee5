// Postgres tables for connectors, scans and what scans store (findings, checklist, tools, packages), the audit log,
// alert deliveries and the dependency-audit caches: db/schema.ts's tables, column for column
// (test/schema-drift.test.ts holds them in step). What each column means is documented there.
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ITEM_STATUSES, LAG_LEVELS, SEVERITIES, type ScanProgress } from "@/lib/core/types";
import { SCAN_STATUSES, SCAN_TRIGGERS, SOURCE_KINDS } from "../schema-sqlite";
import { teams } from "./accounts";
import { serialId, timestampMs, timestampNow } from "./columns";

// ---- Connectors and scans ----

export const connectors = pgTable(
  "connectors",
  {
    id: serialId("id"),
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id),
    createdBy: text("created_by").notNull().default("system"),
    name: text("name").notNull(),
    sourceKind: text("source_kind", { enum: SOURCE_KINDS }).notNull(),
    location: text("location").notNull(),
    ref: text("ref"),
    subdirectory: text("subdirectory").notNull().default(""),
    scanIntervalMinutes: integer("scan_interval_minutes").notNull().default(1440),
    tokenCiphertext: text("token_ciphertext"),
    createdAt: timestampNow("created_at"),
  },
  (t) => [uniqueIndex("connectors_name_unique").on(t.name), index("connectors_team_idx").on(t.teamId)],
);

export const scans = pgTable(
  "scans",
  {
    id: serialId("id"),
    connectorId: integer("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    status: text("status", { enum: SCAN_STATUSES }).notNull().default("queued"),
    trigger: text("trigger", { enum: SCAN_TRIGGERS }).notNull().default("manual"),
    progress: jsonb("progress").$type<ScanProgress>(),
    commit: text("commit"),
    queuedAt: timestampNow("queued_at"),
    startedAt: timestampMs("started_at"),
    finishedAt: timestampMs("finished_at"),
    durationMs: integer("duration_ms"),
    critical: integer("critical").notNull().default(0),
    high: integer("high").notNull().default(0),
    moderate: integer("moderate").notNull().default(0),
    low: integer("low").notNull().default(0),
    info: integer("info").notNull().default(0),
    advisoriesCritical: integer("advisories_critical").notNull().default(0),
    advisoriesHigh: integer("advisories_high").notNull().default(0),
    advisoriesKnown: boolean("advisories_known").notNull().default(true),
    watchedVulnerable: integer("watched_vulnerable").notNull().default(0),
    watchedBehind: integer("watched_behind").notNull().default(0),
    watchedLagRisk: integer("watched_lag_risk").notNull().default(0),
    stats: jsonb("stats").$type<Record<string, number>>(),
    error: text("error"),
    report: text("report"),
    correlationId: text("correlation_id").notNull(),
  },
  (t) => [index("scans_connector_idx").on(t.connectorId, t.id), index("scans_status_idx").on(t.status)],
);

export const findings = pgTable(
  "findings",
  {
    id: serialId("id"),
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

export const scanChecklistItems = pgTable(
  "scan_checklist_items",
  {
    scanId: integer("scan_id")
      .notNull()
      .references(() => scans.id, { onDelete: "cascade" }),
    itemId: text("item_id").notNull(),
    section: text("section").notNull(),
    status: text("status", { enum: ITEM_STATUSES }).notNull(),
    findings: jsonb("findings").$type<string[]>().notNull(),
    reason: text("reason"),
  },
  (t) => [uniqueIndex("scan_checklist_items_pk").on(t.scanId, t.itemId)],
);

export const scanTools = pgTable(
  "scan_tools",
  {
    id: serialId("id"),
    scanId: integer("scan_id")
      .notNull()
      .references(() => scans.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    hash: text("hash").notNull(),
    title: text("title"),
    description: text("description"),
    path: text("path").notNull(),
    line: integer("line").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index("scan_tools_scan_idx").on(t.scanId, t.position), index("scan_tools_name_idx").on(t.name)],
);

/** Append-only: a trigger in db/migrations-pg refuses UPDATE, DELETE and TRUNCATE; each row hashes the previous one. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: serialId("id"),
    at: timestampNow("at"),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    correlationId: text("correlation_id").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [index("audit_log_target_idx").on(t.targetType, t.targetId)],
);

// ---- Alerts ----

export const alertDeliveries = pgTable(
  "alert_deliveries",
  {
    id: serialId("id"),
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

// ---- Fleet: watched packages per scan ----

export const dataVersions = pgTable("data_versions", {
  name: text("name").primaryKey(),
  version: integer("version").notNull().default(0),
});

export const scanPackages = pgTable(
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
    advisories: jsonb("advisories").$type<string[]>().notNull(),
    fixedIn: text("fixed_in"),
  },
  (t) => [
    primaryKey({ columns: [t.scanId, t.package, t.version] }),
    index("scan_packages_connector_idx").on(t.connectorId, t.scanId),
    index("scan_packages_package_idx").on(t.package),
  ],
);

// ---- Dependency audit: caches and offline advisories ----

export const advisoryCache = pgTable(
  "advisory_cache",
  {
    source: text("source").notNull(),
    ecosystem: text("ecosystem").notNull(),
    package: text("package").notNull(),
    versionsKey: text("versions_key").notNull(),
    fetchedAt: timestampMs("fetched_at").notNull(),
    advisories: jsonb("advisories").notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.ecosystem, t.package, t.versionsKey] })],
);

export const packumentCache = pgTable(
  "packument_cache",
  {
    registry: text("registry").notNull(),
    name: text("name").notNull(),
    etag: text("etag"),
    fetchedAt: timestampMs("fetched_at").notNull(),
    body: jsonb("body").notNull(),
  },
  (t) => [primaryKey({ columns: [t.registry, t.name] })],
);

export const offlineAdvisories = pgTable("offline_advisories", {
  id: text("id").primaryKey(),
  record: jsonb("record").notNull(),
  importedAt: timestampNow("imported_at"),
  importedBy: text("imported_by").notNull(),
});
