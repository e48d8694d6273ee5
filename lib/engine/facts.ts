// Facts parsed from the snapshot once per scan and shared by every check ("parse once, judge many times").
import type { Snapshot } from "./snapshot";

export class Facts {
  readonly #cache = new Map<string, unknown>();
  readonly #disposers: Array<() => void> = [];

  constructor(readonly snapshot: Snapshot) {}

  /** Computes a fact on first use and returns the same value (or promise) afterwards. */
  memo<T>(key: string, compute: (snapshot: Snapshot) => T): T {
    if (this.#cache.has(key)) return this.#cache.get(key) as T;
    const value = compute(this.snapshot);
    this.#cache.set(key, value);
    return value;
  }

  /** Registers cleanup for resources a fact holds outside the JS heap (tree-sitter trees live in WebAssembly memory). */
  onDispose(fn: () => void): void {
    this.#disposers.push(fn);
  }

  dispose(): void {
    for (const fn of this.#disposers.splice(0)) fn();
    this.#cache.clear();
  }
}
