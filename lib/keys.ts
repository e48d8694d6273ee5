// The app's master key and the keys derived from it. From LAUNCH_REVIEW_SECRET when set; otherwise a random key
// generated once into the data folder with mode 0600. Each use gets its own key via HKDF, so no two features
// share key material.
import { createHash, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { databaseDialect } from "@/db/config";
import { env } from "./env";

export const KEY_FILE_NAME = "launch-review.key";

export function keyFromSecret(secret: string): Buffer {
  // Accept a 32-byte key in hex or base64, or hash any other passphrase to 32 bytes.
  if (/^[0-9a-f]{64}$/i.test(secret)) return Buffer.from(secret, "hex");
  const b64 = Buffer.from(secret, "base64");
  if (b64.length === 32 && /^[A-Za-z0-9+/]{43}=?$/.test(secret)) return b64;
  return createHash("sha256").update(secret).digest();
}

function keyFromFile(file: string): Buffer {
  try {
    // A key readable by others is tightened, not trusted as is.
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
    return Buffer.from(fs.readFileSync(file, "utf8").trim(), "hex");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    // "wx": never overwrite a key another process just wrote.
    fs.writeFileSync(file, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return Buffer.from(fs.readFileSync(file, "utf8").trim(), "hex");
    throw error;
  }
}

let cached: { source: string; key: Buffer } | undefined;

/** Tests and the key-rotation command switch keys. */
export function resetKeyCache(): void {
  cached = undefined;
}

/** The master key: LAUNCH_REVIEW_SECRET, or the key file in the data folder (created on first use). */
export function masterKey(): Buffer {
  const secret = env().LAUNCH_REVIEW_SECRET;
  // On Postgres, web and worker processes may run on different machines: a key file each would not decrypt the
  // tokens or sessions of the others.
  if (!secret && databaseDialect() === "postgres")
    throw new Error("On PostgreSQL, set LAUNCH_REVIEW_SECRET (the same value in the web and every worker process).");
  const source = secret ? `env:${createHash("sha256").update(secret).digest("hex")}` : `file:${path.join(env().dataDir, KEY_FILE_NAME)}`;
  if (cached?.source === source) return cached.key;
  const key = secret ? keyFromSecret(secret) : keyFromFile(path.join(env().dataDir, KEY_FILE_NAME));
  if (key.length !== 32)
    throw new Error(`The key in ${path.join(env().dataDir, KEY_FILE_NAME)} is not 32 bytes; restore it or set LAUNCH_REVIEW_SECRET.`);
  cached = { source, key };
  return key;
}

/**
 * Master keys that may have sealed stored values: the current one and, if a key rotation was interrupted after
 * its database commit, the new key still waiting beside it ("<key file>.next").
 */
export function candidateMasterKeys(): Buffer[] {
  const keys = [masterKey()];
  const next = path.join(env().dataDir, `${KEY_FILE_NAME}.next`);
  if (!env().LAUNCH_REVIEW_SECRET && fs.existsSync(next)) keys.push(Buffer.from(fs.readFileSync(next, "utf8").trim(), "hex"));
  return keys;
}

/** A 32-byte key for one purpose ("auth-cookies", "repository-tokens"), derived from `master`. */
export function deriveKey(purpose: string, master: Buffer = masterKey()): Buffer {
  return Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), `launch-review:${purpose}`, 32));
}
