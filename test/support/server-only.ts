// Stand-in for the "server-only" marker package in vitest, where every module is server code.
export {};
