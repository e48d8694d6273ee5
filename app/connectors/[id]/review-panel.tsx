import Link from "next/link";
import type { Review, SignOff } from "@/db/schema";
import { startReviewAction } from "../../reviews/actions";
import { shortSha } from "../../ui/format";
import { Time } from "../../ui/time";

export type LaunchStatus = "not reviewed" | "in review" | "signed off" | "stale";

export function launchStatus(review: Review | undefined): LaunchStatus {
  if (!review || review.status === "superseded") return review ? "in review" : "not reviewed";
  return review.status === "signed-off" ? "signed off" : review.status === "stale" ? "stale" : "in review";
}

/** The connector's launch status: its latest review, the sign-off if any, and what made it stale. */
export function ReviewPanel(props: {
  connectorId: number;
  review: Review | undefined;
  signOff: SignOff | undefined;
  signerLabel: string | null;
  mayReview: boolean;
  hasScan: boolean;
}) {
  const { review, signOff } = props;
  const status = launchStatus(review);
  const canStart = props.mayReview && props.hasScan && review?.status !== "in-progress";
  return (
    <div className="panel" data-testid="review-panel" data-status={status}>
      <div className="row">
        <strong>Launch review:</strong>
        <span
          className={`badge ${status === "signed off" ? "pass" : status === "stale" ? "fail" : status === "in review" ? "running" : "unknown"}`}
        >
          {status}
        </span>
        {signOff && status === "signed off" ? (
          <span data-testid="signed-off-at">
            signed off at <span className="mono">{shortSha(signOff.commit)}</span> by {props.signerLabel} on{" "}
            <Time value={signOff.signedAt} />
          </span>
        ) : null}
        {review ? (
          <Link href={`/reviews/${review.id}`}>{review.status === "in-progress" ? "Continue the review" : `Review #${review.id}`}</Link>
        ) : null}
        {canStart ? (
          <form action={startReviewAction}>
            <input type="hidden" name="connectorId" value={props.connectorId} />
            <button type="submit">{review ? "Start a new review from the latest scan" : "Start the review"}</button>
          </form>
        ) : null}
        <Link href={`/connectors/${props.connectorId}/audit`}>Audit log</Link>
      </div>
      {review?.status === "stale" ? (
        <div data-testid="stale-changes">
          <p>
            The sign-off is stale since <Time value={review.staleAt} />. What changed:
          </p>
          <ul>
            {(review.staleReasons ?? []).map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {!props.hasScan ? <p className="subtle">A review starts from a successful scan.</p> : null}
    </div>
  );
}
