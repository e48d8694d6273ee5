// Run by admin-session.ts: signs the bench administrator in against the database in the environment; prints the cookie.
import { getAuth } from "@/lib/auth/auth";
import { BENCH_ADMIN } from "./app-server";

async function main(): Promise<void> {
  const response = await getAuth().api.signInEmail({ body: BENCH_ADMIN, asResponse: true });
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (!cookie.includes("session_token")) throw new Error(`sign-in failed (${response.status}): ${await response.text()}`);
  process.stdout.write(`${cookie}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
