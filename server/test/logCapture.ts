import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../logger.js';

/** A real pino logger whose JSON lines are kept in memory, so tests can search every log line. */
export function captureLogs(level = 'debug'): { log: Logger; lines: string[]; text(): string } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  return { log: createLogger({ level, destination }), lines, text: () => lines.join('\n') };
}
