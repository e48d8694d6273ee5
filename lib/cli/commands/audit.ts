// `launch-review audit verify`: walks the audit log's hash chain and reports the first broken link.
import { verifyAuditChain } from "@/db/queries/audit";
import { UsageError } from "../usage";

export async function run(args: string[]): Promise<number> {
  if (args[0] !== "verify" || args.length !== 1) throw new UsageError('audit takes one subcommand: "verify".');
  const result = await verifyAuditChain();
  if (result.ok) {
    process.stdout.write(`Audit log intact: ${result.entries} entries, every link verified.\n`);
    return 0;
  }
  process.stdout.write(
    `Audit log BROKEN at entry ${result.brokenAt!.id}: ${result.brokenAt!.reason}. ${result.entries - 1} entries before it verified.\n`,
  );
  return 1;
}
