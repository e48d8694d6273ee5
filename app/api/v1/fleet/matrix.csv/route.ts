import { NextResponse } from "next/server";
import { fleetRows, matrixCells } from "@/db/queries/fleet";
import { buildDashboard, FleetFilters, matrixCsv } from "@/lib/fleet/dashboard";
import { apiCaller } from "../../../../_server/api";

export const dynamic = "force-dynamic";

/** The patch matrix as CSV, for the connectors the caller may see, with the dashboard's filters. */
export async function GET(request: Request) {
  const caller = await apiCaller(request, { allowTokens: true });
  if (caller instanceof NextResponse) return caller;
  const q = new URL(request.url).searchParams;
  const filters = FleetFilters.parse({
    team: q.get("team") || undefined,
    status: q.get("status") || undefined,
    package: q.get("package") || undefined,
    sort: q.get("sort") ?? undefined,
  });
  const scope = caller.principal.isAdmin ? ("all" as const) : caller.principal.memberships.map((m) => m.teamId);
  const rows = fleetRows(scope);
  const csv = matrixCsv(buildDashboard(rows, matrixCells(rows.map((r) => r.id)), filters));
  return new NextResponse(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="patch-matrix.csv"',
      "cache-control": "no-store",
    },
  });
}
