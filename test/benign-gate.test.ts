// The benign gate: connectors written the way the guidance asks, one per shape a connector takes. A rule that fires
// high or critical on any of them is wrong about correct code, and a reviewer would stop trusting it.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { memoryDependencyCache } from "@/lib/engine/cache/memory";
import { createAdvisoryService } from "@/lib/engine/advisories/service";
import { OfflineOsvSource } from "@/lib/engine/advisories/osv";
import { runScan } from "@/lib/engine/scan";

const BENIGN = path.resolve("test/fixtures/benign");

/**
 * Each fixture, with the tools a reader finds in it: the gate means nothing if the scan read no tools. (The TypeScript
 * SDK and FastMCP shapes are test/fixtures/clean-connector-*, held to no finding at all in code-checks.test.ts.)
 */
const SHAPES: Array<{ name: string; tools: string[] }> = [
  { name: "ts-lowlevel-oauth", tools: ["search_notes", "delete_note"] },
  { name: "ts-jsonrpc-stdio", tools: ["add", "convert_units"] },
  { name: "next-mcp-handler-oauth", tools: ["list_bookmarks", "delete_bookmark"] },
  { name: "xmcp-stdio", tools: ["current_time", "list_time_zones"] },
  { name: "py-lowlevel-stdio", tools: ["list_files", "read_file"] },
];

describe("benign gate: correct connectors get no high or critical finding", () => {
  for (const shape of SHAPES) {
    it(shape.name, async () => {
      const dependencies = { advisories: createAdvisoryService(new OfflineOsvSource([]), { cache: memoryDependencyCache(), cacheTtlMs: 0 }), registry: null, watchList: [] };
      const report = await runScan({ kind: "local", path: path.join(BENIGN, shape.name) }, { services: { dependencies } });
      expect(report.tools.map((t) => t.name).sort()).toEqual([...shape.tools].sort());
      expect(report.checks.filter((c) => c.status === "unavailable")).toEqual([]);
      const serious = report.findings.filter((f) => f.severity === "high" || f.severity === "critical");
      expect(serious.map((f) => `${f.ruleId} ${f.location?.path}:${f.location?.line} ${f.message}`)).toEqual([]);
    });
  }
});
