// Postgres tables for accounts, teams and the app's own security: db/schema.ts's tables, column for column
// (test/schema-drift.test.ts holds them in step). What each column means is documented there.
import { boolean, index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { API_TOKEN_ROLES, SECURITY_EVENT_TYPES, TEAM_ROLES } from "../schema-sqlite";
import { serialId, timestampMs, timestampNow } from "./columns";

// ---- better-auth's tables ----

export const user = pgTable("user", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  emailVerified: boolean("email_verified").notNull().default(false),
  image: text("image"),
  isAdmin: boolean("is_admin").notNull().default(false),
  disabled: boolean("disabled").notNull().default(false),
  createdAt: timestampNow("created_at"),
  updatedAt: timestampNow("updated_at"),
});

export const session = pgTable(
  "session",
  {
    id: text("id").primaryKey(),
    expiresAt: timestampMs("expires_at").notNull(),
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

export const account = pgTable(
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
    accessTokenExpiresAt: timestampMs("access_token_expires_at"),
    refreshTokenExpiresAt: timestampMs("refresh_token_expires_at"),
    scope: text("scope"),
    password: text("password"),
    createdAt: timestampNow("created_at"),
    updatedAt: timestampNow("updated_at"),
  },
  (t) => [index("account_user_idx").on(t.userId)],
);

export const verification = pgTable("verification", {
  id: text("id").primaryKey(),
  identifier: text("identifier").notNull(),
  value: text("value").notNull(),
  expiresAt: timestampMs("expires_at").notNull(),
  createdAt: timestampNow("created_at"),
  updatedAt: timestampNow("updated_at"),
});

// ---- Teams and roles ----

export const teams = pgTable("teams", {
  id: serialId("id"),
  name: text("name").notNull().unique(),
  createdAt: timestampNow("created_at"),
});

export const teamMembers = pgTable(
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

export const invitations = pgTable(
  "invitations",
  {
    id: serialId("id"),
    email: text("email").notNull(),
    teamId: integer("team_id").references(() => teams.id, { onDelete: "cascade" }),
    role: text("role", { enum: TEAM_ROLES }),
    makeAdmin: boolean("make_admin").notNull().default(false),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: text("invited_by").notNull(),
    createdAt: timestampNow("created_at"),
    expiresAt: timestampMs("expires_at").notNull(),
    acceptedAt: timestampMs("accepted_at"),
    revokedAt: timestampMs("revoked_at"),
  },
  (t) => [index("invitations_email_idx").on(t.email)],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: serialId("id"),
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    role: text("role", { enum: API_TOKEN_ROLES }).notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: timestampNow("created_at"),
    expiresAt: timestampMs("expires_at").notNull(),
    revokedAt: timestampMs("revoked_at"),
    lastUsedAt: timestampMs("last_used_at"),
  },
  (t) => [index("api_tokens_team_idx").on(t.teamId)],
);

// ---- Sign-in attempts, security events, settings ----

export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: serialId("id"),
    at: timestampNow("at"),
    email: text("email").notNull(),
    ip: text("ip").notNull(),
    succeeded: boolean("succeeded").notNull(),
  },
  (t) => [index("sign_in_attempts_email_idx").on(t.email, t.at), index("sign_in_attempts_ip_idx").on(t.ip, t.at)],
);

export const securityEvents = pgTable(
  "security_events",
  {
    id: serialId("id"),
    at: timestampNow("at"),
    type: text("type", { enum: SECURITY_EVENT_TYPES }).notNull(),
    actor: text("actor"),
    ip: text("ip"),
    correlationId: text("correlation_id"),
    details: jsonb("details").$type<Record<string, unknown>>(),
  },
  (t) => [index("security_events_type_idx").on(t.type, t.at)],
);

export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestampNow("updated_at"),
  updatedBy: text("updated_by"),
});
