"use client";
// Accept or reject one waiver launch-review.yml proposes: two buttons sharing one action state, so the refusal or the
// notice shows once, above them.
import { useActionState } from "react";
import type { FormState } from "../../ui/form-state";
import { proposedWaiverAction } from "../actions";
import { FormMessages } from "../../ui/form-messages";

export function ProposalForm(props: { reviewId: number; itemId: string; proposal: string; version: number; acceptProblem: string | null }) {
  const [state, action, pending] = useActionState<FormState, FormData>(proposedWaiverAction, {});
  const hidden = (
    <>
      <input type="hidden" name="reviewId" value={props.reviewId} />
      <input type="hidden" name="itemId" value={props.itemId} />
      <input type="hidden" name="proposal" value={props.proposal} />
      <input type="hidden" name="version" value={props.version} />
    </>
  );
  const error = state.error ?? Object.values(state.fieldErrors ?? {})[0];
  return (
    <div className="proposal-actions" data-testid={`proposal-form-${props.proposal}`}>
      <FormMessages error={error} notice={state.notice} />
      {props.acceptProblem ? <p className="subtle">Can&apos;t be accepted: {props.acceptProblem}</p> : null}
      <div className="row">
        <form action={action}>
          {hidden}
          <input type="hidden" name="intent" value="accept" />
          <button type="submit" disabled={pending || props.acceptProblem !== null}>
            Accept the waiver
          </button>
        </form>
        <form action={action}>
          {hidden}
          <input type="hidden" name="intent" value="reject" />
          <button type="submit" className="secondary" disabled={pending}>
            Reject
          </button>
        </form>
      </div>
    </div>
  );
}
