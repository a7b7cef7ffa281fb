/**
 * East Asian Width, reduced to what a terminal needs: one cell or two. The data is generated
 * (lib/term/width_table.ts, from the same package string-width reads), so dollama measures with
 * it without loading any npm code, which would start Deno's Node layer in every terminal run.
 */
import { WIDE_RANGES } from "./width_table.ts";

/** Nothing below this is wide, so the Latin, Greek, Cyrillic… that most text is skip the search. */
const FIRST_WIDE = WIDE_RANGES[0];

/**
 * Cells `codePoint` takes on its own: 2 for Wide and Fullwidth, 1 for everything else, ambiguous
 * characters (`±`, `§`) included, as most terminals outside East-Asian locales draw them.
 */
export function eastAsianCells(codePoint: number): 1 | 2 {
  if (codePoint < FIRST_WIDE) return 1;
  // Binary search over the range starts (even indexes) for the last one at or below codePoint.
  let low = 0;
  let high = WIDE_RANGES.length / 2 - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (WIDE_RANGES[mid * 2] <= codePoint) low = mid;
    else high = mid - 1;
  }
  return codePoint <= WIDE_RANGES[low * 2 + 1] ? 2 : 1;
}
