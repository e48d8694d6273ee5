// `launch-review user create`: accounts from the command line, for the first administrator or for scripts.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import { findTeamByName, insertTeam } from "@/db/queries/teams";
import { TEAM_ROLES } from "@/db/schema";
import { createPasswordUser, setMembership } from "@/lib/auth/users";
import { checkedFlags, UsageError } from "../usage";

const Flags = z
  .object({
    email: z.string({ error: "--email is required" }).min(3),
    name: z.string().min(1).max(100).optional(),
    admin: z.boolean().default(false),
    team: z.string().min(1).max(80).optional(),
    role: z.enum(TEAM_ROLES, { error: `--role must be one of ${TEAM_ROLES.join(", ")}` }).optional(),
    "password-stdin": z.boolean().default(false),
  })
  .refine((f) => (f.team === undefined) === (f.role === undefined), { message: "--team and --role go together" });

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

export async function run(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "create") throw new UsageError('user takes one subcommand: "create".');
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: "string" },
      name: { type: "string" },
      admin: { type: "boolean" },
      team: { type: "string" },
      role: { type: "string" },
      "password-stdin": { type: "boolean" },
    },
  });
  const f = checkedFlags(Flags, values);
  // Never from argv: other users of the machine can read a process's arguments.
  const generated = !f["password-stdin"];
  const password = generated ? randomBytes(15).toString("base64url") : await readStdin();
  const user = await createPasswordUser(
    { email: f.email, name: f.name ?? f.email.split("@")[0]!, password, isAdmin: f.admin },
    { id: "cli", correlationId: `cli-${Date.now()}` },
  );
  if (f.team && f.role) {
    const team = (await findTeamByName(f.team)) ?? (await insertTeam(f.team));
    await setMembership(team.id, user.id, f.role, { id: "cli", correlationId: `cli-${Date.now()}` });
  }
  process.stdout.write(`Created ${user.email}${f.admin ? " (administrator)" : ""}${f.team ? ` as ${f.role} of ${f.team}` : ""}.\n`);
  if (generated) process.stdout.write(`Password: ${password}\n`);
  return 0;
}
