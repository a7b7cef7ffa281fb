import { assertEquals } from "../support/assert.ts";
import { renderSection, renderTable, wrapString } from "../../lib/format/table.ts";

// Expected bytes match tablewriter v0.0.5 as the official client configures it (checked
// against the Go library) and the examples of docs/commands.md.

Deno.test("renderTable() follows the last header with one space and every data cell with four", () => {
  const out = renderTable([["model1", "sha256:abc12", "1.0 KB", "24 hours ago"]], {
    header: ["NAME", "ID", "SIZE", "MODIFIED"],
  });
  assertEquals(
    out,
    "NAME      ID              SIZE      MODIFIED     \n" +
      "model1    sha256:abc12    1.0 KB    24 hours ago    \n",
  );
});

Deno.test("renderTable() reproduces the reference list example", () => {
  const out = renderTable([
    ["qwen3:8b", "500a1f067a9f", "5.2 GB", "2 days ago"],
    ["llama3.2:latest", "a80c4f17acd5", "2.0 GB", "3 weeks ago"],
    ["gpt-oss:120b-cloud", "569662207105", "-", "5 weeks ago"],
  ], { header: ["NAME", "ID", "SIZE", "MODIFIED"] });
  assertEquals(
    out,
    "NAME                  ID              SIZE      MODIFIED    \n" +
      "qwen3:8b              500a1f067a9f    5.2 GB    2 days ago     \n" +
      "llama3.2:latest       a80c4f17acd5    2.0 GB    3 weeks ago    \n" +
      "gpt-oss:120b-cloud    569662207105    -         5 weeks ago    \n",
  );
});

Deno.test("renderTable() prints only the header when there are no rows", () => {
  assertEquals(
    renderTable([], { header: ["NAME", "ID", "SIZE", "MODIFIED"] }),
    "NAME    ID    SIZE    MODIFIED \n",
  );
});

Deno.test("renderTable() prints nothing without header and rows", () => {
  assertEquals(renderTable([]), "");
});

Deno.test("renderTable() measures East Asian wide characters as two cells", () => {
  assertEquals(
    renderTable([["日本語", "x"], ["ab", "y"]], { header: ["NAME", "ID"] }),
    "NAME      ID \n日本語    x     \nab        y     \n",
  );
});

Deno.test("renderTable() never wraps a long cell without spaces", () => {
  const name = "hf.co/someone/a-very-long-model-name-GGUF:Q4_K_M";
  assertEquals(
    renderTable([[name, "1"]], { header: ["NAME", "ID"] }),
    `NAME${" ".repeat(name.length - 4)}    ID \n${name}    1     \n`,
  );
});

Deno.test("renderTable() wraps a cell over 30 columns at spaces", () => {
  assertEquals(
    renderTable([["the quick brown fox jumps over the lazy dog", "x"]]),
    "the quick brown fox jumps over    x    \n" +
      "the lazy dog                            \n",
  );
});

Deno.test("renderTable() continues shorter cells of a wrapped row with two spaces", () => {
  // An empty first column is two cells wide on continuation lines, as upstream prints it.
  assertEquals(
    renderTable([["", "the quick brown fox jumps over the lazy dog"]]),
    "    the quick brown fox jumps over    \n" +
      "      the lazy dog                      \n",
  );
});

Deno.test("renderTable() reflows a multi-line cell into one paragraph", () => {
  assertEquals(renderTable([["a\nbb", "c"]]), "a     c    \nbb          \n");
});

Deno.test("renderTable() allows rows with different numbers of cells", () => {
  assertEquals(
    renderTable([["", "stop", '"<|eot_id|>"'], ["", "temperature", "0.7"], ["", "a", "b", "c d"]]),
    '    stop           "<|eot_id|>"    \n' +
      "    temperature    0.7             \n" +
      "    a              b               c d    \n",
  );
});

Deno.test("wrapString() balances lines instead of filling greedily", () => {
  assertEquals(wrapString("aaa bb cc ddddd", 6), ["aaa", "bb cc", "ddddd"]);
  assertEquals(wrapString("one two", 30), ["one two"]);
  assertEquals(wrapString("averyveryverylongword x", 5), ["averyveryverylongword", "x"]);
});

Deno.test("renderSection() matches upstream's Capabilities section", () => {
  assertEquals(
    renderSection("Capabilities", [["vision"], ["tools"]]),
    "  Capabilities\n    vision    \n    tools     \n\n",
  );
});

Deno.test("renderSection() matches the reference Model section", () => {
  assertEquals(
    renderSection("Model", [
      ["architecture", "llama"],
      ["parameters", "3.2B"],
      ["context length", "131072"],
      ["embedding length", "3072"],
      ["quantization", "Q4_K_M"],
    ]),
    "  Model\n" +
      "    architecture        llama     \n" +
      "    parameters          3.2B      \n" +
      "    context length      131072    \n" +
      "    embedding length    3072      \n" +
      "    quantization        Q4_K_M    \n\n",
  );
});

Deno.test("renderSection() wraps License lines at 100 columns", () => {
  const out = renderSection("License", [["word ".repeat(30).trim()]], 100);
  assertEquals(
    out,
    "  License\n" +
      `    ${"word ".repeat(20).trim()}     \n` +
      `      ${"word ".repeat(10).trim()}${" ".repeat(51)}    \n` +
      "\n",
  );
});

Deno.test("renderTable() pads a wrapped column to the wrap limit even when its lines are shorter", () => {
  // 35 columns wrap into lines of 21 and 14; tablewriter still sizes the column at 30.
  assertEquals(
    renderTable([["aaaaaaaaaa bbbbbbbbbb cccccccccc ddd", "x"]]),
    "aaaaaaaaaa bbbbbbbbbb             x    \n" +
      "cccccccccc ddd                          \n",
  );
});

Deno.test("wrapString() minimises raggedness over the lines before the last", () => {
  assertEquals(wrapString("aaaaaaa bbbbbbb ccccccc ddddddd", 30), [
    "aaaaaaa bbbbbbb ccccccc",
    "ddddddd",
  ]);
});
