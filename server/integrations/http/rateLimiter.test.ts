import { describe, expect, it, vi } from 'vitest';
import { RateLimiter, SlidingWindow, TokenBucket } from './rateLimiter.js';
import { backoffDelay, defaultRetryPolicy, isRetryableStatus, parseRetryAfter } from './retryPolicy.js';

describe('TokenBucket', () => {
  it('lets a burst through, then spaces requests at the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket({ perMinute: 60, burst: 3 }, () => now);
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 0]);
    expect(bucket.reserve()).toBe(1_000);
    expect(bucket.reserve()).toBe(2_000);
    now = 2_000;
    expect(bucket.reserve()).toBe(1_000);
  });

  it('never lets more than perMinute + burst through in any 60 s window (Syncro: 170 + 10 = 180)', () => {
    let now = 0;
    const bucket = new TokenBucket({ perMinute: 170, burst: 10 }, () => now);
    const sent: number[] = [];
    // A client that sends as soon as it may, for five minutes.
    while (now < 300_000) {
      const wait = bucket.reserve();
      now += wait;
      sent.push(now);
    }
    let worst = 0;
    for (let i = 0, j = 0; i < sent.length; i++) {
      while ((sent[i] as number) - (sent[j] as number) >= 60_000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(180);
    expect(worst).toBeGreaterThanOrEqual(175);
  });

  it('takes back a reservation that was not used', () => {
    const bucket = new TokenBucket({ perMinute: 60, burst: 1 }, () => 0);
    expect(bucket.reserve()).toBe(0);
    expect(bucket.reserve()).toBe(1_000);
    bucket.release();
    expect(bucket.reserve()).toBe(1_000);
  });
});

describe('SlidingWindow', () => {
  it("follows Huntress's worked example: 60 in any 60 s, the 61st waits for the first to age out, the 62nd for the second", () => {
    let now = 0;
    const window = new SlidingWindow(60, 60_000, () => now);
    expect(window.reserve()).toBe(0); // request 1 at T0
    now = 5_000;
    expect(window.reserve()).toBe(0); // request 2 at T5
    now = 10_000;
    for (let i = 3; i <= 60; i++) expect(window.reserve()).toBe(0); // 3..60 at T10
    now = 55_000;
    expect(window.msUntil()).toBe(5_000);
    expect(window.tryTake()).toBe(false);
    expect(window.reserve()).toBe(5_000); // 61 goes at T60
    expect(window.reserve()).toBe(10_000); // 62 at T65
    expect(window.reserve()).toBe(15_000); // 63 waits for request 3 (T10 + 60)
  });

  it('never lets more than the limit through in any window, for a client sending as soon as it may', () => {
    let now = 0;
    const window = new SlidingWindow(60, 60_000, () => now);
    const sent: number[] = [];
    while (now < 300_000) {
      now += window.reserve();
      sent.push(now);
      now += sent.length % 7; // uneven spacing
    }
    let worst = 0;
    for (let i = 0, j = 0; i < sent.length; i++) {
      while ((sent[i] as number) - (sent[j] as number) >= 60_000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBe(60);
  });

  it("gives back the released slot itself, so a later waiter's slot is not handed out twice", () => {
    let now = 0;
    const window = new SlidingWindow(1, 1_000, () => now);
    expect(window.reserve()).toBe(0);
    expect(window.reserve()).toBe(1_000);
    const early = window.lastReserved;
    expect(window.reserve()).toBe(2_000);
    window.release(early);
    // The slot at 1 000 is free again; the one at 2 000 is still held.
    now = 0;
    expect(window.reserve()).toBe(3_000);
    expect(window.isIdle()).toBe(false);
    now = 10_000;
    expect(window.isIdle()).toBe(true);
  });
});

describe('RateLimiter', () => {
  const signal = new AbortController().signal;

  it('keeps one bucket per key', async () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 1 }, () => 0);
    await expect(limiter.acquire('a.syncromsp.com', { signal, deadline: 10 })).resolves.toBe(true);
    await expect(limiter.acquire('b.syncromsp.com', { signal, deadline: 10 })).resolves.toBe(true);
    await expect(limiter.acquire('a.syncromsp.com', { signal, deadline: 10 })).resolves.toBe(false);
  });

  it('makes a new key\'s bucket with the limit the call names, else its own', async () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 1 }, () => 0);
    const roomy = { perMinute: 60, burst: 3 };
    const taken: boolean[] = [];
    for (let i = 0; i < 4; i++) taken.push(await limiter.acquire('egress 3', { signal, deadline: 10, limit: roomy }));
    expect(taken).toEqual([true, true, true, false]);
    // The default applies to keys made without a limit.
    await expect(limiter.acquire('host', { signal, deadline: 10 })).resolves.toBe(true);
    await expect(limiter.acquire('host', { signal, deadline: 10 })).resolves.toBe(false);
  });

  it('refuses at once, taking nothing, when the wait would pass the deadline', async () => {
    const limiter = new RateLimiter({ perMinute: 600, burst: 1 }, () => 0);
    await limiter.acquire('k', { signal });
    // The next token comes 100 ms later: past a deadline of 10 ms, so refused without waiting.
    await expect(limiter.acquire('k', { signal, deadline: 10 })).resolves.toBe(false);
    // Had the refused call kept its reservation, this one would need 200 ms and be refused too.
    await expect(limiter.acquire('k', { signal, deadline: 150 })).resolves.toBe(true);
  });

  it('stops waiting when the signal aborts', async () => {
    const limiter = new RateLimiter({ perMinute: 1, burst: 1 });
    await limiter.acquire('k', { signal });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    await expect(limiter.acquire('k', { signal: controller.signal })).rejects.toThrow();
  });
});

describe('RateLimiter: actions before scheduled work (issue 15 item 7)', () => {
  const signal = new AbortController().signal;

  // On a virtual clock: these are about order and deadlines, and a loaded machine's timers are late.
  const onVirtualClock = (test: () => Promise<void>) => async () => {
    vi.useFakeTimers();
    try {
      await test();
    } finally {
      vi.useRealTimers();
    }
  };

  it(
    'serves an action ahead of a sweep that saturates the bucket',
    onVirtualClock(async () => {
      // One token every 50 ms; ten health checks queue first, then a user's action arrives.
      const limiter = new RateLimiter({ perMinute: 1_200, burst: 1 });
      const order: string[] = [];
      const sweep = Array.from({ length: 10 }, (_, i) =>
        limiter.acquire('syncro', { signal, priority: 'background' }).then((granted) => order.push(`health ${i}:${granted}`)),
      );
      await vi.advanceTimersByTimeAsync(20);
      const asked = Date.now();
      let waited = -1;
      const action = limiter.acquire('syncro', { signal, priority: 'foreground' }).then(() => {
        waited = Date.now() - asked;
        order.push('action');
      });
      await vi.advanceTimersByTimeAsync(1_000);
      await Promise.all([action, ...sweep]);
      // The first check took the one token there was; the action took the next one, ahead of nine.
      expect(order.indexOf('action')).toBeLessThanOrEqual(2);
      expect(order.filter((o) => o.endsWith(':true'))).toHaveLength(10);
      // Behind the sweep in arrival order it would have waited ~450 ms.
      expect(waited).toBeLessThanOrEqual(50);
    }),
  );

  it(
    'never lets the background lane exceed the rate',
    onVirtualClock(async () => {
      const limiter = new RateLimiter({ perMinute: 1_200, burst: 2 });
      const started = Date.now();
      const grantedAt: number[] = [];
      const all = Promise.all(Array.from({ length: 6 }, () => limiter.acquire('k', { signal, priority: 'background' }).then(() => grantedAt.push(Date.now() - started))));
      await vi.advanceTimersByTimeAsync(1_000);
      await all;
      // Two from the burst, four more at 50 ms each.
      expect(Math.max(...grantedAt)).toBeGreaterThanOrEqual(190);
    }),
  );

  it(
    'gives a queued background call false at its deadline, and rejects it on abort',
    onVirtualClock(async () => {
      const limiter = new RateLimiter({ perMinute: 600, burst: 1 });
      await limiter.acquire('k', { signal });
      // Refused at once: the estimate alone ends after the deadline.
      await expect(limiter.acquire('k', { signal, deadline: Date.now() + 10, priority: 'background' })).resolves.toBe(false);
      // Queued (the estimate fits), then pushed out by actions: false when its deadline comes.
      const late = limiter.acquire('k', { signal, deadline: Date.now() + 150, priority: 'background' });
      const actions = Promise.all([limiter.acquire('k', { signal }), limiter.acquire('k', { signal })]);
      await vi.advanceTimersByTimeAsync(500);
      await expect(late).resolves.toBe(false);
      await expect(actions).resolves.toEqual([true, true]);
      await limiter.acquire('k', { signal }); // the token that came meanwhile: the next waits in the lane
      const controller = new AbortController();
      const aborted = limiter.acquire('k', { signal: controller.signal, priority: 'background' });
      controller.abort();
      await expect(aborted).rejects.toThrow();
    }),
  );
});

describe('retry policy', () => {
  it('reads Retry-After as seconds or an HTTP date, and ignores garbage', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(['0'], now)).toBe(0);
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, within the cap', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(300);
    expect(backoffDelay(10, policy, () => 1)).toBe(1_000);
    expect(backoffDelay(10, policy, () => 0)).toBe(500);
  });

  it('retries 429 and 5xx except 501', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 501].some(isRetryableStatus)).toBe(false);
  });
});

describe('RateLimiter with a sliding window', () => {
  it('lets the whole figure through at once, then refuses a wait that would end after the deadline', async () => {
    const now = 0;
    const limiter = new RateLimiter({ perMinute: 60, burst: 1 }, () => now);
    const huntress = { perMinute: 60, burst: 0, slidingWindowMs: 60_000 };
    const signal = new AbortController().signal;
    const taken: boolean[] = [];
    for (let i = 0; i < 61; i++) taken.push(await limiter.acquire('huntress key', { signal, deadline: 30_000, limit: huntress }));
    expect(taken.filter(Boolean)).toHaveLength(60);
    expect(taken[60]).toBe(false);
    // The refused one took nothing: a background caller still sees the window full until T60.
    await expect(limiter.acquire('huntress key', { signal, deadline: 59_000, limit: huntress, priority: 'background' })).resolves.toBe(false);
  });

  it('a caller refused at its deadline gives its slot back: the next one waits one window, not two', async () => {
    vi.useFakeTimers();
    try {
      const limiter = new RateLimiter({ perMinute: 60, burst: 1 });
      const one = { perMinute: 1, burst: 0, slidingWindowMs: 400 };
      const signal = new AbortController().signal;
      await expect(limiter.acquire('k', { signal, limit: one })).resolves.toBe(true);
      const refused = limiter.acquire('k', { signal, limit: one, deadline: Date.now() + 100 });
      await vi.advanceTimersByTimeAsync(100);
      await expect(refused).resolves.toBe(false);
      const started = Date.now();
      let waited = -1;
      const next = limiter.acquire('k', { signal, limit: one, deadline: Date.now() + 2_000 }).then((granted) => {
        waited = Date.now() - started;
        return granted;
      });
      await vi.advanceTimersByTimeAsync(2_000);
      await expect(next).resolves.toBe(true);
      // The window opens at 400 ms from the first call, 300 ms from here; a second window would be 700.
      expect(waited).toBeGreaterThanOrEqual(290);
      expect(waited).toBeLessThan(400);
    } finally {
      vi.useRealTimers();
    }
  });
});
