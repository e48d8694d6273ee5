// The tool manifest of a local folder, read without a full scan (for `launch-review tools --source`).
import { toReportTool } from "../engine/report/tools";
import { Facts } from "../engine/facts/container";
import type { ReportTool } from "../core/report";
import { DEFAULT_LIMITS } from "../engine/snapshot";
import { readSource } from "../engine/sources";

export async function staticToolsOf(folder: string, subdirectory = ""): Promise<ReportTool[]> {
  const { snapshot } = await readSource(
    { kind: "local", path: folder, subdirectory },
    { limits: DEFAULT_LIMITS, signal: new AbortController().signal, onProgress: () => undefined },
  );
  const facts = new Facts(snapshot);
  try {
    return (await facts.prepare()).tools.tools.map(toReportTool);
  } finally {
    facts.dispose();
  }
}
