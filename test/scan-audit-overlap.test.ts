// The dependency audit's requests go out before the code is read and are answered while it is: a scan waits for the
// network and for the processor at once, not one after the other.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runScan } from "@/lib/engine/scan";
import { startFakeRegistry, type FakeRegistry } from "./support/fake-registry";
import { stubDependencyServices } from "./support/dependency-services";
import { generatedRepoFiles } from "./support/generated-repo";

let registry: FakeRegistry | null = null;
let dir: string | null = null;
afterEach(async () => {
  await registry?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  registry = dir = null;
});

describe("a scan with a dependency audit", () => {
  it("has asked for advisories by the time it has read the code", async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-overlap-"));
    const demo = path.resolve("examples/demo-connector");
    for (const name of ["package.json", "package-lock.json"]) fs.copyFileSync(path.join(demo, name), path.join(dir, name));
    // Enough code that reading it takes many of the engine's 10 ms turns of the event loop.
    for (const [file, text] of Object.entries(generatedRepoFiles(300, 1_500_000))) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    registry = await startFakeRegistry();
    let askedBeforeAudit: number | null = null;
    const report = await runScan(
      { kind: "local", path: dir },
      {
        services: { dependencies: stubDependencyServices(registry.url) },
        onProgress: (p) => {
          if (p.message === "Auditing dependencies") askedBeforeAudit = registry!.bulkRequests.length;
        },
      },
    );
    expect(report.dependencies?.advisorySource.status).toBe("ok");
    expect(registry.bulkRequests.length).toBe(1);
    expect(askedBeforeAudit).toBe(1);
  }, 60_000);
});
