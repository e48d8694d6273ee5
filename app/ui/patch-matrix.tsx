"use client";
// The fleet's patch matrix: connectors as rows, watched packages as columns. A client component only so the page's
// payload carries the rows as plain data (lib/fleet/dashboard.ts, matrixRowsData) rather than every cell's elements,
// which made the payload twice the HTML; it is rendered to HTML on the server like the rest of the page.
import Link from "next/link";
import type { MatrixRowData, MatrixVersion } from "@/lib/fleet/dashboard";
import { Name } from "./name";
import { Time } from "./time";

const STATUS_BADGE: Record<string, string> = { "not reviewed": "unknown", "in review": "running", "signed off": "pass", stale: "fail" };

function cellTitle(pkg: string, c: MatrixVersion): string {
  return [
    `${pkg}@${c.v}: ${c.lag}`,
    c.latest ? `, latest ${c.latest}` : "",
    c.advisories ? `, advisories ${c.advisories.join(", ")}` : "",
    c.unknown ? ", advisories unknown (the advisory source could not answer)" : "",
    c.fixedIn ? `, fixed in ${c.fixedIn}` : "",
  ].join("");
}

function Advisories({ row }: { row: MatrixRowData }) {
  if (row.scanId === null) return <span className="subtle">—</span>;
  if (row.advisoriesKnown)
    return (
      <>
        {row.advisoriesCritical} / {row.advisoriesHigh}
      </>
    );
  return (
    <>
      <span
        className="badge unknown"
        title="The dependency audit could not answer for every locked package (see the scan's Dependencies tab)."
      >
        unknown
      </span>
      {row.advisoriesCritical + row.advisoriesHigh > 0 ? (
        <span className="subtle">
          {" "}
          (at least {row.advisoriesCritical} / {row.advisoriesHigh})
        </span>
      ) : null}
    </>
  );
}

export function PatchMatrix({ packages, rows }: { packages: string[]; rows: MatrixRowData[] }) {
  return (
    <div className="table-wrap">
      <table className="matrix" data-testid="patch-matrix">
        <thead>
          <tr>
            <th scope="col">Connector</th>
            <th scope="col">Launch status</th>
            <th scope="col">Advisories (critical/high)</th>
            <th scope="col">Last scan</th>
            {packages.map((p) => (
              <th key={p} scope="col" className="mono">
                {p}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-connector={row.name}>
              <th scope="row">
                <Link href={`/connectors/${row.id}`}>
                  <Name value={row.name} />
                </Link>
                <div className="subtle">{row.teamName}</div>
              </th>
              <td>
                <span className={`badge ${STATUS_BADGE[row.status]}`}>{row.status}</span>
                {row.signedOffCommit ? <div className="mono subtle">{row.signedOffCommit}</div> : null}
              </td>
              <td data-testid="advisory-counts">
                <Advisories row={row} />
              </td>
              <td>{row.scanId ? <Time value={row.scannedAt} /> : <span className="subtle">never</span>}</td>
              {packages.map((p, i) => {
                const cell = row.cells[i];
                if (!cell || row.scanId === null) return <td key={p} className="cell" />;
                return (
                  <td
                    key={p}
                    className={`cell lag-${cell.lag}`}
                    title={cell.versions.map((c) => cellTitle(p, c)).join("\n")}
                    data-package={p}
                    data-lag={cell.lag}
                  >
                    {/* A plain anchor: thousands of cells would each carry a client Link. */}
                    <a href={`/scans/${row.scanId}/dependencies`}>{cell.versions.map((c) => c.v).join(", ")}</a>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
