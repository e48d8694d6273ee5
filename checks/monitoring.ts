// Monitoring and alerting (a manual item): looks for error tracking, metrics, tracing or alert rules, and reports
// when none is found, naming what was searched, so the reviewer knows what to ask for.
import type { CodeFacts } from "@/lib/engine/facts/code";
import { isShippedPath, NOT_SHIPPED_ROLES } from "@/lib/engine/facts/roles";
import { codeFinding, finish } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

export const rules = {
  none: defineRule({
    id: "monitoring/none-found",
    severity: "low",
    title: "No monitoring or alerting found in the repository",
    rationale:
      "The guidance asks for monitoring of anomalous traffic and alerts on repeated errors and failed authentication; without them an attack or an outage is noticed by users first.",
    remediation:
      "Add error tracking (Sentry, or OpenTelemetry to your APM) and metrics for request, error and 401/403 rates, with alerts on spikes; if monitoring lives outside this repository, link it when attesting this item.",
    item: "operations.monitoring-alerts",
    tags: { owasp: "MCP08:2025 Lack of Audit and Telemetry", cwe: ["CWE-778"] },
  }),
};

/** Package names (or prefixes ending in "/" or "-") of error tracking, metrics, tracing and APM clients. */
const MONITORING_PACKAGES = [
  "@sentry/",
  "sentry-sdk",
  "raven",
  "@opentelemetry/",
  "opentelemetry-",
  "@vercel/otel",
  "dd-trace",
  "ddtrace",
  "datadog",
  "@datadog/",
  "newrelic",
  "prom-client",
  "prometheus-client",
  "prometheus_client",
  "@honeycombio/",
  "honeycomb-beeline",
  "@bugsnag/",
  "bugsnag",
  "rollbar",
  "@highlight-run/",
  "logfire",
  "@axiomhq/",
  "@logtail/",
  "elastic-apm-node",
  "elastic-apm",
  "@google-cloud/error-reporting",
  "applicationinsights",
  "posthog-node",
  "@posthog/",
  "statsd",
  "hot-shots",
];
/** Calls that start error tracking, tracing or metrics (`new` for constructors), by name as written or resolved. */
const INIT_CALLS = /(?:^|\.)(?:Sentry\.init|sentry_sdk\.init|registerOTel|trace\.get_tracer|metrics\.get_meter)$/;
const INIT_CONSTRUCTORS = /(?:^|\.)(?:NodeSDK|Counter)$/;
/** Python modules of the clients above (import names differ from package names). */
const PYTHON_MODULES =
  /^(?:sentry_sdk|opentelemetry|ddtrace|newrelic|prometheus_client|logfire|rollbar|bugsnag|elasticapm|statsd|raven|beeline)(?:\.|$)/;
const CONFIG_FILES =
  /(?:^|\/)(?:sentry\.[\w.-]+\.(?:ts|js|mjs)|newrelic\.(?:js|cjs)|datadog\.ya?ml|otel[\w.-]*\.ya?ml|alertmanager\.ya?ml|[\w.-]*alerts?\.(?:ya?ml|rules)|prometheus\.ya?ml|[\w.-]*\.rules\.ya?ml)$/i;
const SEARCHED =
  "searched: Sentry, OpenTelemetry, Datadog, New Relic, Prometheus, Honeycomb, Bugsnag, Rollbar, Logfire, Axiom packages; Sentry/OTel init calls; alert and Prometheus rule files";

export const monitoringCheck: Check = {
  id: "monitoring",
  title: "Monitoring: error tracking, metrics and alerts",
  section: "operations",
  rules: Object.values(rules),
  run({ snapshot, facts }) {
    const code = facts.code.files
      .filter((f) => !NOT_SHIPPED_ROLES.has(f.role) && !/\.html?$/i.test(f.path))
      .map((f) => f.path)
      .sort();
    if (code.length === 0) return { status: "ok", findings: [] };
    const found = facts.manifests;
    const inDeps = found.some((m) => [...m.packages].some(isMonitoringPackage));
    const configFile =
      snapshot.find((p) => CONFIG_FILES.test(p.slice(p.lastIndexOf("/") + 1).slice(0, 200)) && isShippedPath(facts.code, p)).length > 0;
    if (inDeps || configFile || usesMonitoringInCode(facts.code)) return { status: "ok", findings: [] };
    // Monitoring set up only in code we could not read would be missed: say so rather than report its absence.
    const unreadable = facts.coverageProblem;
    if (unreadable)
      return {
        status: "unavailable",
        findings: [],
        error: `No monitoring in the dependencies or configuration, and the code could not be read: ${unreadable}.`,
      };

    const findings: Finding[] = [];
    const anchor = found[0]?.path ?? code[0]!;
    findings.push(
      codeFinding(rules.none, {
        path: anchor,
        line: 1,
        text: snapshot.text(anchor) ?? "",
        message: "No error tracking, metrics, tracing or alert rules were found in the dependencies, code or configuration.",
        evidence: SEARCHED,
        subject: "repository",
      }),
    );
    return finish(findings);
  },
};

function isMonitoringPackage(name: string): boolean {
  return MONITORING_PACKAGES.some((p) => (p.endsWith("/") || p.endsWith("-") ? name.startsWith(p) : name === p));
}

/** Shipped code that imports a monitoring client or starts one (a dependency the manifests may not list). */
/** The calls read below: `require` (of a monitoring package) and the init calls and constructors of one. */
const mayStartMonitoring = (callee: string, resolved: string): boolean =>
  callee === "require" || [callee, resolved].some((n) => INIT_CALLS.test(n) || INIT_CONSTRUCTORS.test(n));

function usesMonitoringInCode(code: CodeFacts): boolean {
  const shipped = (p: string) => isShippedPath(code, p);
  // A module is judged once, however many files import it.
  const monitoring = new Map<string, boolean>();
  const isMonitoringModule = (m: string) => {
    let known = monitoring.get(m);
    if (known === undefined) monitoring.set(m, (known = isMonitoringPackage(m.toLowerCase()) || PYTHON_MODULES.test(m)));
    return known;
  };
  const imported = code.imports.some((i) => isMonitoringModule(i.module) && shipped(i.path));
  if (imported) return true;
  return code.callsWhere(mayStartMonitoring).some((c) => {
    if (!shipped(c.path)) return false;
    if (c.callee === "require" && c.args[0]?.kind === "string") return isMonitoringPackage(c.args[0].value.toLowerCase());
    const names = [c.callee, c.resolved];
    return names.some((n) => INIT_CALLS.test(n) || (c.isNew && INIT_CONSTRUCTORS.test(n)));
  });
}
