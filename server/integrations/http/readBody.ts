import type { Readable } from 'node:stream';

export interface CappedBody {
  bytes: Buffer;
  /** The body was longer than the cap; `bytes` holds only its start and the rest was not read. */
  truncated: boolean;
}

/**
 * Reads at most `cap` bytes of a response body. A declared Content-Length above the cap is
 * refused before reading anything; a body that grows past it is cut off mid-stream and the
 * connection destroyed, so a vendor (or anything impersonating one) cannot make us buffer an
 * unbounded answer.
 */
export async function readCapped(body: Readable, cap: number, contentLength: string | string[] | undefined): Promise<CappedBody> {
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  if (Number.isFinite(declared) && declared > cap) {
    body.destroy();
    return { bytes: Buffer.alloc(0), truncated: true };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    if (size + buffer.length > cap) {
      chunks.push(buffer.subarray(0, cap - size));
      body.destroy();
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    size += buffer.length;
    chunks.push(buffer);
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}
