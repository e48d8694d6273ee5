// Which npm registry to ask, as npm itself decides: npm_config_registry, then the project's and the user's .npmrc,
// then the public registry.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ini from "ini";

export const PUBLIC_NPM_REGISTRY = "https://registry.npmjs.org/";

function fromNpmrc(file: string): string | null {
  try {
    const parsed = ini.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    return typeof parsed.registry === "string" && parsed.registry ? parsed.registry : null;
  } catch {
    return null;
  }
}

export function npmRegistryUrl(projectRoot: string = process.cwd()): string {
  const registry =
    process.env.npm_config_registry ||
    process.env.NPM_CONFIG_REGISTRY ||
    fromNpmrc(path.join(projectRoot, ".npmrc")) ||
    fromNpmrc(path.join(os.homedir(), ".npmrc")) ||
    PUBLIC_NPM_REGISTRY;
  return registry.endsWith("/") ? registry : `${registry}/`;
}
