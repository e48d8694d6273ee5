// The patch matrix as CSV, streamed: rows are read from the database a batch at a time and written as they come, so
// the export of 10,000 connectors never sits whole in memory.
import { setImmediate as nextTurn } from "node:timers/promises";
import { matrixCellsOfScans } from "@/db/queries/fleet";
import { fleetPage, type FleetQuery } from "@/db/queries/fleet-view";
import { MATRIX_CSV_HEADER, matrixCsvLines, type FleetFilters } from "./dashboard";
import { fleetQuery, scanIdsOf, withCells } from "./load";

/** Connectors read per batch: one query each, a few hundred KB of CSV at most. */
const BATCH = 200;

export async function matrixCsvStream(
  scope: FleetQuery["scope"],
  filters: FleetFilters,
  batch = BATCH,
): Promise<ReadableStream<Uint8Array>> {
  const query = fleetQuery(scope, filters);
  const encoder = new TextEncoder();
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${MATRIX_CSV_HEADER}\r\n`));
    },
    async pull(controller) {
      // The queries are synchronous: a turn of the event loop between batches lets what was enqueued reach the
      // socket, and other requests be answered, before the next batch is read.
      await nextTurn();
      const { rows } = await fleetPage(query, { limit: batch, offset });
      offset += rows.length;
      const lines = matrixCsvLines(withCells(rows, await matrixCellsOfScans(scanIdsOf(rows)), filters.package));
      if (lines.length > 0) controller.enqueue(encoder.encode(`${lines.join("\r\n")}\r\n`));
      if (rows.length < batch) controller.close();
    },
  });
}
