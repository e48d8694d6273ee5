import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDb, setDb } from "@/db/client";
import { connectorTokenCiphertext, insertConnector, setConnectorTokenCiphertext } from "@/db/queries/connectors";
import { insertTeam } from "@/db/queries/teams";
import { connectorTokenContext } from "@/lib/connector-token";
import { rotateKeys } from "@/lib/crypto/rotate-keys";
import { openSecret, resetSecretBoxForTests, sealSecret } from "@/lib/crypto/secret-box";
import { resetEnvForTests } from "@/lib/env";
import { KEY_FILE_NAME, keyFromSecret } from "@/lib/keys";
import { fakeSecret } from "./support/rules";

const token = `ghp_${fakeSecret(36, 41)}`;
let dir: string;

function useEnv(secret?: string) {
  if (secret === undefined) delete process.env.LAUNCH_REVIEW_SECRET;
  else process.env.LAUNCH_REVIEW_SECRET = secret;
  process.env.DATABASE_PATH = path.join(dir, "launch-review.db");
  resetEnvForTests();
  resetSecretBoxForTests();
}

async function connectorWithToken(): Promise<number> {
  const team = await insertTeam("T");
  const c = await insertConnector({ name: "GH", sourceKind: "github", location: "acme/notes", teamId: team.id });
  await setConnectorTokenCiphertext(c.id, sealSecret(token, connectorTokenContext(c.id)));
  return c.id;
}

describe("key rotation", () => {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-keys-"));
  });
  afterEach(() => {
    setDb(undefined);
    delete process.env.LAUNCH_REVIEW_SECRET;
    resetEnvForTests();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("re-seals tokens under a new key file; the old key no longer opens them", async () => {
    useEnv();
    setDb(openDb(process.env.DATABASE_PATH!));
    const id = await connectorWithToken();
    const oldKey = Buffer.from(fs.readFileSync(path.join(dir, KEY_FILE_NAME), "utf8").trim(), "hex");
    const before = (await connectorTokenCiphertext(id))!;

    expect(await rotateKeys({ actor: "test" })).toEqual({ tokens: 1, mode: "key-file" });
    const newKey = Buffer.from(fs.readFileSync(path.join(dir, KEY_FILE_NAME), "utf8").trim(), "hex");
    expect(newKey.equals(oldKey)).toBe(false);
    expect((fs.statSync(path.join(dir, KEY_FILE_NAME)).mode & 0o777).toString(8)).toBe("600");
    const after = (await connectorTokenCiphertext(id))!;
    expect(after).not.toBe(before);
    expect(openSecret(after, connectorTokenContext(id))).toBe(token);
    expect(() => openSecret(after, connectorTokenContext(id), oldKey)).toThrow();
    expect(fs.existsSync(path.join(dir, `${KEY_FILE_NAME}.next`))).toBe(false);
  });

  it("still opens tokens when a rotation stopped between the database commit and the key swap", async () => {
    useEnv();
    setDb(openDb(process.env.DATABASE_PATH!));
    const id = await connectorWithToken();
    // The state a crash would leave: tokens sealed under the pending key, which waits beside the old one.
    const pending = Buffer.alloc(32, 7);
    fs.writeFileSync(path.join(dir, `${KEY_FILE_NAME}.next`), `${pending.toString("hex")}\n`, { mode: 0o600 });
    await setConnectorTokenCiphertext(id, sealSecret(token, connectorTokenContext(id), pending));
    resetSecretBoxForTests();
    expect(openSecret((await connectorTokenCiphertext(id))!, connectorTokenContext(id))).toBe(token);
  });

  it("with LAUNCH_REVIEW_SECRET, re-seals under the new secret given on stdin", async () => {
    const oldSecret = fakeSecret(48, 1);
    const newSecret = fakeSecret(48, 2);
    useEnv(oldSecret);
    setDb(openDb(process.env.DATABASE_PATH!));
    const id = await connectorWithToken();
    await expect(rotateKeys({ actor: "test" })).rejects.toThrow(/--new-secret-stdin/);
    expect(await rotateKeys({ actor: "test", newSecret })).toEqual({ tokens: 1, mode: "secret" });
    expect(openSecret((await connectorTokenCiphertext(id))!, connectorTokenContext(id), keyFromSecret(newSecret))).toBe(token);
    useEnv(newSecret);
    expect(openSecret((await connectorTokenCiphertext(id))!, connectorTokenContext(id))).toBe(token);
  });
});
