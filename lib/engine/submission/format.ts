// The ChatGPT app submission file, chatgpt-app-submission.v1.json: the shape the submission portal imports, and our
// encoding of its published field rules as a JSON Schema (draft 2020-12), used to check generated and committed files.
// Source of the rules: https://developers.openai.com/apps-sdk/schemas/chatgpt-app-submission.v1.json

export const SUBMISSION_SCHEMA_URL = "https://developers.openai.com/apps-sdk/schemas/chatgpt-app-submission.v1.json";
export const SUBMISSION_FILE_NAME = "chatgpt-app-submission.v1.json";
/** File names a repository may keep its submission under. */
export const SUBMISSION_FILE_NAMES = [SUBMISSION_FILE_NAME, "chatgpt-app-submission.json"] as const;

export const APP_CATEGORIES = [
  "BUSINESS",
  "COLLABORATION",
  "DESIGN",
  "DEVELOPER_TOOLS",
  "EDUCATION",
  "ENTERTAINMENT",
  "FINANCE",
  "FOOD",
  "LIFESTYLE",
  "NEWS",
  "PRODUCTIVITY",
  "SHOPPING",
  "TRAVEL",
] as const;

export const HINTS = ["readOnlyHint", "destructiveHint", "openWorldHint"] as const;
export type Hint = (typeof HINTS)[number];
export const JUSTIFICATION_OF: Record<Hint, string> = {
  readOnlyHint: "read_only_justification",
  destructiveHint: "destructive_justification",
  openWorldHint: "open_world_justification",
};

export interface SubmissionTool {
  annotations: Record<Hint, boolean>;
  justifications: { read_only_justification: string; destructive_justification: string; open_world_justification: string };
}

export interface SubmissionTestCase {
  description: string;
  user_prompt: string;
  /** Comma-separated tool names; null for negative cases. */
  tools_triggered: string | null;
  expected_output: string;
}

export interface SubmissionFile {
  $schema: typeof SUBMISSION_SCHEMA_URL;
  schema_version: 1;
  app_info?: { display_name?: string; subtitle?: string; description?: string; category?: (typeof APP_CATEGORIES)[number] };
  tools: Record<string, SubmissionTool>;
  test_cases: SubmissionTestCase[];
  negative_test_cases: SubmissionTestCase[];
  /** Ours (the schema allows more keys): what the code could not say and the team must fill in or confirm. */
  launch_review?: { generated_from: string; needs_input: string[] };
}

const nonEmpty = { type: "string", pattern: "\\S" } as const;
const testCase = (toolsTriggered: object) => ({
  type: "object",
  required: ["description", "user_prompt", "tools_triggered", "expected_output"],
  properties: { description: nonEmpty, user_prompt: nonEmpty, tools_triggered: toolsTriggered, expected_output: nonEmpty },
});

export const SUBMISSION_JSON_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: SUBMISSION_SCHEMA_URL,
  type: "object",
  required: ["$schema", "schema_version", "tools"],
  properties: {
    $schema: { const: SUBMISSION_SCHEMA_URL },
    schema_version: { const: 1 },
    app_info: {
      type: "object",
      properties: {
        display_name: nonEmpty,
        subtitle: { ...nonEmpty, maxLength: 30 },
        description: { ...nonEmpty, maxLength: 4000 },
        category: { enum: APP_CATEGORIES },
      },
    },
    tools: {
      type: "object",
      additionalProperties: {
        type: "object",
        required: ["annotations", "justifications"],
        properties: {
          annotations: {
            type: "object",
            required: [...HINTS],
            properties: Object.fromEntries(HINTS.map((h) => [h, { type: "boolean" }])),
          },
          justifications: {
            type: "object",
            required: Object.values(JUSTIFICATION_OF),
            properties: Object.fromEntries(Object.values(JUSTIFICATION_OF).map((k) => [k, { ...nonEmpty, maxLength: 4000 }])),
          },
        },
      },
    },
    test_cases: { type: "array", minItems: 5, items: testCase(nonEmpty) },
    negative_test_cases: { type: "array", minItems: 3, items: testCase({ type: "null" }) },
  },
  additionalProperties: true,
} as const;
