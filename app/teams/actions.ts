"use server";
// A team's API tokens for CI: created by maintainers and security leads of the team (and administrators).
import { z } from "zod";
import { ApiTokenInput, createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { isAppError } from "@/lib/core/errors";
import { buttonAction, formAction } from "../_server/action";

export const createApiTokenAction = formAction({
  name: "teams.create-api-token",
  access: { team: "teamId", can: "team.api-tokens" },
  input: ApiTokenInput,
  revalidate: (_, { scope }) => `/teams/${scope.teamId}`,
  run: async (input, { scope, actor }) => {
    const { token, expiresAt } = await createApiToken(scope.teamId, input, actor);
    return {
      notice: `Token “${input.name}” created; it expires ${expiresAt.toISOString().slice(0, 10)}. Copy it now: it is shown only once.`,
      secret: token,
    };
  },
});

export const revokeApiTokenAction = buttonAction({
  name: "teams.revoke-api-token",
  access: { team: "teamId", can: "team.api-tokens" },
  input: z.object({ tokenId: z.coerce.number().int().positive() }),
  revalidate: (_, { scope }) => `/teams/${scope.teamId}`,
  run: async ({ tokenId }, { scope, actor }) => {
    try {
      await revokeApiToken(scope.teamId, tokenId, actor);
    } catch (error) {
      // Already revoked or not this team's: nothing to do.
      if (!isAppError(error) || error.type !== "not_found") throw error;
    }
  },
});
