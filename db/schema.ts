// The database schema. Row types sit beside their tables; migrations in db/migrations/ are generated from this file.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** A millisecond timestamp that defaults to the insert time. */
const timestampNow = (column: string) =>
  integer(column, { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const connectors = sqliteTable(
  "connectors",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    sourceKind: text("source_kind", { enum: ["local", "github"] }).notNull(),
    /** local: the resolved folder path; github: "owner/repo". */
    location: text("location").notNull(),
    ref: text("ref"),
    subdirectory: text("subdirectory").notNull().default(""),
    createdAt: timestampNow("created_at"),
  },
  (t) => [uniqueIndex("connectors_name_unique").on(t.name)],
);

export const SCAN_STATUSES = ["queued", "running", "succeeded", "failed"] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

export const scans = sqliteTable(
  "scans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    connectorId: integer("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    status: text("status", { enum: SCAN_STATUSES }).notNull().default("queued"),
    trigger: text("trigger", { enum: ["manual", "initial", "schedule", "api"] })
      .notNull()
      .default("manual"),
    /** JSON ScanProgress while running; the last one after. */
    progress: text("progress", { mode: "json" }).$type<ScanProgress>(),
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
    stats: text("stats", { mode: "json" }).$type<Record<string, number>>(),
    error: text("error"),
    /** The full schemaVersion 1 report, as the CLI prints it. */
    report: text("report"),
    correlationId: text("correlation_id").notNull(),
  },
  (t) => [index("scans_connector_idx").on(t.connectorId, t.id), index("scans_status_idx").on(t.status)],
);

export interface ScanProgress {
  stage: "queued" | "source" | "checks" | "checklist" | "saving" | "done" | "failed";
  message: string;
  done?: number;
  total?: number;
  files?: number;
  findings?: number;
}

export const SEVERITIES = ["critical", "high", "moderate", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

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
    status: text("status", { enum: ["pass", "fail", "warn", "unknown", "needs-attestation"] }).notNull(),
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

export type Connector = typeof connectors.$inferSelect;
export type NewConnector = typeof connectors.$inferInsert;
export type Scan = typeof scans.$inferSelect;
export type FindingRow = typeof findings.$inferSelect;
export type ScanChecklistItemRow = typeof scanChecklistItems.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type ScanToolRow = typeof scanTools.$inferSelect;
