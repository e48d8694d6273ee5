// Orders for sorting what a scan reports.

/**
 * Code-unit order: the same on every machine and in every locale, and cheap. `localeCompare` would sort by the
 * machine's locale, and its first call costs a CLI run ~14 ms to set up ICU's collator.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
