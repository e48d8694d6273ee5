// Monitoring and alerting (a manual item): looks for error tracking, metrics, tracing or alert rules, and reports
// when none is found, naming what was searched, so the reviewer knows what to ask for.
import { manifests } from "@/lib/engine/parse/manifests";
import { isTestPath } from "@/lib/engine/parse/source-kind";
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
const CODE_MARKERS = [
  "Sentry.init",
  "sentry_sdk.init",
  "registerOTel",
  "NodeSDK(",
  "trace.get_tracer",
  "metrics.get_meter",
  "prometheus_client",
  "new Counter(",
  "dd-trace",
];
const CONFIG_FILES =
  /(?:^|\/)(?:sentry\.[\w.-]+\.(?:ts|js|mjs)|newrelic\.(?:js|cjs)|datadog\.ya?ml|otel[\w.-]*\.ya?ml|alertmanager\.ya?ml|[\w.-]*alerts?\.(?:ya?ml|rules)|prometheus\.ya?ml|[\w.-]*\.rules\.ya?ml)$/i;
const SEARCHED =
  "searched: Sentry, OpenTelemetry, Datadog, New Relic, Prometheus, Honeycomb, Bugsnag, Rollbar, Logfire, Axiom packages; Sentry/OTel init calls; alert and Prometheus rule files";

export const monitoringCheck: Check = {
  id: "monitoring",
  title: "Monitoring: error tracking, metrics and alerts",
  section: "operations",
  rules: Object.values(rules),
  async run({ snapshot, facts }) {
    const code = snapshot.find((p) => /\.(?:[cm]?[jt]sx?|py)$/.test(p) && !isTestPath(p));
    if (code.length === 0) return { status: "ok", findings: [] };
    const found = manifests(facts);
    const inDeps = found.some((m) =>
      [...m.packages].some((name) =>
        MONITORING_PACKAGES.some((p) => (p.endsWith("/") || p.endsWith("-") ? name.startsWith(p) : name === p)),
      ),
    );
    const configFile = snapshot.find((p) => CONFIG_FILES.test(p.slice(p.lastIndexOf("/") + 1).slice(0, 200)) && !isTestPath(p)).length > 0;
    const inCode =
      !inDeps &&
      !configFile &&
      code.some((p) => {
        const text = snapshot.text(p);
        return text !== null && CODE_MARKERS.some((m) => text.includes(m));
      });
    if (inDeps || configFile || inCode) return { status: "ok", findings: [] };

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
