// Opens a GitHub connector's sealed access token, for the scan job's GitHub client and nothing else.
import { connectorTokenCiphertext } from "@/db/queries/connectors";
import type { Connector } from "@/db/schema";
import { openSecret } from "./crypto/secret-box";

/** Binds a sealed token to its connector: copied to another row, it no longer opens. */
export function connectorTokenContext(connectorId: number): string {
  return `connector:${connectorId}`;
}

export async function connectorToken(connector: Pick<Connector, "id" | "hasToken">): Promise<string | null> {
  if (!connector.hasToken) return null;
  const sealed = await connectorTokenCiphertext(connector.id);
  return sealed ? openSecret(sealed, connectorTokenContext(connector.id)) : null;
}
