/**
 * "1 hour", "2 hours", "1 entry", "3 entries": the one place the UI puts a count before a noun,
 * so no screen says "1 hours". `many` is needed only where adding "s" is wrong.
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
