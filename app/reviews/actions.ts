"use server";
// The guided review's actions: start, decide, attest, comment, sign off. Rules live in lib/review.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { isAppError, publicMessage } from "@/lib/core/errors";
import { logger } from "@/lib/logger";
import { attestItem, commentOnItem, decideItem, signOffReview, startReview } from "@/lib/review/service";
import { requestContext } from "../_server/request";
import { requireConnector, requireReview, requireUser } from "../_server/session";
import { formText, type FormState } from "../ui/form-state";

const log = logger("actions.review");

const Id = z.coerce.number().int().positive();
const ItemRef = z.object({ reviewId: Id, itemId: z.string().min(1).max(100) });

/** AppError codes of lib/review, mapped to the form field they concern. */
const FIELD_OF: Record<string, string> = {
  "invalid:note": "note",
  "invalid:expiry": "expiresAt",
  "forbidden:waive": "kind",
  "invalid:accept": "kind",
  "invalid:statement": "statement",
  "invalid:evidence": "evidence",
  "invalid:comment": "body",
};

function failure(error: unknown, correlationId: string): FormState {
  if (isAppError(error) && FIELD_OF[error.code]) return { fieldErrors: { [FIELD_OF[error.code]!]: error.message } };
  if (!isAppError(error)) log.error({ err: error, correlationId }, "review action failed");
  return { error: publicMessage(error, correlationId) };
}

export async function startReviewAction(form: FormData): Promise<void> {
  await requireUser();
  const id = Id.safeParse(form.get("connectorId"));
  if (!id.success) redirect("/");
  const { user } = await requireConnector(id.data, "review.decide");
  const { correlationId } = await requestContext();
  const review = startReview(id.data, { principal: user, correlationId });
  redirect(`/reviews/${review.id}`);
}

export async function decideAction(_prev: FormState, form: FormData): Promise<FormState> {
  await requireUser();
  const ref = ItemRef.safeParse({ reviewId: formText(form, "reviewId"), itemId: formText(form, "itemId") });
  if (!ref.success) return { error: "No such checklist item." };
  const { user } = await requireReview(ref.data.reviewId, "review.decide");
  const kind = z.enum(["accept", "request-changes", "waive"]).safeParse(formText(form, "kind"));
  if (!kind.success) return { fieldErrors: { kind: "Choose a decision." } };
  const expires = formText(form, "expiresAt");
  // The version of the item the form was shown: a stale form is refused instead of overwriting a newer decision.
  const version = z.coerce
    .number()
    .int()
    .min(0)
    .safeParse(formText(form, "version") || undefined);
  if (!version.success) return { error: "This form is out of date: reload the page and decide again." };
  const { correlationId } = await requestContext();
  try {
    decideItem(
      ref.data.reviewId,
      ref.data.itemId,
      {
        kind: kind.data,
        note: formText(form, "note").slice(0, 5000),
        waiverExpiresAt: expires ? new Date(`${expires}T23:59:59Z`) : null,
        expectedVersion: version.data,
      },
      { principal: user, correlationId },
    );
  } catch (error) {
    // Show the newer decision on the card (and give the form its new version) beside the refusal.
    if (isAppError(error) && error.code === "conflict:item") revalidatePath(`/reviews/${ref.data.reviewId}`);
    return failure(error, correlationId);
  }
  revalidatePath(`/reviews/${ref.data.reviewId}`);
  return { notice: "Decision saved." };
}

export async function attestAction(_prev: FormState, form: FormData): Promise<FormState> {
  await requireUser();
  const ref = ItemRef.safeParse({ reviewId: formText(form, "reviewId"), itemId: formText(form, "itemId") });
  if (!ref.success) return { error: "No such checklist item." };
  const { user } = await requireReview(ref.data.reviewId, "review.decide");
  const { correlationId } = await requestContext();
  try {
    attestItem(ref.data.reviewId, ref.data.itemId, formText(form, "statement").slice(0, 5000), formText(form, "evidence").slice(0, 2000), {
      principal: user,
      correlationId,
    });
  } catch (error) {
    return failure(error, correlationId);
  }
  revalidatePath(`/reviews/${ref.data.reviewId}`);
  return { notice: "Attestation saved." };
}

export async function commentAction(_prev: FormState, form: FormData): Promise<FormState> {
  await requireUser();
  const ref = ItemRef.safeParse({ reviewId: formText(form, "reviewId"), itemId: formText(form, "itemId") });
  if (!ref.success) return { error: "No such checklist item." };
  const { user } = await requireReview(ref.data.reviewId);
  const { correlationId } = await requestContext();
  try {
    commentOnItem(ref.data.reviewId, ref.data.itemId, formText(form, "body").slice(0, 10_000), { principal: user, correlationId });
  } catch (error) {
    return failure(error, correlationId);
  }
  revalidatePath(`/reviews/${ref.data.reviewId}`);
  return { notice: "Comment added." };
}

export async function signOffAction(_prev: FormState, form: FormData): Promise<FormState> {
  await requireUser();
  const id = Id.safeParse(formText(form, "reviewId"));
  if (!id.success) return { error: "No such review." };
  const { user, connector } = await requireReview(id.data, "review.sign-off");
  const { correlationId } = await requestContext();
  try {
    signOffReview(id.data, { principal: user, correlationId });
  } catch (error) {
    return failure(error, correlationId);
  }
  revalidatePath(`/connectors/${connector.id}`);
  redirect(`/reviews/${id.data}/sign-off`);
}
