import { NextResponse } from "next/server";
import { parseFleetFilters } from "@/lib/fleet/dashboard";
import { matrixCsvStream } from "@/lib/fleet/csv";
import { apiCaller } from "../../../../_server/api";

export const dynamic = "force-dynamic";

/** The patch matrix as CSV, for the connectors the caller may see, with the dashboard's filters (every page), streamed. */
export async function GET(request: Request) {
  const caller = await apiCaller(request, { allowTokens: true });
  if (caller instanceof NextResponse) return caller;
  const q = new URL(request.url).searchParams;
  const filters = parseFleetFilters((name) => q.get(name) ?? undefined);
  const scope = caller.principal.isAdmin ? ("all" as const) : caller.principal.memberships.map((m) => m.teamId);
  return new NextResponse(await matrixCsvStream(scope, filters), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": 'attachment; filename="patch-matrix.csv"',
      "cache-control": "no-store",
    },
  });
}
