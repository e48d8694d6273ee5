// The waiver launch-review.yml proposes on one checklist item: the ignores behind it (what each names, its reason and
// expiry), how many of the item's findings they cover, and the answer given (or the buttons to give one).
import type { ProposalState } from "@/lib/review/proposal-service";
import { Time } from "../../ui/time";
import { personLabel } from "./load";
import { ProposalForm } from "./proposal-form";

export function ProposedWaivers(props: {
  reviewId: number;
  itemId: string;
  version: number;
  proposals: Array<ProposalState & { acceptProblem: string | null }>;
  people: Map<string, string>;
  editable: boolean;
}) {
  if (props.proposals.length === 0) return null;
  return (
    <section className="proposals" aria-label="Proposed waiver">
      {props.proposals.map((p) => {
        const total = p.covers.length + p.uncovered.length;
        return (
          <div key={p.key} className="proposal" data-testid="proposed-waiver" data-state={p.decision ?? "open"}>
            <div>
              <strong>Proposed waiver</strong> <span className="subtle">from {p.source}, until {p.expires}:</span>
            </div>
            <ul>
              {p.ignores.map((i, n) => (
                <li key={n}>
                  ignore {i.rule ? <code>{i.rule}</code> : null}
                  {i.fingerprint ? (
                    <>
                      {i.rule ? " " : ""}finding <code>{i.fingerprint}</code>
                    </>
                  ) : null}
                  {i.path ? (
                    <>
                      {" "}
                      under <code>{i.path}</code>
                    </>
                  ) : null}{" "}
                  until <span className="mono">{i.expires}</span>: “{i.reason}”
                </li>
              ))}
            </ul>
            <div className="subtle">
              Covers {p.covers.length} of the {total} finding{total === 1 ? "" : "s"} behind this item. The file never waives
              anything by itself: a reviewer decides.
            </div>
            {p.decision ? (
              <div data-testid="proposal-answer">
                <strong>{p.decision === "accepted" ? "Accepted" : "Rejected"}</strong> by {personLabel(props.people, p.decidedBy)} on{" "}
                <Time value={p.decidedAt} />
                {p.carriedOver ? " in an earlier review; the waiver carried over" : ""}.
              </div>
            ) : props.editable ? (
              <ProposalForm reviewId={props.reviewId} itemId={props.itemId} proposal={p.key} version={props.version} acceptProblem={p.acceptProblem} />
            ) : (
              <p className="subtle">Not answered yet.</p>
            )}
          </div>
        );
      })}
    </section>
  );
}
