// Long synchronous work in the engine (reading every source file) lets the event loop turn now and then, so I/O begun
// before it, the dependency audit's requests, is answered meanwhile rather than after it.

export class EventLoopTurns {
  #last = performance.now();

  constructor(private readonly everyMs = 10) {}

  /** True when everyMs have passed since the last turn. */
  due(): boolean {
    return performance.now() - this.#last >= this.everyMs;
  }

  /** One turn of the event loop: timers, I/O callbacks and whatever they queue run before this resolves. */
  async turn(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#last = performance.now();
  }
}
