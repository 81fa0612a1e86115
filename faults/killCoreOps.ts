/** What the kill-core writer and its checker share: the keys it edits, its secret key, its log lines. */
export const killCoreKeys = Array.from({ length: 12 }, (_, i) => `k${i}`);
export const killCoreSecretKey = Buffer.alloc(32, 7);

export type WriterOp =
  | { kind: 'draft'; key: string; id: number | null; state: 'draft' | 'reviewed' | 'queued' | 'applied' | 'rejected' }
  | { kind: 'mapping'; org: string; clientId: number | null }
  | { kind: 'request'; id: number | null; key: string | null; state: 'draft' | 'queued' };
