// `launch-review submission [<source>] [--out FILE]`: writes chatgpt-app-submission.v1.json from what the scan reads:
// every tool with its three hints and a justification for each, app info where the code says it, and test-case
// stubs naming real tools. What the code can't say is listed on stderr for the team to fill in.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { runScan } from "@/lib/engine/scan";
import { limitsFromEnv } from "@/lib/engine/snapshot";
import { parseSourceInput } from "@/lib/engine/sources/parse";
import { archiveLimitsFromEnv } from "@/lib/engine/sources/types";
import type { SubmissionFile } from "@/lib/engine/submission/format";
import { env } from "@/lib/env";
import { UsageError } from "../usage";

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: "string" }, subdir: { type: "string" }, ref: { type: "string" } } });
  if (positionals.length > 1) throw new UsageError("submission takes at most one source (default: the current folder).");
  const input = positionals[0] ?? ".";
  const parsed = parseSourceInput(input, (v) => fs.existsSync(v));
  const spec =
    parsed.kind === "local"
      ? { kind: "local" as const, path: path.resolve(parsed.path), subdirectory: values.subdir ?? "" }
      : parsed.kind === "github"
        ? { kind: "github" as const, repository: parsed.repository, ref: values.ref ?? parsed.ref, subdirectory: values.subdir ?? parsed.subdirectory ?? "", token: process.env.GITHUB_TOKEN?.trim() || null, apiUrl: env().GITHUB_API_URL, tokenHint: "in GITHUB_TOKEN" }
        : null;
  if (!spec) throw new UsageError("submission reads a folder or a GitHub repository.");
  const report = await runScan(spec, { limits: limitsFromEnv(env()), archiveLimits: archiveLimitsFromEnv(env()) });
  const file = report.submission as SubmissionFile;
  const text = `${JSON.stringify(file, null, 2)}\n`;
  if (values.out) fs.writeFileSync(values.out, text);
  else process.stdout.write(text);
  const tools = Object.keys(file.tools).length;
  process.stderr.write(`launch-review: ${tools} tool${tools === 1 ? "" : "s"} with hints and justifications${values.out ? ` written to ${values.out}` : ""}.\n`);
  for (const need of file.launch_review?.needs_input ?? []) process.stderr.write(`  to fill in: ${need}\n`);
  return 0;
}
