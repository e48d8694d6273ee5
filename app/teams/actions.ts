"use server";
// A team's API tokens for CI: created by maintainers and security leads of the team (and administrators).
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ApiTokenInput, createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { publicMessage } from "@/lib/core/errors";
import { requestContext } from "../_server/request";
import { requireTeamCapability, requireUser } from "../_server/session";
import { fieldErrorsOf, formText, type FormState } from "../ui/form-state";

const TeamIdSchema = z.coerce.number().int().positive();

export async function createApiTokenAction(_prev: FormState, form: FormData): Promise<FormState> {
  await requireUser();
  const teamId = TeamIdSchema.safeParse(formText(form, "teamId"));
  if (!teamId.success) return { error: "No such team." };
  const user = await requireTeamCapability(teamId.data, "team.api-tokens");
  const parsed = ApiTokenInput.safeParse({
    name: formText(form, "name"),
    role: formText(form, "role"),
    expiresInDays: formText(form, "expiresInDays"),
  });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  const { correlationId } = await requestContext();
  try {
    const { token, expiresAt } = createApiToken(teamId.data, parsed.data, { id: user.id, correlationId });
    revalidatePath(`/teams/${teamId.data}`);
    return {
      notice: `Token “${parsed.data.name}” created; it expires ${expiresAt.toISOString().slice(0, 10)}. Copy it now: it is shown only once.`,
      secret: token,
    };
  } catch (error) {
    return { error: publicMessage(error, correlationId) };
  }
}

export async function revokeApiTokenAction(form: FormData): Promise<void> {
  await requireUser();
  const parsed = z
    .object({ teamId: TeamIdSchema, tokenId: z.coerce.number().int().positive() })
    .safeParse({ teamId: form.get("teamId"), tokenId: form.get("tokenId") });
  if (!parsed.success) return;
  const user = await requireTeamCapability(parsed.data.teamId, "team.api-tokens");
  const { correlationId } = await requestContext();
  try {
    revokeApiToken(parsed.data.teamId, parsed.data.tokenId, { id: user.id, correlationId });
  } catch {
    // Already revoked or not this team's: nothing to do.
  }
  revalidatePath(`/teams/${parsed.data.teamId}`);
}
