"use server";
// The guided review's actions: start, decide, answer a proposed waiver, attest, comment, sign off. Rules live in
// lib/review; each action goes through the one wrapper (app/_server/action.ts).
import { z } from "zod";
import { acceptProposedWaiver, rejectProposedWaiver } from "@/lib/review/proposal-service";
import { attestItem, commentOnItem, decideItem, signOffReview, startReview } from "@/lib/review/service";
import { buttonAction, formAction } from "../_server/action";

const OUT_OF_DATE = "This form is out of date: reload the page and decide again.";
const ItemId = z.string({ error: "No such checklist item." }).min(1).max(100);
// The version of the item the form was shown: a stale form is refused instead of overwriting a newer decision.
const ItemVersion = z
  .string({ error: OUT_OF_DATE })
  .regex(/^\d{1,9}$/, OUT_OF_DATE)
  .transform(Number);
const reviewPage = (_: unknown, { scope }: { scope: { review: { id: number } } }) => `/reviews/${scope.review.id}`;

export const startReviewAction = buttonAction({
  name: "reviews.start",
  access: { connector: "connectorId", can: "review.decide" },
  input: z.object({}),
  run: async (_, { scope, actor }) => ({ redirectTo: `/reviews/${(await startReview(scope.connector.id, actor)).id}` }),
});

export const decideAction = formAction({
  name: "reviews.decide",
  access: { review: "reviewId", can: "review.decide" },
  input: z.object({
    itemId: ItemId,
    kind: z.enum(["accept", "request-changes", "waive"], { error: "Choose a decision." }),
    note: z.string().max(5000, "Keep the note under 5,000 characters.").default(""),
    expiresAt: z.iso
      .date("Give the date as YYYY-MM-DD.")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    version: ItemVersion,
  }),
  fields: { note: "note", expiry: "expiresAt", waive: "kind", accept: "kind" },
  // A conflict (someone decided first) refreshes the page too, so the newer decision shows beside the refusal.
  revalidate: reviewPage,
  run: async (input, { scope, actor }) => {
    await decideItem(
      scope.review.id,
      input.itemId,
      {
        kind: input.kind,
        note: input.note,
        waiverExpiresAt: input.expiresAt ? new Date(`${input.expiresAt}T23:59:59Z`) : null,
        expectedVersion: input.version,
      },
      actor,
    );
    return { notice: "Decision saved." };
  },
});

/** Accepts (the item is waived with the declared reason and expiry) or rejects a waiver launch-review.yml proposes. */
export const proposedWaiverAction = formAction({
  name: "reviews.proposed-waiver",
  access: { review: "reviewId", can: "review.decide" },
  input: z.object({
    itemId: ItemId,
    proposal: z.string({ error: "No such proposed waiver." }).regex(/^[0-9a-f]{32}$/, "No such proposed waiver."),
    intent: z.enum(["accept", "reject"], { error: "Accept or reject the proposed waiver." }),
    version: ItemVersion,
  }),
  revalidate: reviewPage,
  run: async (input, { scope, actor }) => {
    if (input.intent === "reject") {
      await rejectProposedWaiver(scope.review.id, input.itemId, input.proposal, actor);
      return { notice: "Proposed waiver rejected." };
    }
    await acceptProposedWaiver(scope.review.id, input.itemId, input.proposal, input.version, actor);
    return { notice: "Proposed waiver accepted: the item is waived." };
  },
});

export const attestAction = formAction({
  name: "reviews.attest",
  access: { review: "reviewId", can: "review.decide" },
  input: z.object({
    itemId: ItemId,
    statement: z.string().max(5000, "Keep the statement under 5,000 characters.").default(""),
    evidence: z.string().max(2000, "Keep the evidence under 2,000 characters.").default(""),
  }),
  fields: { statement: "statement", evidence: "evidence", attest: "statement" },
  revalidate: reviewPage,
  run: async (input, { scope, actor }) => {
    await attestItem(scope.review.id, input.itemId, input.statement, input.evidence, actor);
    return { notice: "Attestation saved." };
  },
});

export const commentAction = formAction({
  name: "reviews.comment",
  access: { review: "reviewId", can: "connector.read" },
  input: z.object({ itemId: ItemId, body: z.string().max(10_000, "Keep the comment under 10,000 characters.").default("") }),
  fields: { comment: "body" },
  revalidate: reviewPage,
  run: async (input, { scope, actor }) => {
    await commentOnItem(scope.review.id, input.itemId, input.body, actor);
    return { notice: "Comment added." };
  },
});

export const signOffAction = formAction({
  name: "reviews.sign-off",
  access: { review: "reviewId", can: "review.sign-off" },
  input: z.object({}),
  revalidate: (_, { scope }) => `/connectors/${scope.connector.id}`,
  run: async (_, { scope, actor }) => {
    await signOffReview(scope.review.id, actor);
    return { redirectTo: `/reviews/${scope.review.id}/sign-off` };
  },
});
