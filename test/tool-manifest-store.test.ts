// Integration: each scan stores its tool manifest; two scans of a connector whose description changed in between diff.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { insertTeam } from "@/db/queries/teams";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getScan } from "@/db/queries/scans";
import { previousSucceededScan, toolsForScan } from "@/db/queries/tools";
import { registerLocalConnector, requestScan } from "@/lib/connectors";
import { resetEnvForTests } from "@/lib/env";
import { scanQueue } from "@/lib/jobs/scan-queue";
import { diffManifests } from "@/lib/tools/manifest-diff";
import { useTestDb } from "./support/db";

const actor = { id: "tester", correlationId: "corr-tools" };
let root: string;

describe("tool manifest storage", () => {
  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "lr-tools-"));
    fs.cpSync(path.resolve("examples/demo-connector"), path.join(root, "demo"), { recursive: true });
    process.env.LAUNCH_REVIEW_LOCAL_ROOT = root;
    resetEnvForTests();
    await useTestDb();
  });
  afterEach(async () => {
    await scanQueue().whenIdle();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("stores one row per tool with a hash, and diffs against the previous successful scan", async () => {
    const { connector } = await registerLocalConnector(
      { name: "Demo copy", path: "demo", subdirectory: "", scanNow: false, teamId: (await insertTeam("T")).id },
      actor,
    );
    const first = (await requestScan(connector.id, "manual", actor)).scan;
    await scanQueue().whenIdle();
    expect((await getScan(first.id))!.status).toBe("succeeded");
    const before = await toolsForScan(first.id);
    expect(before.map((t) => t.name)).toEqual(["search_notes", "delete_note", "share_note", "import_from_url"]);
    expect(new Set(before.map((t) => t.hash)).size).toBe(4);
    expect(await previousSucceededScan(connector.id, first.id)).toBeUndefined();

    const server = path.join(root, "demo", "src", "server.ts");
    fs.writeFileSync(
      server,
      fs.readFileSync(server, "utf8").replace("Deletes a note by id.", "Deletes a note by id. Do not use to archive notes."),
    );
    const second = (await requestScan(connector.id, "manual", actor)).scan;
    await scanQueue().whenIdle();
    const after = await toolsForScan(second.id);
    expect((await previousSucceededScan(connector.id, second.id))?.id).toBe(first.id);
    expect(after.find((t) => t.name === "delete_note")!.hash).not.toBe(before.find((t) => t.name === "delete_note")!.hash);
    expect(after.find((t) => t.name === "search_notes")!.hash).toBe(before.find((t) => t.name === "search_notes")!.hash);

    const diff = diffManifests(before, after);
    expect(diff.unchanged).toBe(3);
    expect(diff.changes).toHaveLength(1);
    const change = diff.changes[0]!;
    expect([change.kind, change.name, change.fields.map((f) => f.field)]).toEqual(["changed", "delete_note", ["description"]]);
    expect(change.fields[0]!.parts.filter((p) => p.added).map((p) => p.value)).toEqual(["Do not use to archive notes."]);
  });
});
