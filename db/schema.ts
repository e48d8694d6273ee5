// The tables query code uses, for the database this process runs on. Queries are written once, typed against the
// SQLite tables (db/schema-sqlite.ts); on PostgreSQL (DATABASE_URL=postgres://…) the same names hold the pg-core twins
// from db/schema-pg.ts, whose columns give the same JavaScript types: test/schema-drift.test.ts keeps the two in step,
// and the integration suite runs on both. Row types, enums and constants come from the SQLite file either way.
import { databaseDialect } from "./config";
import * as postgres from "./schema-pg";
import * as sqlite from "./schema-sqlite";

export * from "./schema-sqlite";

// The cast is the one place the dialects meet: drizzle has no type for "a table of either dialect".
const tables = (databaseDialect() === "postgres" ? postgres : sqlite) as unknown as typeof sqlite;

export const user = tables.user;
export const session = tables.session;
export const account = tables.account;
export const verification = tables.verification;
export const teams = tables.teams;
export const teamMembers = tables.teamMembers;
export const invitations = tables.invitations;
export const apiTokens = tables.apiTokens;
export const signInAttempts = tables.signInAttempts;
export const securityEvents = tables.securityEvents;
export const appSettings = tables.appSettings;
export const connectors = tables.connectors;
export const scans = tables.scans;
export const findings = tables.findings;
export const scanChecklistItems = tables.scanChecklistItems;
export const scanTools = tables.scanTools;
export const auditLog = tables.auditLog;
export const reviews = tables.reviews;
export const reviewItems = tables.reviewItems;
export const reviewComments = tables.reviewComments;
export const reviewWaiverProposals = tables.reviewWaiverProposals;
export const signOffs = tables.signOffs;
export const alertDeliveries = tables.alertDeliveries;
export const scanPackages = tables.scanPackages;
export const dataVersions = tables.dataVersions;
export const advisoryCache = tables.advisoryCache;
export const packumentCache = tables.packumentCache;
export const offlineAdvisories = tables.offlineAdvisories;
