// Log statements (console, pino, winston, bunyan, Python logging, structlog, print) and logger setups, in server code.
import type { Facts } from "../facts/container";
import { lineOf, ts } from "./js";
import { jsIndex, type JsFileIndex } from "./js-index";
import { keywordArgs, positionalArgs, pyIndex, pyLine, type PyFileIndex } from "./py-index";
import type { PyNode } from "./python";
import { isTestPath } from "./source-kind";
import { serverJsFiles } from "./server-code";

export interface JsLogCall {
  language: "js";
  file: JsFileIndex;
  node: ts.CallExpression;
  line: number;
  callee: string;
  args: readonly ts.Expression[];
}

export interface PyLogCall {
  language: "py";
  file: PyFileIndex;
  node: PyNode;
  line: number;
  callee: string;
  /** Positional and keyword argument values (structlog logs keywords too). */
  args: PyNode[];
}

export type LogCall = JsLogCall | PyLogCall;

export interface LoggerSetup {
  language: "js" | "py";
  path: string;
  line: number;
  library: "pino" | "winston" | "bunyan" | "logging" | "structlog" | "loguru";
  /** Redaction is configured in this setup (pino `redact`, a logging Filter, a structlog processor that masks). */
  redacts: boolean;
}

const JS_LEVELS = new Set(["log", "info", "warn", "error", "debug", "trace", "fatal", "verbose", "silly", "http"]);
const CONSOLE_METHODS = new Set(["log", "info", "warn", "error", "debug", "trace", "dir"]);
const PY_LEVELS = new Set(["debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "msg"]);
const REDACTION_WORDS = ["redact", "mask", "scrub", "sanitiz", "censor", "filter"];

/** Whether a receiver name is a logger: `logger`, `log`, `this.logger`, `req.log`, `fastify.log`, `appLogger`. */
function isLoggerName(receiver: string): boolean {
  const last = receiver.slice(receiver.lastIndexOf(".") + 1).toLowerCase();
  return last === "log" || last === "logger" || last.endsWith("logger") || last === "_logger" || last === "_log";
}

export async function logCalls(facts: Facts): Promise<readonly LogCall[]> {
  return facts.memo("code:log-calls", async () => {
    const out: LogCall[] = [];
    for (const file of serverJsFiles(facts)) {
      for (const { node, callee } of file.calls) {
        if (!callee || !ts.isCallExpression(node)) continue;
        const dot = callee.lastIndexOf(".");
        if (dot === -1) continue;
        const receiver = callee.slice(0, dot);
        const method = callee.slice(dot + 1);
        const isLog = receiver === "console" ? CONSOLE_METHODS.has(method) : JS_LEVELS.has(method) && isLoggerName(receiver);
        if (isLog) out.push({ language: "js", file, node, line: lineOf(node, file.sourceFile), callee, args: node.arguments });
      }
    }
    for (const file of await pyIndex(facts)) {
      if (isTestPath(file.path)) continue;
      for (const { node, callee } of file.calls) {
        if (!callee) continue;
        const dot = callee.lastIndexOf(".");
        const receiver = dot === -1 ? "" : callee.slice(0, dot);
        const method = callee.slice(dot + 1);
        const isLog = callee === "print" || (PY_LEVELS.has(method) && (receiver === "logging" || isLoggerName(receiver)));
        if (!isLog) continue;
        const args = [...positionalArgs(node), ...keywordArgs(node).values()];
        out.push({ language: "py", file, node, line: pyLine(node), callee, args });
      }
    }
    return out;
  });
}

/** Where loggers are created, and whether each setup redacts. */
export async function loggerSetups(facts: Facts): Promise<readonly LoggerSetup[]> {
  return facts.memo("code:logger-setups", async () => {
    const out: LoggerSetup[] = [];
    for (const file of jsIndex(facts)) {
      if (isTestPath(file.path)) continue;
      for (const { node, callee } of file.calls) {
        if (!callee) continue;
        const library =
          callee === "pino" || callee === "pino.default"
            ? "pino"
            : callee === "winston.createLogger" || callee === "createLogger"
              ? "winston"
              : callee === "bunyan.createLogger"
                ? "bunyan"
                : null;
        if (!library) continue;
        // `createLogger` alone is winston only when the file imports winston.
        if (callee === "createLogger" && !file.text.includes("winston")) continue;
        const text = file.text.slice(node.getStart(file.sourceFile), node.getEnd()).toLowerCase();
        // pino has a redact option; winston and bunyan redact through formats or serializers, often defined elsewhere
        // in the same file.
        const redacts = library === "pino" ? text.includes("redact") : REDACTION_WORDS.some((w) => file.text.toLowerCase().includes(w));
        out.push({ language: "js", path: file.path, line: lineOf(node, file.sourceFile), library, redacts });
      }
    }
    for (const file of await pyIndex(facts)) {
      if (isTestPath(file.path)) continue;
      const lower = file.text.toLowerCase();
      for (const { node, callee } of file.calls) {
        const library =
          callee === "logging.basicConfig" || callee === "logging.config.dictConfig" || callee === "dictConfig"
            ? "logging"
            : callee === "structlog.configure"
              ? "structlog"
              : callee === "logger.add" && lower.includes("loguru")
                ? "loguru"
                : null;
        if (!library) continue;
        const redacts =
          lower.includes("addfilter") ||
          lower.includes("logging.filter") ||
          REDACTION_WORDS.some((w) => w !== "filter" && lower.includes(w));
        out.push({ language: "py", path: file.path, line: pyLine(node), library, redacts });
      }
    }
    return out;
  });
}
