/** StreamedRecord: the exact line it writes, for any pieces, however the file takes the bytes. */
import fc from "fast-check";
import { assertEquals } from "../support/assert.ts";
import { type RecordFile, StreamedRecord } from "../../lib/chat/streamed_record.ts";

/** A file that takes at most `most` bytes per write and remembers the calls. */
function fakeFile(most = Infinity) {
  const chunks: Uint8Array[] = [];
  const calls: string[] = [];
  const file: RecordFile = {
    writeSync(bytes) {
      const taken = bytes.slice(0, Math.min(most, bytes.length));
      chunks.push(taken);
      calls.push("write");
      return taken.length;
    },
    syncDataSync: () => void calls.push("sync"),
    close: () => void calls.push("close"),
  };
  const text = () => new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
  return { file, calls, text };
}

Deno.test("StreamedRecord writes the head, the escaped pieces and the tail as one line", () => {
  const { file, calls, text } = fakeFile();
  const record = new StreamedRecord(file, '{"a":"');
  for (const piece of ["Hi ", 'say "x"', "\n", "tab\there", "é\\", "\u0001", ""]) {
    record.add(piece);
  }
  assertEquals(calls, [], "nothing is written before the buffer fills or the record ends");
  record.finish('"}');
  assertEquals(text(), '{"a":"Hi say \\"x\\"\\ntab\\there\u00e9\\\\\\u0001"}\n');
  assertEquals(calls, ["write", "sync", "close"]);
});

Deno.test("StreamedRecord keeps a surrogate pair split across pieces, and a lone half", () => {
  const { file, text } = fakeFile();
  const record = new StreamedRecord(file, '{"a":"');
  record.add("smile \ud83d");
  record.add("\ude00!");
  record.add("\udc00");
  record.finish('"}');
  assertEquals(JSON.parse(text()).a, "smile \u{1f600}!\udc00");
});

Deno.test("StreamedRecord reads back as the pieces joined, for any pieces and short writes", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 80 }),
          fc.string({ unit: "grapheme-ascii", minLength: 60_000, maxLength: 70_000 }),
        ),
        { maxLength: 30 },
      ),
      fc.integer({ min: 1, max: 100_000 }),
      (pieces, most) => {
        const { file, text } = fakeFile(most);
        const record = new StreamedRecord(file, '{"v":1,"text":"');
        for (const piece of pieces) record.add(piece);
        record.finish('","end":true}');
        const line = text();
        assertEquals(line.endsWith("}\n"), true);
        assertEquals(line.indexOf("\n"), line.length - 1, "one line");
        assertEquals(JSON.parse(line), { v: 1, text: pieces.join(""), end: true });
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("StreamedRecord writes a long answer as it goes, in a few large writes", () => {
  const { file, calls, text } = fakeFile();
  const record = new StreamedRecord(file, '{"a":"');
  const piece = "word ".repeat(10);
  for (let i = 0; i < 10_000; i++) record.add(piece);
  const writesBeforeEnd = calls.length;
  record.finish('"}');
  assertEquals(writesBeforeEnd >= 7 && writesBeforeEnd <= 8, true, `${writesBeforeEnd} writes`);
  assertEquals(JSON.parse(text()).a, piece.repeat(10_000));
});
