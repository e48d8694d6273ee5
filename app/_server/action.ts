import "server-only";
// The one wrapper every server action goes through (the Next.js SaaS starter's validatedAction, grown up): who may
// call it, the input parsed with zod, the actor with its correlation id, typed AppErrors placed beside the field they
// concern, anything else logged and shown with a reference, the audit entry, and the pages to refresh.
// A server action is a public endpoint: its form can be replayed by anyone with any values.
import { revalidatePath } from "next/cache";
import { notFound, redirect, unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { appendAudit, type AuditInput } from "@/db/queries/audit";
import type { Connector, Review } from "@/db/schema";
import { actorFor, type Actor, type AuthorizedActor } from "@/lib/auth/actor";
import type { Capability } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/session";
import { isAppError, publicMessage, type Surface } from "@/lib/core/errors";
import { logger } from "@/lib/logger";
import type { FormState } from "../ui/form-state";
import { requestContext } from "./request";
import { currentUser, requireAdmin, requireConnector, requireReview, requireTeamCapability, requireUser } from "./session";

const log = logger("actions");

/**
 * Who may call the action. The id of the team, connector or review it acts on is read from the named form field and
 * checked before any other input is looked at; a malformed id is a 404 like a missing one.
 */
export type Access =
  | "public"
  | "user"
  | "admin"
  | { team: string; can: Capability }
  | { connector: string; can: Capability }
  | { review: string; can: Capability };

/** What the access check found, typed by the kind of access. */
export type Scope<A extends Access> = A extends { review: string }
  ? { connector: Connector; review: Review }
  : A extends { connector: string }
    ? { connector: Connector }
    : A extends { team: string }
      ? { teamId: number }
      : object;

type AuditEntry = Omit<AuditInput, "actor" | "correlationId">;

export interface ActionContext<A extends Access> {
  /** The signed-in user (never null except for "public" actions). */
  user: A extends "public" ? SessionUser | null : SessionUser;
  actor: A extends "public" ? Actor : AuthorizedActor;
  scope: Scope<A>;
  request: { correlationId: string; ip: string; headers: Headers };
  /** Appends an audit entry by this actor in this request. */
  audit(entry: AuditEntry): void;
}

/** What an action's body returns: a state for the form, or where to go next. */
export type ActionResult<S> = S | { redirectTo: string } | void;

interface ActionSpec<A extends Access, I extends z.ZodType, S extends FormState> {
  /** For the logs: "connectors.register". */
  name: string;
  access: A;
  input: I;
  /** How the form becomes the object `input` parses (default: each field's value; repeated fields as arrays). */
  fromForm?: (form: FormData) => unknown;
  /** Form fields never sent back after a failure (passwords, tokens); if one was typed, `dropped` says so. */
  secrets?: readonly string[];
  /** The form field an AppError belongs beside, by its surface ("invalid:note" → "note"). */
  fields?: Partial<Record<Surface, string>>;
  /** Pages to refresh after the action succeeds (and after a conflict, so the newer state shows). */
  revalidate?: (input: z.output<I>, ctx: ActionContext<A>) => string | readonly string[];
  run: (input: z.output<I>, ctx: ActionContext<A>) => Promise<ActionResult<NoInfer<S>>> | ActionResult<NoInfer<S>>;
}

/** Marks a function made here, so a test can tell that every exported server action goes through the wrapper. */
const WRAPPED = Symbol.for("launch-review.server-action");

export function wrappedActionName(fn: unknown): string | undefined {
  return typeof fn === "function" ? (fn as { [WRAPPED]?: string })[WRAPPED] : undefined;
}

function mark<F extends object>(fn: F, name: string): F {
  return Object.defineProperty(fn, WRAPPED, { value: name });
}

/** A form action for useActionState: `(previous state, form) → state`. */
export function formAction<A extends Access, I extends z.ZodType, S extends FormState = FormState>(
  spec: ActionSpec<A, I, S>,
): (prev: S, form: FormData) => Promise<S> {
  return mark(async (_prev: S, form: FormData) => (await perform(spec, form, await authorize(spec.access, form))) as S, spec.name);
}

/**
 * A one-button action (`<form action>` without state): invalid input changes nothing, and a failure is passed to
 * `onFailure` (which usually redirects with a reason the page shows) or thrown to the error page.
 */
export function buttonAction<A extends Access, I extends z.ZodType>(
  spec: ActionSpec<A, I, FormState> & { onFailure?: (state: FormState, ctx: ActionContext<A>) => void },
): (form: FormData) => Promise<void> {
  return mark(async (form: FormData) => {
    const ctx = await authorize(spec.access, form);
    const state = await perform(spec, form, ctx);
    if ((state.error || state.fieldErrors) && spec.onFailure) spec.onFailure(state, ctx);
  }, spec.name);
}

async function perform<A extends Access, I extends z.ZodType, S extends FormState>(
  spec: ActionSpec<A, I, S>,
  form: FormData,
  ctx: ActionContext<A>,
): Promise<FormState> {
  const kept = keptValues(form, spec.secrets ?? []);
  const parsed = spec.input.safeParse((spec.fromForm ?? formFields)(form));
  if (!parsed.success) return { ...kept, ...fieldErrorsOf(parsed.error) };
  const input = parsed.data as z.output<I>;
  let result: ActionResult<S>;
  try {
    result = await spec.run(input, ctx);
  } catch (error) {
    unstable_rethrow(error);
    if (isAppError(error) && error.type === "conflict") refresh(spec, input, ctx);
    const field = isAppError(error) && error.type !== "unavailable" ? spec.fields?.[error.surface] : undefined;
    if (field) return { ...kept, fieldErrors: { [field]: error instanceof Error ? error.message : "" } };
    if (!isAppError(error)) log.error({ err: error, action: spec.name, correlationId: ctx.request.correlationId }, "server action failed");
    return { ...kept, error: publicMessage(error, ctx.request.correlationId) };
  }
  refresh(spec, input, ctx);
  if (result && "redirectTo" in result) redirect(result.redirectTo);
  return result ?? {};
}

function refresh<A extends Access, I extends z.ZodType, S extends FormState>(spec: ActionSpec<A, I, S>, input: z.output<I>, ctx: ActionContext<A>) {
  if (!spec.revalidate) return;
  const paths = spec.revalidate(input, ctx);
  for (const p of typeof paths === "string" ? [paths] : paths) revalidatePath(p);
}

const Id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

async function authorize<A extends Access>(access: A, form: FormData): Promise<ActionContext<A>> {
  const request = await requestContext();
  let user: SessionUser | null = null;
  let scope: object = {};
  if (access === "public") {
    // Nobody needs to be signed in (sign-in, accepting an invitation), but whoever is signed in is known (signing out).
    user = await currentUser();
  } else if (access === "admin") {
    user = await requireAdmin();
  } else {
    user = await requireUser();
    if (typeof access === "object") {
      const [kind, field] = "review" in access ? ["review", access.review] : "connector" in access ? ["connector", access.connector] : ["team", access.team];
      const id = Id.safeParse(form.get(field));
      if (!id.success) notFound();
      if (kind === "review") scope = await requireReview(id.data, access.can);
      else if (kind === "connector") scope = await requireConnector(id.data, access.can);
      else {
        await requireTeamCapability(id.data, access.can);
        scope = { teamId: id.data };
      }
    }
  }
  const actor: Actor = user ? actorFor(user, request.correlationId) : { id: "anonymous", correlationId: request.correlationId };
  return {
    user,
    actor,
    scope,
    request,
    audit: (entry: AuditEntry) => appendAudit({ ...entry, actor: actor.id, correlationId: request.correlationId }),
  } as unknown as ActionContext<A>;
}

/** Each form field's value; a field given more than once becomes an array. */
export function formFields(form: FormData): Record<string, FormDataEntryValue | FormDataEntryValue[]> {
  const out: Record<string, FormDataEntryValue | FormDataEntryValue[]> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key);
    out[key] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

/** What was typed, to fill the form again after a failure: never secrets, files or oversized values. */
function keptValues(form: FormData, secrets: readonly string[]): Pick<FormState, "values" | "dropped"> {
  const values: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string" || key.startsWith("$ACTION")) continue;
    if (secrets.includes(key)) {
      if (value.trim() !== "") dropped.push(key);
    } else if (!(key in values)) values[key] = value.slice(0, 10_000);
  }
  return dropped.length > 0 ? { values, dropped } : { values };
}

/** The first message for each field; issues about the whole form become its error. */
export function fieldErrorsOf(error: z.ZodError): Pick<FormState, "fieldErrors" | "error"> {
  const fieldErrors: Record<string, string> = {};
  let formError: string | undefined;
  for (const issue of error.issues) {
    const key = issue.path[0];
    if (key === undefined) formError ??= issue.message;
    else fieldErrors[String(key)] ??= issue.message;
  }
  return formError ? { fieldErrors, error: formError } : { fieldErrors };
}
