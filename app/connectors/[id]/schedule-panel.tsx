import type { Connector } from "@/db/schema";
import { SCHEDULE_CHOICES } from "@/lib/connectors";
import { nextScanAt } from "@/lib/jobs/scheduler";
import { scheduleAction } from "../actions";
import { Time } from "../../ui/time";

/** The connector's scheduled rescans: how often, when next, and (for maintainers) a way to change it. */
export function SchedulePanel({
  connector,
  lastQueuedAt,
  mayManage,
  problem = null,
}: {
  connector: Connector;
  lastQueuedAt: Date | null;
  mayManage: boolean;
  /** Why the last change was not saved (an interval the form doesn't offer, a busy database). */
  problem?: string | null;
}) {
  const next = nextScanAt(connector, lastQueuedAt);
  const current =
    SCHEDULE_CHOICES.find((c) => c.minutes === connector.scanIntervalMinutes)?.label ?? `every ${connector.scanIntervalMinutes} minutes`;
  return (
    <div className="panel row" data-testid="schedule-panel">
      <span>
        <strong>Scheduled rescans:</strong> {current}
        {next ? (
          <>
            {" "}
            · next run <Time value={next < new Date() ? new Date() : next} />
          </>
        ) : null}
      </span>
      {problem ? (
        <span className="field-error" role="alert" data-testid="schedule-error">
          {problem}
        </span>
      ) : null}
      {mayManage ? (
        <form action={scheduleAction} className="row">
          <input type="hidden" name="connectorId" value={connector.id} />
          <label htmlFor="schedule-minutes" className="visually-hidden">
            Rescan interval
          </label>
          <select id="schedule-minutes" name="minutes" defaultValue={String(connector.scanIntervalMinutes)}>
            {SCHEDULE_CHOICES.map((c) => (
              <option key={c.minutes} value={c.minutes}>
                {c.label}
              </option>
            ))}
          </select>
          <button type="submit" className="secondary">
            Save schedule
          </button>
        </form>
      ) : null}
    </div>
  );
}
