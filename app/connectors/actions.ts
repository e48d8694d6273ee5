"use server";
// Server actions for connectors, each through the one wrapper (app/_server/action.ts); the rules live in lib/.
import { redirect } from "next/navigation";
import { z } from "zod";
import { deleteConnector, registerLocalConnector, requestScan, RegisterLocalSchema, setConnectorSchedule } from "@/lib/connectors";
import {
  AccessTokenSchema,
  RegisterGitHubSchema,
  registerGitHubConnector,
  removeConnectorToken,
  setConnectorToken,
} from "@/lib/connectors-github";
import { RegisterNpmSchema, registerNpmConnector } from "@/lib/connectors-npm";
import { showHidden } from "@/lib/engine/unicode";
import { buttonAction, formAction, formFields } from "../_server/action";

const RegisterInput = z.discriminatedUnion("sourceKind", [
  RegisterLocalSchema.extend({ sourceKind: z.literal("local") }),
  RegisterGitHubSchema.extend({ sourceKind: z.literal("github") }),
  RegisterNpmSchema.extend({ sourceKind: z.literal("npm") }),
]);
const SourceKind = z.enum(["local", "github", "npm"]).catch("local");

export const registerConnectorAction = formAction({
  name: "connectors.register",
  // The team decides who may register: checked before anything else is looked at.
  access: { team: "teamId", can: "connector.create" },
  input: RegisterInput,
  fromForm: (form) => ({
    ...formFields(form),
    sourceKind: SourceKind.parse(form.get("sourceKind")),
    scanNow: form.get("scanNow") === "on",
  }),
  secrets: ["token"],
  fields: {
    name: "name",
    path: "path",
    repository: "repository",
    ref: "ref",
    subdirectory: "subdirectory",
    token: "token",
    package: "package",
    version: "version",
  },
  revalidate: () => "/",
  run: async (input, { actor }) => {
    const { connector } =
      input.sourceKind === "github"
        ? await registerGitHubConnector(input, actor)
        : input.sourceKind === "npm"
          ? await registerNpmConnector(input, actor)
          : await registerLocalConnector(input, actor);
    return { redirectTo: `/connectors/${connector.id}` };
  },
});

export const scanNowAction = buttonAction({
  name: "connectors.scan-now",
  access: { connector: "connectorId", can: "connector.scan" },
  input: z.object({}),
  revalidate: (_, { scope }) => `/connectors/${scope.connector.id}`,
  run: async (_, { scope, actor }) => {
    await requestScan(scope.connector.id, "manual", actor);
    return { redirectTo: `/connectors/${scope.connector.id}` };
  },
});

export const deleteConnectorAction = formAction({
  name: "connectors.delete",
  access: { connector: "connectorId", can: "connector.manage" },
  input: z.object({ confirmName: z.string({ error: "Type the connector's name to confirm." }).max(200) }),
  revalidate: () => "/",
  run: async ({ confirmName }, { scope, actor }) => {
    // The name as shown (hidden characters as ⟦U+202E⟧ markers, which can be typed) or as stored.
    const typed = confirmName.trim();
    const { connector } = scope;
    if (typed !== connector.name && typed !== showHidden(connector.name)) return { error: "Type the connector's name exactly to confirm." };
    await deleteConnector(connector.id, actor);
    return { redirectTo: "/" };
  },
});

/** Replaces (intent=save) or removes (intent=remove) a GitHub connector's access token. Never echoes it back. */
export const connectorTokenAction = formAction({
  name: "connectors.token",
  access: { connector: "connectorId", can: "connector.manage" },
  input: z.discriminatedUnion("intent", [
    z.object({ intent: z.literal("remove") }),
    z.object({
      intent: z.literal("save"),
      token: AccessTokenSchema.refine((t) => t !== "", "Paste the new token, or use “Remove token”."),
    }),
  ]),
  fromForm: (form) => ({ ...formFields(form), intent: form.get("intent") === "remove" ? "remove" : "save" }),
  secrets: ["token"],
  fields: { token: "token" },
  revalidate: (_, { scope }) => `/connectors/${scope.connector.id}`,
  run: async (input, { scope, actor }) => {
    if (input.intent === "remove") {
      await removeConnectorToken(scope.connector.id, actor);
      return { notice: "Token removed." };
    }
    await setConnectorToken(scope.connector.id, input.token, actor);
    return { notice: "Token saved." };
  },
});

/** Sets how often the scheduler rescans the connector (0 turns scheduled scans off). */
export const scheduleAction = buttonAction({
  name: "connectors.schedule",
  access: { connector: "connectorId", can: "connector.manage" },
  input: z.object({
    minutes: z.coerce
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 60),
  }),
  revalidate: (_, { scope }) => `/connectors/${scope.connector.id}`,
  run: ({ minutes }, { scope, actor }) => setConnectorSchedule(scope.connector.id, minutes, actor),
  // An interval the form never offers (or a busy database) is said on the page, not thrown as a server error.
  fields: { schedule: "minutes" },
  onFailure: (state, { scope }) =>
    redirect(`/connectors/${scope.connector.id}?schedule=${state.fieldErrors?.minutes !== undefined ? "invalid" : "failed"}`),
});
