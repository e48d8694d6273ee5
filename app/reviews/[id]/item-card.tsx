import type { ChecklistItem } from "@/lib/engine/checklist/template";
import type { ReviewComment } from "@/db/schema";
import type { ReportFinding } from "@/lib/core/report";
import type { ReviewItemState, Settlement } from "@/lib/review/model";
import { attestAction, commentAction, decideAction } from "../actions";
import { ActionForm } from "../../ui/action-form";
import { StatusBadge } from "../../ui/badges";
import { FindingCard } from "../../ui/finding-card";
import { Time } from "../../ui/time";
import { personLabel } from "./load";
import { ProposedWaivers } from "./proposed-waivers";
import type { ProposalState } from "@/lib/review/proposal-service";

const SETTLEMENT_LABEL: Record<Settlement, string> = {
  passed: "passed",
  accepted: "accepted",
  waived: "waived",
  "waiver-expired": "waiver expired",
  "changes-requested": "changes requested",
  "needs-attestation": "needs attestation",
  open: "open",
};

const SETTLEMENT_BADGE: Record<Settlement, string> = {
  passed: "pass",
  accepted: "pass",
  waived: "warn",
  "waiver-expired": "fail",
  "changes-requested": "fail",
  "needs-attestation": "needs-attestation",
  open: "unknown",
};

export function ReviewItemCard(props: {
  reviewId: number;
  def: ChecklistItem;
  item: ReviewItemState;
  settlement: Settlement;
  findings: ReportFinding[];
  comments: ReviewComment[];
  people: Map<string, string>;
  editable: boolean;
  webUrl?: string;
  commit: string | null;
  /** Waivers launch-review.yml proposes on this item, with whether this user could accept each. */
  proposals: Array<ProposalState & { acceptProblem: string | null }>;
}) {
  const { def, item, reviewId } = props;
  const hidden = [
    { name: "reviewId", type: "hidden" as const, value: String(reviewId) },
    { name: "itemId", type: "hidden" as const, value: def.id },
  ];
  const decisionOptions = [
    ...(item.autoStatus === "fail" ? [] : [{ value: "accept", label: "Accept" }]),
    { value: "request-changes", label: "Request changes" },
    { value: "waive", label: "Waive (with justification and expiry)" },
  ];
  return (
    <article
      className="item"
      id={def.id}
      data-testid="review-item"
      data-item={def.id}
      data-settlement={props.settlement}
      data-blocking={def.blocking ? "true" : "false"}
      data-auto={item.autoStatus}
      data-verification={def.verification}
    >
      <div className="item-head">
        <span className={`badge ${SETTLEMENT_BADGE[props.settlement]}`}>{SETTLEMENT_LABEL[props.settlement]}</span>
        <div className="title">
          {def.title}
          {def.blocking ? <span className="badge outline">blocking</span> : null}
          {item.carriedOver ? <span className="badge outline">carried over</span> : null}
        </div>
        <span className="subtle">
          automatic: <StatusBadge status={item.autoStatus} />
        </span>
      </div>
      <p className="reason">
        {def.guidance}
        <br />
        <strong>What to do:</strong> {def.reviewerAction}{" "}
        <span className="subtle">({def.verification === "both" ? "automatic and manual" : def.verification})</span>
      </p>
      {props.findings.map((f, i) => (
        <FindingCard key={`${f.fingerprint}-${i}`} finding={f} webUrl={props.webUrl} commit={props.commit} />
      ))}

      {def.verification !== "automatic" ? (
        <section className="attestation" aria-label="Attestation">
          {item.attestation ? (
            <div data-testid="attestation">
              <strong>Attested</strong> by {personLabel(props.people, item.attestedBy)} on <Time value={item.attestedAt} />:{" "}
              {item.attestation}
              <div className="subtle">Evidence: {item.attestationEvidence}</div>
            </div>
          ) : (
            <p className="subtle">Not attested yet.</p>
          )}
          {props.editable ? (
            <details>
              <summary>{item.attestation ? "Replace the attestation" : "Attest this item"}</summary>
              <ActionForm
                action={attestAction}
                submitLabel="Save attestation"
                testId={`attest-${def.id}`}
                fields={[
                  ...hidden,
                  { name: "statement", label: "Statement", type: "textarea", hint: "What you checked and found, in a sentence or two." },
                  { name: "evidence", label: "Evidence link or note", type: "text", placeholder: "https://…" },
                ]}
              />
            </details>
          ) : null}
        </section>
      ) : null}

      <ProposedWaivers
        reviewId={reviewId}
        itemId={def.id}
        version={item.version ?? 0}
        proposals={props.proposals}
        people={props.people}
        editable={props.editable}
      />

      <section className="decision" aria-label="Decision">
        {item.decision ? (
          <div data-testid="decision">
            <strong>{item.decision === "accept" ? "Accepted" : item.decision === "waive" ? "Waived" : "Changes requested"}</strong> by{" "}
            {personLabel(props.people, item.decidedBy)} on <Time value={item.decidedAt} />
            {item.decision === "waive" ? (
              <>
                {" "}
                until <Time value={item.waiverExpiresAt} />
              </>
            ) : null}
            {item.decisionNote ? `: ${item.decisionNote}` : ""}
          </div>
        ) : (
          <p className="subtle">No decision yet.</p>
        )}
        {props.editable ? (
          <details>
            <summary>{item.decision ? "Change the decision" : "Decide"}</summary>
            <ActionForm
              action={decideAction}
              submitLabel="Save decision"
              testId={`decide-${def.id}`}
              fields={[
                ...hidden,
                { name: "version", type: "hidden", value: String(item.version ?? 0) },
                { name: "kind", label: "Decision", type: "select", options: decisionOptions },
                { name: "note", label: "Comment or justification", type: "textarea", hint: "Required to request changes or to waive." },
                { name: "expiresAt", label: "Waiver expires on", type: "date", hint: "Waivers only; at most a year ahead." },
              ]}
            />
          </details>
        ) : null}
      </section>

      <section className="comments" aria-label="Comments">
        {props.comments.length > 0 ? (
          <ol>
            {props.comments.map((c) => (
              <li key={c.id}>
                <span className="subtle">
                  {personLabel(props.people, c.authorId)}, <Time value={c.createdAt} />
                </span>
                <br />
                {c.body}
              </li>
            ))}
          </ol>
        ) : null}
        <details>
          <summary>Comment{props.comments.length > 0 ? ` (${props.comments.length})` : ""}</summary>
          <ActionForm
            action={commentAction}
            submitLabel="Add comment"
            testId={`comment-${def.id}`}
            fields={[...hidden, { name: "body", label: "Comment", type: "textarea" }]}
          />
        </details>
      </section>
    </article>
  );
}
