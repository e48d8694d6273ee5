// API tokens let CI use the app without a browser session: scoped to one team, hashed at rest, shown once,
// expiring, revocable.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { appendAudit } from "@/db/queries/audit";
import { apiTokenByHash, insertApiToken, revokeApiTokenRow, touchApiToken } from "@/db/queries/api-tokens";
import { AppError } from "../core/errors";
import type { Principal } from "./permissions";

/** Recognisable by secret scanners: "lrt_" + 8-character lookup prefix + "_" + 43-character secret. */
const TOKEN_PATTERN = /^lrt_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;

export const ApiTokenInput = z.object({
  name: z.string().trim().min(1, "Name the token, e.g. “GitHub Actions”.").max(80),
  role: z.enum(["maintainer", "viewer"]),
  expiresInDays: z.coerce.number().int().min(1, "At least 1 day.").max(365, "At most 365 days."),
});

function hash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createApiToken(
  teamId: number,
  input: z.output<typeof ApiTokenInput>,
  actor: { id: string; correlationId: string },
): Promise<{ token: string; expiresAt: Date }> {
  const prefix = randomBytes(6).toString("base64url").replace(/[-_]/g, "x").slice(0, 8);
  const token = `lrt_${prefix}_${randomBytes(32).toString("base64url")}`;
  const expiresAt = new Date(Date.now() + input.expiresInDays * 24 * 3600_000);
  const row = await insertApiToken({
    teamId,
    name: input.name,
    prefix,
    tokenHash: hash(token),
    role: input.role,
    createdBy: actor.id,
    expiresAt,
  });
  await appendAudit({
    actor: actor.id,
    action: "api-token.created",
    targetType: "team",
    targetId: teamId,
    correlationId: actor.correlationId,
    details: { tokenId: row.id, role: input.role },
  });
  return { token, expiresAt };
}

export async function revokeApiToken(teamId: number, tokenId: number, actor: { id: string; correlationId: string }): Promise<void> {
  if (!(await revokeApiTokenRow(tokenId, teamId))) throw new AppError("not_found:api_token", "No such active token.");
  await appendAudit({
    actor: actor.id,
    action: "api-token.revoked",
    targetType: "team",
    targetId: teamId,
    correlationId: actor.correlationId,
    details: { tokenId },
  });
}

/** The principal a bearer token stands for, or null when it is malformed, unknown, expired or revoked. */
export async function authenticateApiToken(bearer: string, now = new Date()): Promise<(Principal & { tokenId: number }) | null> {
  if (!TOKEN_PATTERN.test(bearer)) return null;
  const digest = hash(bearer);
  const row = await apiTokenByHash(digest);
  // The lookup is by hash already; the constant-time compare is belt and braces.
  if (!row || !timingSafeEqual(Buffer.from(row.tokenHash, "hex"), Buffer.from(digest, "hex"))) return null;
  if (row.revokedAt || row.expiresAt <= now) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) await touchApiToken(row.id, now);
  return {
    id: `api-token:${row.id}`,
    isAdmin: false,
    memberships: [{ teamId: row.teamId, teamName: row.teamName, role: row.role }],
    tokenId: row.id,
  };
}
