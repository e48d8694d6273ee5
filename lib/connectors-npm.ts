// Registering a published npm package as a connector. Only the package's name and the version (or dist-tag) to read
// are stored; every scan resolves them against the registry npm's configuration names, pins the exact version and the
// tarball's integrity in its report, and never installs or runs anything from the package.
import validateName from "validate-npm-package-name";
import { z } from "zod";
import { findConnectorByName } from "@/db/queries/connectors";
import type { Connector, Scan } from "@/db/schema";
import type { Actor } from "./auth/actor";
import { accepts, ConnectorNameSchema, insertRegisteredConnector, refusalOf, TeamIdSchema } from "./connectors";
import { AppError } from "./core/errors";
import { npmRegistryUrl } from "./engine/advisories/npm-config";
import { parseNpmSource } from "./engine/sources/npm";
import { normalizeSubdirectory } from "./engine/sources/parse";
import { env } from "./env";

/** The registry the app reads packages from: npm's own configuration (npm_config_registry, .npmrc), else the public one. */
export function appNpmRegistry(): string {
  return npmRegistryUrl(env().projectRoot);
}

/** The package page on npmjs.com: `https://www.npmjs.com/package/<name>[/v/<version>]`. */
const NPMJS_PAGE = /^https:\/\/(?:www\.)?npmjs\.com\/package\/((?:@[^/]+\/)?[^/]+)(?:\/v\/([^/?#]+))?\/?(?:[?#].*)?$/i;

/** What the package field holds: `name`, `name@version`, `npm:name@version` or the package's npmjs.com page. */
export function parsePackageInput(input: string): { name: string; version: string | null } {
  const value = input.trim();
  const page = NPMJS_PAGE.exec(value);
  const [name, version] = page
    ? [decodeURIComponent(page[1]!), page[2] ? decodeURIComponent(page[2]) : null]
    : splitNameAndVersion(value.replace(/^npm:/, ""));
  const valid = validateName(name);
  if (!valid.validForOldPackages) {
    const why = valid.errors?.[0] ?? "not a valid name";
    throw new AppError("invalid:package", `"${name.slice(0, 100)}" is not an npm package name: ${why}.`);
  }
  if (version !== null && !isVersionOrTag(version)) throw notAVersion(version);
  return { name, version };
}

/** "@scope/name@1.2.3" → ["@scope/name", "1.2.3"]; a leading "@" is the scope's, not a version's. */
function splitNameAndVersion(value: string): [string, string | null] {
  const at = value.lastIndexOf("@");
  return at > 0 ? [value.slice(0, at), value.slice(at + 1)] : [value, null];
}

/** An exact version or a dist-tag, by the rule the npm source applies at scan time (ranges are not pinned versions). */
function isVersionOrTag(version: string): boolean {
  try {
    parseNpmSource(`npm:package@${version}`);
    return true;
  } catch {
    return false;
  }
}

function notAVersion(version: string): AppError {
  return new AppError("invalid:version", `"${version.slice(0, 100)}" is not a version (1.4.0) or a dist-tag (latest, next).`);
}

export const RegisterNpmSchema = z.object({
  name: ConnectorNameSchema,
  package: z
    .string({ error: "Give the package's name." })
    .trim()
    .min(1, "Give the package's name, e.g. @acme/notes-mcp.")
    .max(300, "The package name is too long.")
    .superRefine(refusalOf(parsePackageInput, "Not an npm package name.")),
  version: z
    .string()
    .trim()
    .max(64, "The version is too long.")
    .default("")
    .refine((v) => v === "" || isVersionOrTag(v), "Not a version (1.4.0) or a dist-tag (latest, next)."),
  subdirectory: z
    .string()
    .trim()
    .max(512, "The subfolder is too long.")
    .default("")
    .refine(accepts(normalizeSubdirectory), 'The subfolder must be a relative path inside the package (no "..").'),
  scanNow: z.boolean().default(true),
  teamId: TeamIdSchema,
});
export type RegisterNpmInput = z.input<typeof RegisterNpmSchema>;

/** The name, and the version typed in either field; the two must agree when both give one. */
function packageAndVersion(input: z.output<typeof RegisterNpmSchema>): { name: string; version: string | null } {
  const parsed = parsePackageInput(input.package);
  if (parsed.version && input.version && parsed.version !== input.version) {
    throw new AppError(
      "invalid:version",
      `The package field names version "${parsed.version}", but this field says "${input.version}". Keep one of them.`,
    );
  }
  return { name: parsed.name, version: input.version || parsed.version };
}

export async function registerNpmConnector(
  input: z.output<typeof RegisterNpmSchema>,
  actor: Actor,
): Promise<{ connector: Connector; scan: Scan | null }> {
  const { name, version } = packageAndVersion(input);
  const subdirectory = normalizeSubdirectory(input.subdirectory);
  if (await findConnectorByName(input.name)) throw new AppError("invalid:name", `A connector named "${input.name}" already exists.`);
  return await insertRegisteredConnector(
    { name: input.name, sourceKind: "npm", location: name, ref: version, subdirectory, teamId: input.teamId, createdBy: actor.id },
    { actor, scanNow: input.scanNow, details: { teamId: input.teamId, sourceKind: "npm" } },
  );
}
