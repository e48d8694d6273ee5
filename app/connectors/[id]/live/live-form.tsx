"use client";
import { useActionState } from "react";
import { showHidden } from "@/lib/engine/unicode";
import { WordDiff } from "../../../ui/word-diff";
import { liveToolsAction, type LiveFormState } from "./actions";
import { DataTable } from "../../../ui/data-table";

export function LiveForm({ connectorId }: { connectorId: number }) {
  const [state, action, pending] = useActionState<LiveFormState, FormData>(liveToolsAction, {});
  const r = state.result;
  const url = state.values?.url ?? "";
  const error = state.error ?? state.fieldErrors?.url ?? state.fieldErrors?.token;
  return (
    <>
      <form action={action} className="stacked" key={url}>
        <input type="hidden" name="connectorId" value={connectorId} />
        <div className="field">
          <label htmlFor="url">MCP server URL</label>
          <span className="hint" id="url-hint">
            The server&apos;s Streamable HTTP or SSE endpoint, e.g. https://mcp.example.com/mcp. Only http and https; private, loopback and
            cloud metadata addresses are refused.
          </span>
          <input
            id="url"
            name="url"
            type="url"
            required
            defaultValue={url}
            aria-describedby="url-hint"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor="token">Bearer token (optional)</label>
          <span className="hint" id="token-hint">
            Sent once as an Authorization header; never stored or shown again.
          </span>
          <input id="token" name="token" type="password" aria-describedby="token-hint" autoComplete="off" />
        </div>
        <div>
          <button type="submit" disabled={pending}>
            {pending ? "Connecting…" : "List tools"}
          </button>
        </div>
      </form>

      {error ? (
        <div className="form-error" role="alert" data-testid="live-error">
          {error}
        </div>
      ) : null}

      {r ? (
        <section aria-labelledby="live-heading" data-testid="live-result">
          <h2 id="live-heading">What the server serves</h2>
          <p className="subtle">
            {r.listing.url} over {r.listing.transport}
            {r.listing.server ? ` (${r.listing.server.name} ${r.listing.server.version})` : ""}: {r.listing.tools.length} tools,{" "}
            {r.listing.resources.length} resources.
          </p>
          {r.comparison ? (
            <div className="panel" data-testid="live-comparison">
              <p>
                Compared with scan #{r.scanId}: {r.comparison.matching} tools match.
              </p>
              {r.comparison.onlyStatic.length > 0 ? <p>In the code but not served: {r.comparison.onlyStatic.join(", ")}</p> : null}
              {r.comparison.onlyLive.length > 0 ? <p>Served but not found in the code: {r.comparison.onlyLive.join(", ")}</p> : null}
              {r.comparison.differing.map((d) => (
                <div key={d.name} className="field-change">
                  <div>
                    Description of <strong className="mono">{d.name}</strong> differs (code → served):
                  </div>
                  <WordDiff parts={d.parts} field="description" />
                </div>
              ))}
            </div>
          ) : (
            <p className="subtle">This connector has no successful scan yet, so there is nothing to compare with.</p>
          )}
          <DataTable columns={["Tool", "Description", "Annotations"]}>
            {r.listing.tools.map((t) => (
              <tr key={t.name}>
                <td className="mono">{t.name}</td>
                <td className="tool-description">{showHidden(t.description ?? "")}</td>
                <td className="mono">{t.annotations ? JSON.stringify(t.annotations) : "none"}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : null}
    </>
  );
}
