// Key rotation: re-seals every stored repository token under a new master key. With the key file, the new key is
// written beside the old one first and swapped in after the database commit; until then both keys open tokens,
// so a crash half-way loses nothing. With LAUNCH_REVIEW_SECRET, the operator sets the new secret and restarts.
import { inTransaction } from "@/db/transaction";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getDb } from "@/db/client";
import { appendAudit } from "@/db/queries/audit";
import { allTokenCiphertexts, setConnectorTokenCiphertext } from "@/db/queries/connectors";
import { connectorTokenContext } from "../connector-token";
import { env } from "../env";
import { AppError } from "../core/errors";
import { KEY_FILE_NAME, keyFromSecret, masterKey, resetKeyCache } from "../keys";
import { openSecret, sealSecret } from "./secret-box";

export interface RotationResult {
  tokens: number;
  mode: "key-file" | "secret";
}

export async function rotateKeys(options: { newSecret?: string; actor: string }): Promise<RotationResult> {
  const usingSecret = Boolean(env().LAUNCH_REVIEW_SECRET);
  if (usingSecret && !options.newSecret) {
    throw new AppError("invalid:key_rotation", "LAUNCH_REVIEW_SECRET is set: pass the new secret on stdin (--new-secret-stdin).");
  }
  if (!usingSecret && options.newSecret)
    throw new AppError("invalid:key_rotation", "The key lives in the data folder; a new secret is generated there, none is needed.");
  const oldMaster = masterKey();
  const newMaster = options.newSecret ? keyFromSecret(options.newSecret) : randomBytes(32);
  if (newMaster.equals(oldMaster)) throw new AppError("invalid:key_rotation", "The new key is the same as the current one.");

  const keyFile = path.join(env().dataDir, KEY_FILE_NAME);
  const nextFile = `${keyFile}.next`;
  if (!usingSecret) fs.writeFileSync(nextFile, `${newMaster.toString("hex")}\n`, { mode: 0o600 });

  const tokens = await inTransaction(getDb(), async (tx) => {
    const rows = await allTokenCiphertexts(tx);
    for (const { id, sealed } of rows) {
      const plaintext = openSecret(sealed, connectorTokenContext(id), oldMaster);
      await setConnectorTokenCiphertext(id, sealSecret(plaintext, connectorTokenContext(id), newMaster), tx);
    }
    await appendAudit(
      {
        actor: options.actor,
        action: "keys.rotated",
        targetType: "system",
        correlationId: `rotate-${Date.now()}`,
        details: { tokens: rows.length },
      },
      tx,
    );
    return rows.length;
  });

  if (!usingSecret) fs.renameSync(nextFile, keyFile);
  resetKeyCache();
  return { tokens, mode: usingSecret ? "secret" : "key-file" };
}
