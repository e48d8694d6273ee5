// Encrypts small secrets at rest (connectors' GitHub access tokens): AES-256-GCM, with a key derived for this one
// purpose from the master key. The master key is LAUNCH_REVIEW_SECRET when set, otherwise a random key generated
// once into the data folder with mode 0600. Each sealed value names its format version and key id, so a later
// key-rotation command can find what was sealed under an old key and re-seal it.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "../env";
import { AppError } from "../errors";

export const KEY_FILE_NAME = "launch-review.key";
const VERSION = "lrsb1";
const PURPOSE = "repository-tokens";
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface Key {
  id: string;
  bytes: Buffer;
  /** Where it came from, for error messages: never the key itself. */
  origin: string;
}

/** A 32-byte key as hex or base64, or any other passphrase hashed to 32 bytes. */
function masterFromSecret(secret: string): Buffer {
  if (/^[0-9a-f]{64}$/i.test(secret)) return Buffer.from(secret, "hex");
  if (/^[A-Za-z0-9+/]{43}=?$/.test(secret)) {
    const decoded = Buffer.from(secret, "base64");
    if (decoded.length === 32) return decoded;
  }
  return createHash("sha256").update(secret).digest();
}

/** Reads the key file, or creates it (mode 0600, never overwriting one another process just wrote). */
function masterFromFile(file: string): Buffer {
  try {
    const stat = fs.statSync(file);
    // A key readable by others is tightened, not trusted as is.
    if ((stat.mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
    return Buffer.from(fs.readFileSync(file, "utf8").trim(), "hex");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    fs.writeFileSync(file, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return Buffer.from(fs.readFileSync(file, "utf8").trim(), "hex");
    throw error;
  }
}

let cached: { source: string; key: Key } | undefined;

/** The key that seals new values: derived with HKDF for this purpose, so no other feature shares its bytes. */
export function currentKey(): Key {
  const secret = env().LAUNCH_REVIEW_SECRET;
  const file = path.join(env().dataDir, KEY_FILE_NAME);
  const source = secret ? `env:${createHash("sha256").update(secret).digest("hex")}` : `file:${file}`;
  if (cached?.source === source) return cached.key;
  const master = secret ? masterFromSecret(secret) : masterFromFile(file);
  if (master.length !== 32) {
    throw new AppError("config:secret_key", `The key in ${file} is not 32 bytes. Restore it, or set LAUNCH_REVIEW_SECRET.`);
  }
  const bytes = Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), `launch-review:${PURPOSE}`, 32));
  const id = createHash("sha256").update("key-id\0").update(bytes).digest("hex").slice(0, 16);
  const key = { id, bytes, origin: secret ? "LAUNCH_REVIEW_SECRET" : file };
  cached = { source, key };
  return key;
}

/** Tests switch keys between cases. */
export function resetSecretBoxForTests(): void {
  cached = undefined;
}

function aad(context: string): Buffer {
  return Buffer.from(`${VERSION}\0${PURPOSE}\0${context}`);
}

/**
 * Seals `plaintext` for `context` (e.g. "connector:12"): the sealed value only opens for the same context, so a
 * value copied to another row is useless. Format: `lrsb1.<key id>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export function sealSecret(plaintext: string, context: string): string {
  const key = currentKey();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.bytes, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, key.id, iv.toString("base64url"), ciphertext.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** The key id a sealed value was made with (for a rotation command); null when it is not a sealed value. */
export function sealedKeyId(sealed: string): string | null {
  const parts = sealed.split(".");
  return parts.length === 5 && parts[0] === VERSION ? parts[1]! : null;
}

export function openSecret(sealed: string, context: string): string {
  const parts = sealed.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new AppError("secret:unreadable", "A stored access token is in an unknown format. Set the token again on the connector page.");
  }
  const [, keyId, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  const key = currentKey();
  if (keyId !== key.id) {
    throw new AppError(
      "secret:key_changed",
      `A stored access token was encrypted with another key than the current one (${key.origin}). Restore the old key, or set the token again on the connector page.`,
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(context));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new AppError(
      "secret:unreadable",
      "A stored access token could not be decrypted (it was altered). Set the token again on the connector page.",
    );
  }
}
