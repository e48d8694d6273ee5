// Registering GitHub connectors and managing their access tokens. A token is sealed before it touches the database,
// opened only by the scan job, and never returned to a page, an audit entry, a log line or a report.
import { inTransaction } from "@/db/transaction";
import { z } from "zod";
import { getDb } from "@/db/client";
import { appendAudit } from "@/db/queries/audit";
import { findConnectorByName, getConnector, setConnectorTokenCiphertext } from "@/db/queries/connectors";
import type { Connector, Scan } from "@/db/schema";
import type { Actor } from "./auth/actor";
import { accepts, ConnectorNameSchema, insertRegisteredConnector, refusalOf, TeamIdSchema } from "./connectors";
import { connectorTokenContext } from "./connector-token";
import { sealSecret } from "./crypto/secret-box";
import { env } from "./env";
import { AppError } from "./core/errors";
import { assertHostMatchesApi, isValidRef, normalizeSubdirectory, parseGitHubRepository } from "./engine/sources/parse";

/** Classic (ghp_…), fine-grained (github_pat_…), app and enterprise tokens: letters, digits, "_", "-" and ".". */
const TOKEN = /^[A-Za-z0-9_.-]{20,255}$/;

export const AccessTokenSchema = z
  .string()
  .trim()
  .refine((v) => v === "" || TOKEN.test(v), "That doesn't look like a GitHub access token (ghp_…, github_pat_…).");

export const RegisterGitHubSchema = z.object({
  name: ConnectorNameSchema,
  repository: z
    .string({ error: "Give the repository." })
    .trim()
    .min(1, "Give the repository: owner/repo or its GitHub URL.")
    .max(2048, "The repository is too long.")
    .superRefine(refusalOf(parseGitHubRepository, "Not a GitHub repository.")),
  ref: z
    .string()
    .trim()
    .max(255, "The ref is too long.")
    .default("")
    .refine((v) => v === "" || isValidRef(v), "Not a valid branch, tag or commit name."),
  subdirectory: z
    .string()
    .trim()
    .max(512, "The subfolder is too long.")
    .default("")
    .refine(accepts(normalizeSubdirectory), 'The subfolder must be a relative path inside the repository (no "..").'),
  token: AccessTokenSchema.default(""),
  scanNow: z.boolean().default(true),
  teamId: TeamIdSchema,
});
export type RegisterGitHubInput = z.input<typeof RegisterGitHubSchema>;

/** Where the URL's ref or folder and the separate fields disagree, the user has to pick one. */
function pick(field: "ref" | "subdirectory", fromUrl: string | null, typed: string): string {
  if (fromUrl && typed && fromUrl !== typed) {
    const label = field === "ref" ? "ref" : "folder";
    throw new AppError(`invalid:${field}`, `The URL names the ${label} "${fromUrl}", but this field says "${typed}". Keep one of them.`);
  }
  return typed || fromUrl || "";
}

export async function registerGitHubConnector(
  input: z.output<typeof RegisterGitHubSchema>,
  actor: Actor,
): Promise<{ connector: Connector; scan: Scan | null }> {
  let repository: string;
  let ref: string;
  let subdirectory: string;
  try {
    const parsed = parseGitHubRepository(input.repository);
    assertHostMatchesApi(parsed, env().GITHUB_API_URL);
    repository = parsed.repository;
    ref = pick("ref", parsed.ref, input.ref);
    subdirectory = pick("subdirectory", parsed.subdirectory, normalizeSubdirectory(input.subdirectory));
  } catch (error) {
    if (error instanceof AppError && error.surface !== "ref" && error.surface !== "subdirectory")
      throw new AppError("invalid:repository", error.message);
    throw error;
  }
  if (await findConnectorByName(input.name)) throw new AppError("invalid:name", `A connector named "${input.name}" already exists.`);

  const hasToken = Boolean(input.token);
  const { connector, scan } = await insertRegisteredConnector(
    {
      name: input.name,
      sourceKind: "github",
      location: repository,
      ref: ref || null,
      subdirectory,
      teamId: input.teamId,
      createdBy: actor.id,
    },
    {
      actor,
      scanNow: input.scanNow,
      details: { teamId: input.teamId, sourceKind: "github", hasToken },
      inside: async (created, tx) => {
        if (input.token) await setConnectorTokenCiphertext(created.id, sealSecret(input.token, connectorTokenContext(created.id)), tx);
      },
    },
  );
  return { connector: { ...connector, hasToken }, scan };
}

async function githubConnector(connectorId: number): Promise<Connector> {
  const connector = await getConnector(connectorId);
  if (!connector) throw new AppError("not_found:connector", "No such connector.");
  if (connector.sourceKind !== "github") throw new AppError("invalid:connector", "Only GitHub connectors take an access token.");
  return connector;
}

/** Replaces a GitHub connector's access token (sealed); the next scan uses it. */
export async function setConnectorToken(connectorId: number, token: string, actor: Actor): Promise<void> {
  await githubConnector(connectorId);
  if (!TOKEN.test(token)) throw new AppError("invalid:token", "That doesn't look like a GitHub access token (ghp_…, github_pat_…).");
  await inTransaction(getDb(), async (tx) => {
    await setConnectorTokenCiphertext(connectorId, sealSecret(token, connectorTokenContext(connectorId)), tx);
    await appendAudit(
      {
        actor: actor.id,
        action: "connector.token_set",
        targetType: "connector",
        targetId: connectorId,
        correlationId: actor.correlationId,
      },
      tx,
    );
  });
}

export async function removeConnectorToken(connectorId: number, actor: Actor): Promise<void> {
  await githubConnector(connectorId);
  await inTransaction(getDb(), async (tx) => {
    await setConnectorTokenCiphertext(connectorId, null, tx);
    await appendAudit(
      {
        actor: actor.id,
        action: "connector.token_removed",
        targetType: "connector",
        targetId: connectorId,
        correlationId: actor.correlationId,
      },
      tx,
    );
  });
}
