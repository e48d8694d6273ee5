// Loads a fixture connector from test/fixtures/connectors into a snapshot, as a scan would.
import fs from "node:fs";
import path from "node:path";
import { Facts } from "@/lib/engine/facts/container";
import { toolManifest } from "@/lib/engine/parse/tools/manifest";
import type { ToolManifest } from "@/lib/engine/parse/tools/types";
import { snapshotOf } from "./rules";

export const FIXTURES = path.resolve(__dirname, "../fixtures/connectors");

export function fixtureFiles(name: string): Record<string, string> {
  const root = path.join(FIXTURES, name);
  const out: Record<string, string> = {};
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else out[path.relative(root, full).split(path.sep).join("/")] = fs.readFileSync(full, "utf8");
    }
  };
  visit(root);
  return out;
}

export async function manifestOf(files: Record<string, string | Uint8Array>): Promise<ToolManifest> {
  const facts = new Facts(snapshotOf(files));
  try {
    return await toolManifest(facts);
  } finally {
    facts.dispose();
  }
}
