import Link from "next/link";
import { listTeams } from "@/db/queries/teams";
import { DASHBOARD_PAGE_SIZE, fleetQueryString, LAUNCH_STATUSES, matrixRowsData, parseFleetFilters } from "@/lib/fleet/dashboard";
import { dashboardHistory, loadDashboard } from "@/lib/fleet/load";
import { requireUser } from "./_server/session";
import { FINDINGS_AND_LAG_SERIES, TrendChart } from "./ui/trend-chart";
import { Pagination } from "./ui/pagination";
import { PatchMatrix } from "./ui/patch-matrix";

export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const q = await searchParams;
  const filters = parseFleetFilters((name) => first(q[name]));
  const scope = user.isAdmin ? ("all" as const) : user.memberships.map((m) => m.teamId);
  // Independent reads, asked together: on PostgreSQL each waits for its own round trip.
  const [dashboard, teams, trend] = await Promise.all([
    loadDashboard(scope, filters),
    user.isAdmin ? listTeams() : user.memberships.map((m) => ({ id: m.teamId, name: m.teamName })),
    dashboardHistory(scope, filters),
  ]);
  const pageHref = (page: number) => `/${fleetQueryString({ ...filters, page })}`;
  const firstShown = (dashboard.page - 1) * DASHBOARD_PAGE_SIZE + 1;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Connectors</h1>
          <p className="subtle">Launch readiness and patch status of every connector you can see.</p>
        </div>
        <div className="row">
          <Link className="button secondary" href={`/api/v1/fleet/matrix.csv${fleetQueryString({ ...filters, page: 1 })}`}>
            Download CSV
          </Link>
          <Link className="button" href="/connectors/new">
            Register a connector
          </Link>
        </div>
      </div>

      {dashboard.totalConnectors === 0 ? (
        <div className="panel empty">
          <h2>No connectors yet</h2>
          <p>
            Register the folder or repository of an MCP server or ChatGPT app. Launch Review reads its code (it never runs it), checks it
            against the Apps SDK security and privacy guidance, and fills a review checklist.
          </p>
          <p>
            <Link className="button" href="/connectors/new">
              Register your first connector
            </Link>
          </p>
        </div>
      ) : (
        <>
          <div className="summary-bar" aria-label="Launch status" data-testid="status-counts">
            {LAUNCH_STATUSES.map((s) => (
              <div key={s} className="cell">
                <strong>{dashboard.counts[s]}</strong>
                <Link href={`/${fleetQueryString({ ...filters, status: s, page: 1 })}`}>{s}</Link>
              </div>
            ))}
          </div>

          <form className="filters-form" method="get" aria-label="Filter connectors">
            <div className="field">
              <label htmlFor="f-team">Team</label>
              <select id="f-team" name="team" defaultValue={filters.team ? String(filters.team) : ""}>
                <option value="">All teams</option>
                {teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-status">Status</label>
              <select id="f-status" name="status" defaultValue={filters.status ?? ""}>
                <option value="">Any status</option>
                {LAUNCH_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-package">Package</label>
              <select id="f-package" name="package" defaultValue={filters.package ?? ""}>
                <option value="">All watched packages</option>
                {dashboard.allPackages.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="f-sort">Sort by</label>
              <select id="f-sort" name="sort" defaultValue={filters.sort}>
                <option value="risk">Risk</option>
                <option value="name">Name</option>
              </select>
            </div>
            <button type="submit">Apply</button>
            <Link href="/">Clear</Link>
          </form>

          <div className="lag-legend" aria-label="Matrix colours">
            <span className="lag-current">current</span>
            <span className="lag-patch">patch behind</span>
            <span className="lag-minor">minor behind</span>
            <span className="lag-major">major behind</span>
            <span className="lag-vulnerable">vulnerable</span>
            <span className="lag-unknown">unknown</span>
          </div>

          <p className="list-count subtle" data-testid="fleet-count">
            {dashboard.rows.length > 0
              ? `Connectors ${firstShown}–${firstShown + dashboard.rows.length - 1} of ${dashboard.matching}`
              : `${dashboard.matching} connectors`}
            {dashboard.matching !== dashboard.totalConnectors ? ` matching the filters (${dashboard.totalConnectors} in all)` : ""}
          </p>

          {dashboard.matching === 0 ? (
            <p className="panel empty">No connector matches these filters.</p>
          ) : dashboard.rows.length === 0 ? (
            <p className="panel empty">
              Page {dashboard.page} is past the end of the list.{" "}
              <a href={pageHref(dashboard.pageCount)}>Go to page {dashboard.pageCount}</a>
            </p>
          ) : (
            <PatchMatrix packages={dashboard.packages} rows={matrixRowsData(dashboard.rows, dashboard.packages)} />
          )}
          <Pagination page={dashboard.page} pageCount={dashboard.pageCount} href={pageHref} label="Pages of connectors" />

          <h2>Over time</h2>
          <TrendChart title="Open findings and watched-package lag, last 90 days" points={trend} series={FINDINGS_AND_LAG_SERIES} />
        </>
      )}
    </>
  );
}
