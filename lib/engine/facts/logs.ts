// Logging as the code does it, in both languages: which calls write to a log (console, pino, winston, bunyan,
// Python logging, structlog, loguru, print, and instances made by their factories), and where loggers are set up
// and whether those setups redact.
import type { CallFact } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import { entry } from "./http";

const CONSOLE_METHODS = new Set(["log", "info", "warn", "error", "debug", "trace", "dir"]);
const JS_LEVELS = new Set(["log", "info", "warn", "error", "debug", "trace", "fatal", "verbose", "silly", "http"]);
const PY_LEVELS = new Set(["debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg"]);
const LOGGER_FACTORIES = /^(?:pino|pino\.default|winston\.createLogger|bunyan\.createLogger|logging\.getLogger|structlog\.get_logger|structlog\.getLogger|loguru\.logger|consola\.create|log4js\.getLogger|createLogger|getLogger)$/;

/** Whether a receiver name reads as a logger: `logger`, `log`, `this.logger`, `req.log`, `appLogger`, `_log`. */
export function isLoggerName(receiver: string): boolean {
  const last = receiver.slice(receiver.lastIndexOf(".") + 1).toLowerCase();
  return last === "log" || last === "logger" || last.endsWith("logger") || last === "_logger" || last === "_log" || last === "logging";
}

/** A necessary condition of writesToLog, on the names alone: `print`, or a console or log-level method. */
export function mayLog(callee: string, resolved: string): boolean {
  if (callee === "print" || resolved === "builtins.print") return true;
  const dot = callee.lastIndexOf(".");
  if (dot === -1) return false;
  const method = callee.slice(dot + 1);
  if (callee.slice(0, dot) === "console") return CONSOLE_METHODS.has(method);
  return JS_LEVELS.has(method) || PY_LEVELS.has(method);
}

/** Several facts ask of every call; the log calls of a scan are worked out once, from the calls whose names may log. */
const logCallsOf = new WeakMap<CodeFacts, ReadonlySet<CallFact>>();

export function isLogCall(code: CodeFacts, call: CallFact): boolean {
  let logCalls = logCallsOf.get(code);
  if (!logCalls) logCallsOf.set(code, (logCalls = new Set(code.callsWhere(mayLog).filter((c) => writesToLog(code, c)))));
  return logCalls.has(call);
}

function writesToLog(code: CodeFacts, call: CallFact): boolean {
  const callee = call.callee;
  if (callee === "print" || call.resolved === "builtins.print") return code.fileOf(call.fn)?.language === "py";
  const dot = callee.lastIndexOf(".");
  if (dot === -1) return false;
  const receiver = callee.slice(0, dot);
  const method = callee.slice(dot + 1);
  if (receiver === "console") return CONSOLE_METHODS.has(method);
  const levels = code.fileOf(call.fn)?.language === "py" ? PY_LEVELS : JS_LEVELS;
  if (!levels.has(method)) return false;
  if (receiver === "logging" || (call.resolved.startsWith("logging.") && call.resolved.split(".").length === 2) || call.resolved.startsWith("loguru.logger.")) return true;
  if (isLoggerName(receiver)) return true;
  // An instance of a logger factory: `const l = pino()`, `audit = logging.getLogger("audit")`.
  if (!receiver.includes(".") || /^(?:this|self)\.\w+$/.test(receiver)) {
    for (const v of code.lookup(call.fn, receiver)) {
      const made = code.callOf(v);
      if (made && LOGGER_FACTORIES.test(made.resolved || made.callee)) return true;
    }
  }
  return false;
}

export interface LoggerSetup {
  path: string;
  line: number;
  library: "pino" | "winston" | "bunyan" | "logging" | "structlog" | "loguru";
  /** Redaction is configured in this setup (pino `redact`, a logging Filter, a structlog processor that masks). */
  redacts: boolean;
}

const REDACTION = /redact|mask|scrub|sanitiz|censor|filter/;
const PY_REDACTION = /redact|mask|scrub|sanitiz|censor/;

/** The logger setups loggerSetups reads, by name. */
function setsUpLogger(callee: string, resolved: string): boolean {
  const name = resolved || callee;
  return (
    ["pino", "pino.default", "pino.pino", "winston.createLogger", "bunyan.createLogger", "structlog.configure", "loguru.logger.add"].includes(name) ||
    /^logging\.(?:basicConfig|config\.dictConfig)$/.test(name)
  );
}

export function loggerSetups(code: CodeFacts, textOf: (path: string) => string | null): LoggerSetup[] {
  const out: LoggerSetup[] = [];
  for (const call of code.callsWhere(setsUpLogger)) {
    const name = call.resolved || call.callee;
    let library: LoggerSetup["library"] | null = null;
    if (name === "pino" || name === "pino.default" || name === "pino.pino") library = "pino";
    else if (name === "winston.createLogger") library = "winston";
    else if (name === "bunyan.createLogger") library = "bunyan";
    else if (/^logging\.(?:basicConfig|config\.dictConfig)$/.test(name)) library = "logging";
    else if (name === "structlog.configure") library = "structlog";
    else if (name === "loguru.logger.add") library = "loguru";
    if (!library) continue;
    const file = code.fileOf(call.fn);
    const fileWords = (textOf(call.path) ?? "").toLowerCase();
    // pino redacts with its `redact` option; the others through formats, filters or processors defined nearby.
    const options = call.args[0];
    const redacts =
      library === "pino"
        ? !!(options && (entry(options, "redact") || /redact/i.test(options.text)))
        : file?.language === "py"
          ? // "filter" alone is common prose in Python docstrings; a logging Filter is installed with addFilter.
            PY_REDACTION.test(fileWords) || /addfilter|logging\.filter/.test(fileWords)
          : REDACTION.test(fileWords);
    out.push({ path: call.path, line: call.line, library, redacts });
  }
  return out;
}
