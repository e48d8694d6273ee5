// The tool manifest of a local folder, read without a full scan (for `launch-review tools --source`).
import { toReportTool } from "@/checks/tool-common";
import { Facts } from "../facts";
import { toolManifest } from "../parse/tools/manifest";
import type { ReportTool } from "../report/types";
import { DEFAULT_LIMITS } from "../snapshot";
import { readSource } from "../sources";

export async function staticToolsOf(folder: string, subdirectory = ""): Promise<ReportTool[]> {
  const { snapshot } = await readSource(
    { kind: "local", path: folder, subdirectory },
    { limits: DEFAULT_LIMITS, signal: new AbortController().signal, onProgress: () => undefined },
  );
  const facts = new Facts(snapshot);
  try {
    return (await toolManifest(facts)).tools.map(toReportTool);
  } finally {
    facts.dispose();
  }
}
