// Summarizes a tool's input schema as written in TS/JS: a zod raw shape, a zod object, or a JSON Schema object.
import { ts } from "../js";
import type { EvalEnv, JsEvaluator } from "./js-eval";
import type { InputField, InputSchemaSummary, StaticValue } from "@/lib/core/types";
import { isDynamic, isRecord } from "./values";

const ZOD_ROOTS = new Set(["z", "zod", "Zod"]);
const OPEN_MODIFIERS = new Set(["passthrough", "catchall", "loose"]);
const OPTIONAL_MODIFIERS = new Set(["optional", "nullish", "default"]);

export const NO_SCHEMA: InputSchemaSummary = Object.freeze({ kind: "none", fields: [], open: false }) as InputSchemaSummary;

export function summarizeJsInputSchema(node: ts.Expression | undefined, ev: JsEvaluator, env: EvalEnv, depth = 0): InputSchemaSummary {
  if (!node) return { kind: "none", fields: [], open: false };
  if (depth > 8) return { kind: "dynamic", fields: [], open: false };
  const inner = unwrap(node);
  if (ts.isIdentifier(inner)) {
    if (inner.text === "undefined") return { kind: "none", fields: [], open: false };
    const resolved = ev.resolveExpression(inner, env);
    return resolved ? summarizeJsInputSchema(resolved.node, ev, resolved.env, depth + 1) : { kind: "dynamic", fields: [], open: false };
  }
  if (ts.isPropertyAccessExpression(inner) && !ZOD_ROOTS.has(inner.expression.getText())) {
    // `def.schema` where def is a constant object: the schema written in that object.
    const owner = ev.evaluate(inner.expression, env);
    const node = isRecord(owner) ? ev.propertyNodes.get(owner)?.get(inner.name.text) : undefined;
    const file = node ? ev.files.get(node.getSourceFile().fileName) : undefined;
    if (node && file && ts.isExpression(node)) return summarizeJsInputSchema(node, ev, ev.env(file), depth + 1);
  }
  if (ts.isObjectLiteralExpression(inner)) {
    const isJsonSchema = inner.properties.some(
      (p) => ts.isPropertyAssignment(p) && propName(p) === "type" && ts.isStringLiteralLike(unwrap(p.initializer)),
    );
    if (!isJsonSchema) return { kind: "zod", fields: zodShapeFields(inner, ev, env, depth), open: false };
  }
  const chain = zodChain(inner);
  if (chain) {
    if (chain.base === "object" || chain.base === "strictObject" || chain.base === "looseObject") {
      const shape = chain.args[0] ? unwrap(chain.args[0]) : undefined;
      const fields = shape && ts.isObjectLiteralExpression(shape) ? zodShapeFields(shape, ev, env, depth) : [];
      return { kind: "zod", fields, open: chain.base === "looseObject" || chain.modifiers.some((m) => OPEN_MODIFIERS.has(m)) };
    }
    const type = zodFieldType(inner, ev, env, depth);
    return { kind: "zod", fields: [], open: type === "any" || type === "unknown" || type === "record" };
  }
  const value = ev.evaluate(inner, env);
  if (isRecord(value)) return summarizeJsonSchema(value);
  return { kind: "dynamic", fields: [], open: false };
}

/** A JSON Schema object (low-level tools, Python `inputSchema={...}`). */
export function summarizeJsonSchema(schema: Record<string, StaticValue>): InputSchemaSummary {
  const props = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? new Set(schema.required.filter((r): r is string => typeof r === "string")) : new Set();
  const fields: InputField[] = Object.entries(props).map(([name, p]) => ({ name, type: jsonSchemaType(p), optional: !required.has(name) }));
  const additional = schema.additionalProperties;
  return { kind: "json-schema", fields, open: additional === true || (isRecord(additional) && jsonSchemaType(additional) === "any") };
}

function jsonSchemaType(p: StaticValue): string {
  if (isDynamic(p)) return "dynamic";
  if (!isRecord(p)) return p === true ? "any" : "dynamic";
  const t = p.type;
  if (typeof t === "string") {
    if (t === "object" && (p.additionalProperties === true || !isRecord(p.properties))) return "object(open)";
    return t;
  }
  if (Array.isArray(t)) return t.filter((x) => typeof x === "string").join("|") || "dynamic";
  if (p.enum !== undefined || p.const !== undefined) return "enum";
  if (p.anyOf !== undefined || p.oneOf !== undefined || p.allOf !== undefined || p.$ref !== undefined) return "union";
  return "any";
}

function zodShapeFields(shape: ts.ObjectLiteralExpression, ev: JsEvaluator, env: EvalEnv, depth: number): InputField[] {
  const fields: InputField[] = [];
  for (const p of shape.properties) {
    if (ts.isSpreadAssignment(p)) {
      const inner = unwrap(p.expression);
      const resolved = ts.isIdentifier(inner) ? ev.resolveExpression(inner, env) : null;
      const target = resolved ? unwrap(resolved.node) : null;
      if (target && ts.isObjectLiteralExpression(target)) fields.push(...zodShapeFields(target, ev, resolved!.env, depth + 1));
      continue;
    }
    const name = propName(p);
    if (name === null) continue;
    if (!ts.isPropertyAssignment(p)) {
      fields.push({ name, type: "dynamic", optional: false });
      continue;
    }
    const chain = zodChain(unwrap(p.initializer));
    fields.push({
      name,
      type: zodFieldType(p.initializer, ev, env, depth),
      optional: chain ? chain.modifiers.some((m) => OPTIONAL_MODIFIERS.has(m)) : false,
    });
  }
  return fields;
}

function zodFieldType(node: ts.Expression, ev: JsEvaluator, env: EvalEnv, depth: number): string {
  const inner = unwrap(node);
  const chain = zodChain(inner);
  if (!chain) {
    if (ts.isIdentifier(inner) && depth < 8) {
      const resolved = ev.resolveExpression(inner, env);
      if (resolved) return zodFieldType(resolved.node, ev, resolved.env, depth + 1);
    }
    return "dynamic";
  }
  if (chain.base === "object" || chain.base === "strictObject")
    return chain.modifiers.some((m) => OPEN_MODIFIERS.has(m)) ? "object(open)" : "object";
  if (chain.base === "looseObject") return "object(open)";
  return chain.base;
}

interface ZodChain {
  base: string;
  args: readonly ts.Expression[];
  modifiers: string[];
}

/** `z.string().min(1).optional()` → base "string", modifiers ["min", "optional"]. */
function zodChain(node: ts.Expression): ZodChain | null {
  const modifiers: string[] = [];
  let cur: ts.Expression = node;
  for (let i = 0; i < 50; i++) {
    cur = unwrap(cur);
    if (!ts.isCallExpression(cur) || !ts.isPropertyAccessExpression(cur.expression)) return null;
    const access = cur.expression;
    const owner = unwrap(access.expression);
    if (ts.isIdentifier(owner) && ZOD_ROOTS.has(owner.text))
      return { base: access.name.text, args: cur.arguments, modifiers: modifiers.reverse() };
    modifiers.push(access.name.text);
    cur = owner;
  }
  return null;
}

function unwrap(node: ts.Expression): ts.Expression {
  let cur = node;
  while (ts.isParenthesizedExpression(cur) || ts.isAsExpression(cur) || ts.isSatisfiesExpression(cur) || ts.isNonNullExpression(cur))
    cur = cur.expression;
  return cur;
}

function propName(p: ts.ObjectLiteralElementLike): string | null {
  const n = p.name;
  if (!n) return null;
  return ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n) ? n.text : null;
}
