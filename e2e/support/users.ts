// The people the end-to-end tests act as. The administrator is created by the server at first start (its
// password comes from the webServer env); the others are created by the setup project through the CLI.
import path from "node:path";

export const E2E_DIR = path.resolve(__dirname, "..", "..", ".e2e");
export const ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password-1" };
export const PASSWORD = "e2e-member-password-1";

export const ROLES = ["viewer", "maintainer", "reviewer", "security-lead"] as const;
export type E2eRole = (typeof ROLES)[number] | "admin" | "outsider";

export function emailOf(role: E2eRole): string {
  return role === "admin" ? ADMIN.email : `${role}@e2e.test`;
}

export function passwordOf(role: E2eRole): string {
  return role === "admin" ? ADMIN.password : PASSWORD;
}

export function storageStateOf(role: E2eRole): string {
  return path.join(E2E_DIR, `state-${role}.json`);
}
