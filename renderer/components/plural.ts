/** A count as people read it: "1,500", not "1500". */
export const formatCount = (count: number): string => count.toLocaleString('en-US');

/**
 * "1 hour", "2 hours", "1 entry", "1,500 organizations": the one place the UI puts a count
 * before a noun, so no screen says "1 hours". `many` is needed only where adding "s" is wrong.
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
