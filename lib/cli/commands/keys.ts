// `launch-review keys rotate`: re-encrypts every stored token under a new key.
import { parseArgs } from "node:util";
import { rotateKeys } from "@/lib/crypto/rotate-keys";
import { UsageError } from "../usage";

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { "new-secret-stdin": { type: "boolean" } } });
  if (positionals.length !== 1 || positionals[0] !== "rotate") throw new UsageError('keys takes one subcommand: "rotate".');
  const newSecret = values["new-secret-stdin"] ? (await readStdin()).trim() : undefined;
  if (newSecret !== undefined && newSecret.length < 32) throw new UsageError("The new secret must be at least 32 characters.");
  const result = await rotateKeys({ newSecret, actor: "cli" });
  process.stdout.write(
    `Re-encrypted ${result.tokens} repository token${result.tokens === 1 ? "" : "s"} under the new key.\n` +
      (result.mode === "secret"
        ? "Now set LAUNCH_REVIEW_SECRET to the new value and restart the app: until then it can't read the tokens.\n"
        : "The new key replaced the old one in the data folder.\n") +
      "Everyone is signed out: session cookies were signed with the old key.\n",
  );
  return 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
