// Encrypts small secrets at rest (connectors' GitHub access tokens): AES-256-GCM, with a key derived for this one
// purpose from the master key. The master key is LAUNCH_REVIEW_SECRET when set, otherwise a random key generated
// once into the data folder with mode 0600. Each sealed value names its format version and key id, so a later
// key-rotation command can find what was sealed under an old key and re-seal it.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env } from "../env";
import { AppError } from "../core/errors";
import { candidateMasterKeys, deriveKey, KEY_FILE_NAME, masterKey, resetKeyCache } from "../keys";

export { KEY_FILE_NAME };

/** Tests switch keys between cases. */
export function resetSecretBoxForTests(): void {
  resetKeyCache();
}

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

/** The key that seals values under `master` (by default the app's master key): derived with HKDF for this purpose. */
export function currentKey(master: Buffer = masterKey()): Key {
  const bytes = deriveKey(PURPOSE, master);
  const id = createHash("sha256").update("key-id\0").update(bytes).digest("hex").slice(0, 16);
  return { id, bytes, origin: env().LAUNCH_REVIEW_SECRET ? "LAUNCH_REVIEW_SECRET" : `${env().dataDir}/${KEY_FILE_NAME}` };
}

function aad(context: string): Buffer {
  return Buffer.from(`${VERSION}\0${PURPOSE}\0${context}`);
}

/**
 * Seals `plaintext` for `context` (e.g. "connector:12"): the sealed value only opens for the same context, so a
 * value copied to another row is useless. Format: `lrsb1.<key id>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export function sealSecret(plaintext: string, context: string, master?: Buffer): string {
  const key = currentKey(master);
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

export function openSecret(sealed: string, context: string, master?: Buffer): string {
  const parts = sealed.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new AppError("invalid:secret", "A stored access token is in an unknown format. Set the token again on the connector page.");
  }
  const [, keyId, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  // An interrupted key rotation leaves some values under the new key: any candidate whose id matches opens them.
  const key =
    (master ? [currentKey(master)] : candidateMasterKeys().map((m) => currentKey(m))).find((k) => k.id === keyId) ?? currentKey(master);
  if (keyId !== key.id) {
    throw new AppError(
      "conflict:secret_key",
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
      "invalid:secret",
      "A stored access token could not be decrypted (it was altered). Set the token again on the connector page.",
    );
  }
}
