// The CLI's report arrives whole through a pipe whose reader is slow: a pipe holds 64 KB, and a process that exits
// before its asynchronous writes drain cuts the report short.
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { ScanReport } from "@/lib/core/report";
import { CLI_BIN } from "./support/cli";

describe("launch-review scan output", () => {
  it("a JSON report larger than a pipe's buffer reaches a slow reader intact", async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        "sh",
        ["-c", `"${process.execPath}" "${CLI_BIN}" scan examples/demo-connector --format json --quiet | (sleep 2; cat)`],
        { env: { ...process.env, DATABASE_PATH: ":memory:" }, maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
        (error, out) => (error && !out ? reject(error) : resolve(out)),
      );
    });
    expect(stdout.length).toBeGreaterThan(64 * 1024);
    const report = JSON.parse(stdout) as ScanReport;
    expect(report.schemaVersion).toBe(1);
    expect(new Set(report.checklist.map((i) => i.section)).size).toBe(6);
  }, 60_000);
});
