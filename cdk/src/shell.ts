/** Helpers for the shell commands of the bundling hooks (they run on the synthesizing machine, POSIX shell). */

/** Quotes a path for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
