/** A counting semaphore with a FIFO queue; waiting can be abandoned through an AbortSignal. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('a semaphore needs a limit of at least 1');
  }

  /** Resolves true once a slot is held, or false if `signal` aborts first (no slot is held then). */
  acquire(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const grant = () => {
        signal?.removeEventListener('abort', abandon);
        this.active++;
        resolve(true);
      };
      const abandon = () => {
        const at = this.waiters.indexOf(grant);
        if (at >= 0) this.waiters.splice(at, 1);
        resolve(false);
      };
      this.waiters.push(grant);
      signal?.addEventListener('abort', abandon, { once: true });
    });
  }

  release(): void {
    this.active--;
    this.waiters.shift()?.();
  }

  get inUse(): number {
    return this.active;
  }
}
