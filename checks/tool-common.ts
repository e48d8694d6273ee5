// Shared by the tool and widget checks: the fail-closed outcome when no tool could be read.
import type { ToolManifest } from "@/lib/engine/parse/tools/types";
import type { CheckOutcome } from "./types";

/** No tool was read: the check can't say the connector is fine, so its items stay unknown. */
export function noToolsOutcome(manifest: ToolManifest): CheckOutcome {
  const unreadable = manifest.unparseable.map((u) => `${u.path} (${u.reason})`);
  return {
    status: "unavailable",
    findings: [],
    error:
      unreadable.length > 0
        ? `no tool declarations could be read; unparseable files: ${unreadable.slice(0, 5).join(", ")}`
        : "no tool declarations were found in a supported style",
  };
}
