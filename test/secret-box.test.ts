import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KEY_FILE_NAME, openSecret, resetSecretBoxForTests, sealedKeyId, sealSecret } from "@/lib/crypto/secret-box";
import { resetEnvForTests } from "@/lib/env";
import { fakeSecret } from "./support/rules";

const token = `github_pat_${fakeSecret(40, 3)}`;
let dataDir: string;
const saved = { secret: process.env.LAUNCH_REVIEW_SECRET, db: process.env.DATABASE_PATH };

function useEnv(vars: { secret?: string }) {
  if (vars.secret === undefined) delete process.env.LAUNCH_REVIEW_SECRET;
  else process.env.LAUNCH_REVIEW_SECRET = vars.secret;
  process.env.DATABASE_PATH = path.join(dataDir, "launch-review.db");
  resetEnvForTests();
  resetSecretBoxForTests();
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-secret-"));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (saved.secret === undefined) delete process.env.LAUNCH_REVIEW_SECRET;
  else process.env.LAUNCH_REVIEW_SECRET = saved.secret;
  if (saved.db === undefined) delete process.env.DATABASE_PATH;
  else process.env.DATABASE_PATH = saved.db;
  resetEnvForTests();
  resetSecretBoxForTests();
});

describe("secret box", () => {
  it("seals with AES-256-GCM under a versioned key id, and opens only for the same context", () => {
    useEnv({ secret: fakeSecret(64, 1, "0123456789abcdef") });
    const sealed = sealSecret(token, "connector:1");
    expect(sealed).toMatch(/^lrsb1\.[0-9a-f]{16}\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(sealed).not.toContain(token);
    expect(sealSecret(token, "connector:1")).not.toBe(sealed); // a fresh IV every time
    expect(openSecret(sealed, "connector:1")).toBe(token);
    expect(() => openSecret(sealed, "connector:2")).toThrow(/could not be decrypted/);
    expect(sealedKeyId(sealed)).toBe(sealed.split(".")[1]);
  });

  it("refuses altered values", () => {
    useEnv({ secret: "a passphrase that is long enough to hash" });
    const parts = sealSecret(token, "c").split(".");
    const flipped = Buffer.from(parts[3]!, "base64url");
    flipped[0]! ^= 1;
    parts[3] = flipped.toString("base64url");
    expect(() => openSecret(parts.join("."), "c")).toThrow(/altered/);
    expect(() => openSecret("not sealed", "c")).toThrow(/unknown format/);
  });

  it("without LAUNCH_REVIEW_SECRET, generates a key file with mode 0600 in the data folder, once", () => {
    useEnv({});
    const sealed = sealSecret(token, "c");
    const file = path.join(dataDir, KEY_FILE_NAME);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const key = fs.readFileSync(file, "utf8");
    resetSecretBoxForTests();
    expect(openSecret(sealed, "c")).toBe(token); // same key after a restart
    expect(fs.readFileSync(file, "utf8")).toBe(key);
  });

  it("tightens a key file others can read", () => {
    fs.writeFileSync(path.join(dataDir, KEY_FILE_NAME), `${fakeSecret(64, 2, "0123456789abcdef")}\n`, { mode: 0o644 });
    useEnv({});
    sealSecret(token, "c");
    expect(fs.statSync(path.join(dataDir, KEY_FILE_NAME)).mode & 0o777).toBe(0o600);
  });

  it("says clearly when the key changed since a value was sealed", () => {
    useEnv({ secret: fakeSecret(64, 4, "0123456789abcdef") });
    const sealed = sealSecret(token, "c");
    useEnv({ secret: fakeSecret(64, 5, "0123456789abcdef") });
    expect(() => openSecret(sealed, "c")).toThrow(/encrypted with another key than the current one \(LAUNCH_REVIEW_SECRET\)/);
  });
});
