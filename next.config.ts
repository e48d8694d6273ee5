import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and parser packages are loaded by Node at run time, not bundled.
  serverExternalPackages: ["better-sqlite3", "typescript", "web-tree-sitter", "pino", "piscina", "pg", "pg-boss"],
  poweredByHeader: false,
  // Pages are gzipped only when asked (LAUNCH_REVIEW_COMPRESS=1, read when the server starts): see README,
  // "Compression". Next's gzip runs on Node's thread pool, and while a scan runs those jobs wait for a core.
  compress: process.env.LAUNCH_REVIEW_COMPRESS === "1",
  typedRoutes: false,
  // `npm run typecheck` (next typegen, then tsc; `npm test` and CI run it first) checks the same code and the route
  // types the build would: the build doesn't check them again (~30–50 s of every build, a first `npm start` too).
  typescript: { ignoreBuildErrors: true },
  // forbidden() renders app/forbidden.tsx with status 403.
  experimental: {
    authInterrupts: true,
    // Offline advisory imports upload JSON files; the action itself refuses anything over 5 MB.
    serverActions: { bodySizeLimit: "6mb" },
  },
};

export default nextConfig;
