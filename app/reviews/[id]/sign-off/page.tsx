import type { ChecklistItem } from "@/lib/engine/checklist/template";
import Link from "next/link";
import { signOffStatus } from "@/lib/review/service";
import { ActionForm } from "../../../ui/action-form";
import { Time } from "../../../ui/time";
import { signOffAction } from "../../actions";
import { loadReviewView, personLabel } from "../load";

export const dynamic = "force-dynamic";

export default async function SignOffPage({ params }: { params: Promise<{ id: string }> }) {
  const { review, user, signOff, people, template } = await loadReviewView(params);
  const check = await signOffStatus(review, user);
  const titles = new Map<string, ChecklistItem>(template.items.map((i) => [i.id, i]));
  return (
    <section aria-labelledby="sign-off-title">
      <h2 id="sign-off-title">Sign-off</h2>
      {signOff ? (
        <div className="panel" data-testid="sign-off-record">
          <dl className="meta-list">
            <dt>Signed off by</dt>
            <dd>{personLabel(people, signOff.signedBy)}</dd>
            <dt>When</dt>
            <dd>
              <Time value={signOff.signedAt} />
            </dd>
            <dt>Commit</dt>
            <dd className="mono">{signOff.commit}</dd>
            <dt>Checklist</dt>
            <dd>version {signOff.checklistVersion}</dd>
            <dt>Decisions hash</dt>
            <dd className="mono">{signOff.decisionsHash}</dd>
          </dl>
        </div>
      ) : check.ok ? (
        <div className="panel">
          <p>
            Every blocking item is passed, accepted or waived. Signing off binds these decisions to the scanned commit; a later scan that
            changes what was reviewed makes the sign-off stale.
          </p>
          <ActionForm
            action={signOffAction}
            submitLabel="Sign off"
            testId="sign-off"
            fields={[{ name: "reviewId", type: "hidden", value: String(review.id) }]}
          />
        </div>
      ) : (
        <div className="panel" data-testid="sign-off-blocked">
          <p>
            <strong>You can&apos;t sign off yet:</strong>
          </p>
          <ul>
            {check.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          {check.openBlocking.length > 0 ? (
            <>
              <p>Blocking items still open:</p>
              <ul>
                {check.openBlocking.map((b) => {
                  const def = titles.get(b.itemId)!;
                  return (
                    <li key={b.itemId}>
                      <Link href={`/reviews/${review.id}?section=${def.section}#${b.itemId}`}>{def.title}</Link>{" "}
                      <span className="subtle">({b.settlement.replace("-", " ")})</span>
                    </li>
                  );
                })}
              </ul>
            </>
          ) : null}
        </div>
      )}
    </section>
  );
}
