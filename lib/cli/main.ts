// launch-review: scan a connector from the command line, or serve the app. Each subcommand's modules load only when
// it runs, so `--version` and `--help` load nothing else. Exit codes: 0 nothing at or above --fail-on; 1 findings at
// or above it; 2 usage or source error (one line on stderr).
import { isAppError } from "@/lib/core/errors";
import { isUsageError, USAGE, UsageError, VERSION } from "./usage";

interface Command {
  run(args: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  scan: () => import("./commands/scan"),
  report: () => import("./commands/report"),
  submission: () => import("./commands/submission"),
  tools: () => import("./commands/tools"),
  serve: () => import("./commands/serve"),
  user: () => import("./commands/user"),
  audit: () => import("./commands/audit"),
  keys: () => import("./commands/keys"),
  worker: () => import("./commands/worker"),
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--version" || command === "-v" || command === "version") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) throw new UsageError(`Unknown command "${command}".`);
  return (await load()).run(rest);
}

/** Exits once stdout and stderr are flushed: writes to a pipe are asynchronous, and exiting early cuts a report short. */
function exitAfterFlush(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

main(process.argv.slice(2)).then(
  (code) => exitAfterFlush(code),
  (error: unknown) => {
    if (isUsageError(error)) process.stderr.write(`launch-review: ${error.message}\n\n${USAGE}\n`);
    else if (isAppError(error)) process.stderr.write(`launch-review: ${error.message}\n`);
    else process.stderr.write(`launch-review: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    exitAfterFlush(2);
  },
);
