// Retention and deletion (manual items, reported with evidence): a privacy or retention document in the repository,
// and, when the connector stores data, a way to delete a user's data. Documents are read as text; code is read as
// facts (routes, and the names and strings of functions), so a comment mentioning deletion is not a deletion path.
import path from "node:path";
import type { Finding } from "@/lib/core/types";
import type { Facts } from "@/lib/engine/facts/container";
import { pathRole } from "@/lib/engine/facts/roles";
import { manifests } from "@/lib/engine/parse/manifests";
import { codeFinding, finish } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";

export const rules = {
  noPolicy: defineRule({
    id: "retention/no-policy",
    item: "data-handling.retention-policy",
    severity: "low",
    title: "No privacy or retention policy found",
    rationale:
      "The guidance asks for a decided retention period and a published retention policy; reviewers and users need to know how long prompts, tool results and account data are kept.",
    remediation:
      "Publish a privacy policy that states what is stored, for how long and how to have it deleted; link it from the README (or add PRIVACY.md) and attest this item with the link.",
    tags: { owasp: "MCP10:2025 Context Injection & Over-Sharing", cwe: ["CWE-359"] },
  }),
  noDeletion: defineRule({
    id: "retention/no-deletion-path",
    item: "informational",
    hint: "data-handling.deletion-requests",
    severity: "info",
    title: "Stores data, but no way to delete a user's data found",
    rationale:
      "Deletion requests must be honoured promptly; that needs an endpoint, job or runbook that removes everything held about a user.",
    remediation:
      "Describe or add the deletion path (an endpoint, an admin job or a documented runbook) and attest that it has been exercised.",
    tags: { owasp: "MCP10:2025 Context Injection & Over-Sharing", cwe: ["CWE-359"] },
  }),
};

const DOC_EXTENSIONS = new Set([".md", ".mdx", ".txt", ".rst", ".html", ".pdf", ""]);
const POLICY_NAME = /privacy|retention|data[-_ ]?policy|gdpr|data[-_ ]?processing/i;
const POLICY_TEXT = [
  "privacy policy",
  "retention policy",
  "data retention",
  "retention period",
  "we retain",
  "are retained for",
  "is retained for",
  "are deleted after",
  "privacy notice",
];
const STORAGE_PACKAGES = new Set([
  "pg",
  "postgres",
  "mysql",
  "mysql2",
  "mongodb",
  "mongoose",
  "@prisma/client",
  "prisma",
  "drizzle-orm",
  "better-sqlite3",
  "sqlite3",
  "redis",
  "ioredis",
  "@vercel/kv",
  "@vercel/postgres",
  "@upstash/redis",
  "@neondatabase/serverless",
  "@supabase/supabase-js",
  "firebase-admin",
  "@aws-sdk/client-dynamodb",
  "typeorm",
  "sequelize",
  "knex",
  "sqlalchemy",
  "psycopg",
  "psycopg2",
  "psycopg2-binary",
  "asyncpg",
  "pymongo",
  "motor",
  "sqlmodel",
  "peewee",
  "tortoise-orm",
  "supabase",
]);
// Names of deletion paths, as the facts spell identifiers and strings (lower-case): deleteUser, delete_account,
// eraseUserData, purge, forget_me, gdpr.
const DELETION_IDENTIFIER =
  /(?:delete|remove|erase|purge|forget|wipe)[_-]?(?:my[_-]?)?(?:user|account|me\b|profile|personal|all[_-]?data|user[_-]?data|data)|gdpr|erasure|data[_-]?deletion/i;
// Expiry set on stored data: TTL indexes and options, retention settings, Redis SETEX/EXPIRE.
const RETENTION_SETTINGS = new Set(["expireAfterSeconds", "retention_days", "retentionDays", "RETENTION_DAYS", "ttlSeconds", "expires_at"]);
const RETENTION_WORDS = [...RETENTION_SETTINGS].map((n) => n.toLowerCase());
const RETENTION_CALLS = new Set(["setex", "expire", "expireat", "pexpire"]);
// Roles whose files are not the connector's own data handling.
const NOT_OWN = new Set(["test", "fixture"]);

/** A mention of a policy that isn't negated ("no retention policy", "without a privacy policy"). */
function mentionsPolicy(lower: string): boolean {
  for (const phrase of POLICY_TEXT) {
    for (let i = lower.indexOf(phrase); i !== -1; i = lower.indexOf(phrase, i + phrase.length)) {
      const before = lower.slice(Math.max(0, i - 12), i);
      if (!/\b(?:no|without|missing|lacks?)\s+(?:an?\s+)?$/.test(before)) return true;
    }
  }
  return false;
}

export const dataRetentionCheck: Check = {
  id: "data-retention",
  title: "Retention: a published policy and a deletion path",
  section: "data-handling",
  rules: Object.values(rules),
  run({ snapshot, facts }) {
    const findings: Finding[] = [];
    const docs = snapshot.find((p) => !NOT_OWN.has(pathRole(p)?.role ?? "") && DOC_EXTENSIONS.has(path.posix.extname(p).toLowerCase()));
    const policyFile = docs.find((p) => POLICY_NAME.test(path.posix.basename(p)));
    const policyMention =
      policyFile ??
      docs.find((p) => {
        const text = snapshot.text(p);
        if (text === null || text.length > 2 * 1024 * 1024) return false;
        return mentionsPolicy(text.toLowerCase());
      });
    const found = manifests(facts);
    const codeFiles = facts.code.files.filter((f) => !NOT_OWN.has(f.role));

    const readme = snapshot.find((p) => /^readme(?:\.\w+)?$/i.test(p))[0] ?? snapshot.find((p) => /(?:^|\/)readme(?:\.\w+)?$/i.test(p))[0];
    const anchor = readme ?? found[0]?.path ?? codeFiles[0]?.path;
    if (!policyMention && anchor) {
      findings.push(
        codeFinding(rules.noPolicy, {
          path: anchor,
          line: 1,
          text: snapshot.text(anchor) ?? "",
          message: `No privacy or retention document, and no mention of a privacy policy or retention period in the documentation${setsExpiry(facts) ? " (the code does set expiry on some stored data)" : ""}.`,
          evidence:
            "searched: file names with privacy/retention/GDPR; docs mentioning a privacy policy, retention policy or retention period",
          subject: "repository",
        }),
      );
    }

    const stores = found.some((m) => [...m.packages].some((p) => STORAGE_PACKAGES.has(p)));
    if (stores && anchor) {
      const deletionRoute = facts.routes.some(
        (r) => (r.methods.includes("DELETE") || r.methods.includes("*")) && /\/(?:users?|accounts?|me|profile)\b/.test(r.route),
      );
      const deletionCode = deletionRoute || namesDeletion(facts);
      const deletionDoc = docs.some((p) => {
        const lower = snapshot.text(p)?.slice(0, 500_000).toLowerCase() ?? "";
        return (
          lower.includes("delete your data") ||
          lower.includes("deletion request") ||
          lower.includes("data deletion") ||
          lower.includes("delete their data")
        );
      });
      if (!deletionCode && !deletionDoc) {
        const storeManifest = found.find((m) => [...m.packages].some((p) => STORAGE_PACKAGES.has(p)))!;
        findings.push(
          codeFinding(rules.noDeletion, {
            path: storeManifest.path,
            line: 1,
            text: snapshot.text(storeManifest.path) ?? "",
            message: `The connector uses ${[...storeManifest.packages].filter((p) => STORAGE_PACKAGES.has(p)).join(", ")} to store data, and no user or account deletion (endpoint, function or documented process) was found.`,
            evidence:
              "searched: DELETE routes on users/accounts, deleteUser/eraseUserData/purge/GDPR identifiers, docs on deletion requests",
            subject: "repository",
          }),
        );
      }
    }
    return finish(findings);
  },
};

/** Whether the connector's code sets expiry on stored data (a TTL option or setting, SETEX/EXPIRE). */
function setsExpiry(facts: Facts): boolean {
  const own = (p: string) => !NOT_OWN.has(facts.code.file(p)?.role ?? "");
  if (facts.settingsWhere((key) => RETENTION_SETTINGS.has(key)).some((s) => own(s.path))) return true;
  if (facts.code.functions.some((f) => RETENTION_WORDS.some((w) => f.words.includes(w)) && own(f.path))) return true;
  return [...RETENTION_CALLS].some((name) => facts.code.callsNamed(name).some((c) => own(c.path)));
}

/** A function, tool or identifier named for deleting a user's data (`deleteUser`, `delete_user_data`, a "gdpr_erase" tool). */
function namesDeletion(facts: Facts): boolean {
  return facts.code.functions.some((f) => !NOT_OWN.has(facts.code.file(f.path)?.role ?? "") && (DELETION_IDENTIFIER.test(f.name ?? "") || DELETION_IDENTIFIER.test(f.words)));
}
