// `launch-review report <report.json> --format md|sarif|json`: renders a saved JSON report again, so one scan can be
// written as JSON, SARIF and Markdown (the GitHub Action does this) without scanning twice.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import type { ScanReport } from "@/lib/core/report";
import { renderMarkdown } from "@/lib/engine/report/markdown";
import { renderSarif } from "@/lib/engine/report/sarif";
import { UsageError } from "../usage";

const MAX_BYTES = 64 * 1024 * 1024;
const SavedReport = z.object({ schemaVersion: z.literal(1), findings: z.array(z.unknown()), checklist: z.array(z.unknown()), source: z.object({}).passthrough() }).passthrough();

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { format: { type: "string" }, out: { type: "string" } } });
  if (positionals.length !== 1) throw new UsageError("report takes exactly one JSON report file.");
  const format = z.enum(["md", "sarif", "json"], { error: "--format must be md, sarif or json" }).default("md").safeParse(values.format);
  if (!format.success) throw new UsageError(format.error.issues[0]!.message);
  const file = positionals[0]!;
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new UsageError(`${file}: no such file.`);
  if (stat.size > MAX_BYTES) throw new UsageError(`${file} is larger than 64 MB.`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new UsageError(`${file} is not JSON: give a report written with scan --format json.`);
  }
  if (!SavedReport.safeParse(json).success) throw new UsageError(`${file} is not a Launch Review JSON report (schemaVersion 1).`);
  const report = json as ScanReport;
  const output = format.data === "md" ? `${renderMarkdown(report)}\n` : `${JSON.stringify(format.data === "sarif" ? renderSarif(report) : report, null, 2)}\n`;
  if (values.out) fs.writeFileSync(values.out, output);
  else process.stdout.write(output);
  return 0;
}
