// Postgres tables for reviews, their items, comments, waiver proposals and sign-offs: db/schema.ts's tables, column
// for column (test/schema-drift.test.ts holds them in step). What each column means is documented there.
import { boolean, index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { ITEM_STATUSES, type Severity } from "@/lib/core/types";
import { DECISIONS, PROPOSAL_DECISIONS, REVIEW_STATUSES } from "../schema-sqlite";
import { serialId, timestampMs, timestampNow } from "./columns";
import { connectors, scans } from "./scans";

export const reviews = pgTable(
  "reviews",
  {
    id: serialId("id"),
    connectorId: integer("connector_id")
      .notNull()
      .references(() => connectors.id, { onDelete: "cascade" }),
    scanId: integer("scan_id")
      .notNull()
      .references(() => scans.id),
    checklistVersion: integer("checklist_version").notNull(),
    status: text("status", { enum: REVIEW_STATUSES }).notNull().default("in-progress"),
    previousReviewId: integer("previous_review_id"),
    createdBy: text("created_by").notNull(),
    createdAt: timestampNow("created_at"),
    staleAt: timestampMs("stale_at"),
    staleReasons: jsonb("stale_reasons").$type<string[]>(),
    staleScanId: integer("stale_scan_id"),
  },
  (t) => [index("reviews_connector_idx").on(t.connectorId, t.id)],
);

export const reviewItems = pgTable(
  "review_items",
  {
    reviewId: integer("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    itemId: text("item_id").notNull(),
    autoStatus: text("auto_status", { enum: ITEM_STATUSES }).notNull(),
    findings: jsonb("findings").$type<Array<{ fingerprint: string; severity: Severity }>>().notNull(),
    evidenceDigest: text("evidence_digest").notNull(),
    decision: text("decision", { enum: DECISIONS }),
    decidedBy: text("decided_by"),
    decidedAt: timestampMs("decided_at"),
    decisionNote: text("decision_note"),
    waiverExpiresAt: timestampMs("waiver_expires_at"),
    attestation: text("attestation"),
    attestationEvidence: text("attestation_evidence"),
    attestedBy: text("attested_by"),
    attestedAt: timestampMs("attested_at"),
    carriedOver: boolean("carried_over").notNull().default(false),
    version: integer("version").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.itemId] })],
);

export const reviewComments = pgTable(
  "review_comments",
  {
    id: serialId("id"),
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

export const reviewWaiverProposals = pgTable(
  "review_waiver_proposals",
  {
    reviewId: integer("review_id")
      .notNull()
      .references(() => reviews.id, { onDelete: "cascade" }),
    itemId: text("item_id").notNull(),
    proposalKey: text("proposal_key").notNull(),
    decision: text("decision", { enum: PROPOSAL_DECISIONS }).notNull(),
    decidedBy: text("decided_by").notNull(),
    decidedAt: timestampNow("decided_at"),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.itemId, t.proposalKey] })],
);

export const signOffs = pgTable(
  "sign_offs",
  {
    id: serialId("id"),
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
    commit: text("commit").notNull(),
    checklistVersion: integer("checklist_version").notNull(),
    decisionsHash: text("decisions_hash").notNull(),
  },
  (t) => [index("sign_offs_connector_idx").on(t.connectorId)],
);
