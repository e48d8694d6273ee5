"use server";
// Accepting an invitation: the only way to a new account. Public, through the one wrapper (app/_server/action.ts).
import { z } from "zod";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { acceptInvitation, NameSchema, PasswordSchema } from "@/lib/auth/users";
import { formAction } from "../../_server/action";

const AcceptInput = z
  .object({
    token: z.string({ error: "This invitation link is incomplete." }).min(1).max(128),
    name: NameSchema,
    password: PasswordSchema,
    confirm: z.string({ error: "Type the password again." }),
  })
  .refine((v) => v.password === v.confirm, { message: "The two passwords differ.", path: ["confirm"] });

export const acceptInvitationAction = formAction({
  name: "invite.accept",
  access: "public",
  input: AcceptInput,
  secrets: ["password", "confirm"],
  fields: { name: "name", password: "password" },
  run: async (input, { request }) => {
    const user = await acceptInvitation(input.token, { name: input.name, password: input.password });
    await signInWithPassword(user.email, input.password, request);
    return { redirectTo: "/" };
  },
});
