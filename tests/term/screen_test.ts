/** The drawing arithmetic: exact bytes for redraws and erases, and re-wrapping on resize. */
import { assertEquals } from "../support/assert.ts";
import { DOWN, GREY, LINE, RESET } from "../support/escapes.ts";
import {
  cursorOffset,
  erase,
  redraw,
  reflow,
  rowsTaken,
  windowFor,
} from "../../lib/term/screen.ts";

Deno.test("rowsTaken() counts the terminal rows a row wraps onto, styling and wide characters included", () => {
  assertEquals(rowsTaken("", 10), 1);
  assertEquals(rowsTaken("x".repeat(10), 10), 1);
  assertEquals(rowsTaken("x".repeat(11), 10), 2);
  assertEquals(rowsTaken(`${GREY}${"x".repeat(10)}${RESET}`, 10), 1);
  assertEquals(rowsTaken("日本語日本語", 10), 2);
});

Deno.test("cursorOffset() finds the cursor's terminal row, or the last row when it is hidden", () => {
  const rows = ["title", "y".repeat(25), "end"];
  assertEquals(cursorOffset({ rows }, 10), 4);
  assertEquals(cursorOffset({ rows, cursorRow: 1, cursorCol: 12 }, 10), 2);
  // Right after a row that fills the width: still on that row (the terminal's pending wrap).
  assertEquals(cursorOffset({ rows: ["y".repeat(10)], cursorRow: 0, cursorCol: 10 }, 10), 0);
});

Deno.test("redraw() of a hidden-cursor view goes up over every row it took, blanks them, then draws", () => {
  const previous = { rows: ["title", "y".repeat(25)] };
  assertEquals(
    redraw(previous, { rows: ["new"] }, 10),
    `\r\x1b[3A${LINE}${DOWN}${LINE}${DOWN}${LINE}${DOWN}${LINE}\x1b[3Anew`,
  );
  assertEquals(redraw(undefined, { rows: ["a", "b"] }, 10), `\r${LINE}a\r\nb`);
});

Deno.test("redraw() places the cursor from the end of the last row", () => {
  const next = { rows: [">>> ab", "... cd"], cursorRow: 0, cursorCol: 5 };
  assertEquals(redraw(undefined, next, 80), `\r${LINE}>>> ab\r\n... cd\x1b[1A\r\x1b[5C`);
  // Styling does not count as cells: the cursor is at the end, nothing to move.
  const styled = { rows: [`>>> ${GREY}hint${RESET}`], cursorRow: 0, cursorCol: 8 };
  assertEquals(redraw(undefined, styled, 80), `\r${LINE}>>> ${GREY}hint${RESET}`);
});

Deno.test("redraw() never erases to the end of the screen, only the rows the prompt took", () => {
  // ESC[J at the top-left corner is a clear screen to tmux, which then copies the whole screen
  // into its scrollback.
  const one = { rows: [">>> abc"], cursorRow: 0, cursorCol: 7 };
  const two = { rows: [">>> a", "... b"], cursorRow: 1, cursorCol: 5 };
  // Two rows where one was: one is blanked, the second written below it.
  assertEquals(redraw(one, two, 80), `\r${LINE}>>> a\r\n... b`);
  // One row where two were: both are blanked, from the first.
  assertEquals(redraw(two, one, 80), `\r\x1b[1A${LINE}${DOWN}${LINE}\x1b[1A>>> abc`);
  for (const bytes of [redraw(one, two, 80), redraw(two, one, 80), erase(two, 80)]) {
    assertEquals(bytes.includes("\x1b[J"), false);
  }
});

Deno.test("erase() goes back to the top of what was drawn and blanks each of its rows", () => {
  assertEquals(erase({ rows: ["one"] }, 80), `\r${LINE}`);
  assertEquals(
    erase({ rows: ["one", "two", "three"], cursorRow: 1, cursorCol: 0 }, 80),
    `\r\x1b[1A${LINE}${DOWN}${LINE}${DOWN}${LINE}\x1b[2A`,
  );
  assertEquals(
    erase({ rows: ["one", "x".repeat(30)] }, 20),
    `\r\x1b[2A${LINE}${DOWN}${LINE}${DOWN}${LINE}\x1b[2A`,
  );
});

Deno.test("reflow() re-wraps a hidden-cursor view without styling and keeps the cursor hidden", () => {
  assertEquals(reflow({ rows: [`${GREY}abcdef${RESET}`, "gh"] }, 4), {
    rows: ["abcd", "ef", "gh"],
  });
});

Deno.test("reflow() below two columns leaves the view as it is", () => {
  const view = { rows: ["abc"], cursorRow: 0, cursorCol: 1 };
  assertEquals(reflow(view, 1), view);
});

Deno.test("windowFor() leaves a view that fits the screen as it is", () => {
  const view = { rows: [">>> a", "... b"], cursorRow: 1, cursorCol: 5 };
  assertEquals(windowFor(view, 80, 2, 7), { view, top: 0 });
});

Deno.test("windowFor() shows the screenful of rows around the cursor, moving only as far as it must", () => {
  const rows = Array.from({ length: 10 }, (_, i) => `row${i}`);
  // The cursor on the last row: the last four rows, the cursor on the window's last.
  assertEquals(windowFor({ rows, cursorRow: 9, cursorCol: 2 }, 80, 4, 0), {
    view: { rows: ["row6", "row7", "row8", "row9"], cursorRow: 3, cursorCol: 2 },
    top: 6,
  });
  // Up within the window: it stays.
  assertEquals(windowFor({ rows, cursorRow: 7, cursorCol: 0 }, 80, 4, 6).top, 6);
  // Above it: the window starts at the cursor's row.
  assertEquals(windowFor({ rows, cursorRow: 2, cursorCol: 0 }, 80, 4, 6), {
    view: { rows: ["row2", "row3", "row4", "row5"], cursorRow: 0, cursorCol: 0 },
    top: 2,
  });
  // A window left beyond the end (rows were deleted) comes back to show a full screen.
  assertEquals(windowFor({ rows: rows.slice(0, 6), cursorRow: 5, cursorCol: 0 }, 80, 4, 6).top, 2);
  // A hidden cursor: the last rows.
  assertEquals(windowFor({ rows }, 80, 4, 0), { view: { rows: rows.slice(6) }, top: 6 });
});

Deno.test("windowFor() counts terminal rows: a row wider than the screen is re-wrapped first", () => {
  const view = { rows: ["x".repeat(25), "end"], cursorRow: 0, cursorCol: 12 };
  // 25 cells at 10 columns take three rows; with "end", four for a screen of two.
  assertEquals(windowFor(view, 10, 2, 0), {
    view: { rows: ["x".repeat(10), "x".repeat(10)], cursorRow: 1, cursorCol: 2 },
    top: 0,
  });
  const drawn = windowFor(view, 10, 2, 0).view;
  assertEquals(redraw(undefined, drawn, 10).includes("end"), false);
});
