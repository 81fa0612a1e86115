import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UpdateStatus } from '../../shared/ipc.js';
import { dayMs, resolveUpdateFeed, UpdateFlow, type UpdateDriver } from './updateFlow.js';

/**
 * A feed that behaves like electron-updater against a generic feed: a check reports through
 * events (available → progress → downloaded, or not-available) or rejects when the feed is broken.
 */
class FakeFeed implements UpdateDriver {
  flow!: UpdateFlow;
  checks = 0;
  installs = 0;
  offer: string | null = null;
  broken: Error | null = null;
  failDownload: Error | null = null;
  pending: Promise<void> | null = null;

  async check(): Promise<void> {
    this.checks += 1;
    await Promise.resolve();
    if (this.broken) throw this.broken;
    if (!this.offer) return this.flow.notAvailable();
    const version = this.offer;
    this.flow.available(version);
    // The download continues after the check resolves, as in electron-updater.
    this.pending = (async () => {
      await Promise.resolve();
      this.flow.progress(42.4);
      if (this.failDownload) return this.flow.failed(this.failDownload);
      this.flow.downloaded(version);
    })();
  }

  install(): void {
    this.installs += 1;
  }
}

function setup() {
  const feed = new FakeFeed();
  const logs: string[] = [];
  const seen: UpdateStatus[] = [];
  const flow = new UpdateFlow({
    driver: feed,
    log: (line) => logs.push(line),
    onStatus: (s) => seen.push(s),
    now: () => new Date('2026-11-22T10:00:00Z'),
  });
  feed.flow = flow;
  return { feed, flow, logs, seen };
}

describe('update flow', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('checks at start and then once a day', async () => {
    const { feed, flow } = setup();
    flow.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.checks).toBe(1);
    expect(flow.status()).toMatchObject({ state: 'idle', lastCheckedAt: '2026-11-22T10:00:00.000Z' });
    await vi.advanceTimersByTimeAsync(dayMs - 1000);
    expect(feed.checks).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(feed.checks).toBe(2);
    await vi.advanceTimersByTimeAsync(dayMs);
    expect(feed.checks).toBe(3);
    flow.stop();
    await vi.advanceTimersByTimeAsync(3 * dayMs);
    expect(feed.checks).toBe(3);
  });

  it('downloads an update, then waits for the user before installing', async () => {
    const { feed, flow, seen } = setup();
    feed.offer = '0.2.0';
    flow.start();
    await vi.advanceTimersByTimeAsync(0);
    await feed.pending;
    expect(seen.map((s) => s.state)).toEqual(['checking', 'downloading', 'downloading', 'ready']);
    expect(seen[2]?.percent).toBe(42);
    expect(flow.status()).toMatchObject({ state: 'ready', version: '0.2.0', percent: 100 });
    // Days pass: nothing installs by itself, and the feed is not asked again while the user decides.
    await vi.advanceTimersByTimeAsync(5 * dayMs);
    expect(feed.installs).toBe(0);
    expect(feed.checks).toBe(1);
    expect(flow.installNow()).toBe(true);
    expect(feed.installs).toBe(1);
    // A double click does not install twice.
    expect(flow.installNow()).toBe(false);
    expect(feed.installs).toBe(1);
  });

  it('refuses to install when no update is ready', async () => {
    const { feed, flow } = setup();
    expect(flow.installNow()).toBe(false);
    feed.offer = '0.2.0';
    feed.failDownload = new Error('sha512 checksum mismatch');
    await flow.check();
    await feed.pending;
    expect(flow.status().state).toBe('idle');
    expect(flow.installNow()).toBe(false);
    expect(feed.installs).toBe(0);
  });

  it('logs a broken feed quietly, once per check, and tries again the next day', async () => {
    const { feed, flow, logs } = setup();
    feed.broken = new Error('getaddrinfo ENOTFOUND https://ops:s3cret@updates.example.com/ic\n    at stack');
    flow.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(flow.status()).toMatchObject({ state: 'idle', version: null, lastCheckedAt: null });
    expect(logs).toEqual(['Update check failed: getaddrinfo ENOTFOUND https://***@updates.example.com/ic']);
    feed.broken = null;
    feed.offer = '0.3.0';
    await vi.advanceTimersByTimeAsync(dayMs);
    await feed.pending;
    expect(flow.status()).toMatchObject({ state: 'ready', version: '0.3.0' });
    expect(logs).toHaveLength(1);
  });

  it('does not start a second check while one is running', async () => {
    const { feed, flow } = setup();
    const first = flow.check();
    const second = flow.check();
    await Promise.all([first, second]);
    expect(feed.checks).toBe(1);
  });
});

describe('update feed', () => {
  it('is off in development builds, whatever is configured', () => {
    expect(resolveUpdateFeed({ isPackaged: false, envUrl: 'https://updates.example.com', hasPackagedConfig: true }).kind).toBe('none');
  });

  it('takes UPDATE_FEED_URL first, then the feed baked in at packaging', () => {
    expect(resolveUpdateFeed({ isPackaged: true, envUrl: 'https://updates.example.com/ic', hasPackagedConfig: true })).toEqual({ kind: 'url', url: 'https://updates.example.com/ic' });
    expect(resolveUpdateFeed({ isPackaged: true, envUrl: 'http://127.0.0.1:9000/feed', hasPackagedConfig: false }).kind).toBe('url');
    expect(resolveUpdateFeed({ isPackaged: true, envUrl: '  ', hasPackagedConfig: true })).toEqual({ kind: 'packaged' });
    expect(resolveUpdateFeed({ isPackaged: true, envUrl: undefined, hasPackagedConfig: false }).kind).toBe('none');
  });

  it('refuses a feed that is not https (except on loopback) or carries credentials', () => {
    for (const url of ['http://updates.example.com/ic', 'https://user:pw@updates.example.com', 'file:///tmp/feed', 'not a url']) {
      expect(resolveUpdateFeed({ isPackaged: true, envUrl: url, hasPackagedConfig: true }).kind, url).toBe('none');
    }
  });
});
