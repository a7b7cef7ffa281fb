import { assertEquals, assertRejects } from "../support/assert.ts";
import {
  extractAttachments,
  findPaths,
  sniffType,
  toBase64,
  unescapePath,
} from "../../lib/chat/attachments.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const files: Record<string, Uint8Array> = {
  "/tmp/a.jpg": new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
  "/tmp/my pic.PNG": PNG,
  "/tmp/notes.png": new TextEncoder().encode("just text"),
  "/tmp/empty.png": new Uint8Array(),
};
const read = (path: string) => Promise.resolve(files[path]);

Deno.test("findPaths() handles quoted, spaced and upper-case paths", () => {
  assertEquals(findPaths("describe /tmp/a.jpg please"), ["/tmp/a.jpg"]);
  assertEquals(findPaths("look at ./x.webp and C:\\img\\y.jpeg"), ["./x.webp", "C:\\img\\y.jpeg"]);
  assertEquals(findPaths("what is in /tmp/my pic.PNG?"), ["/tmp/my pic.PNG"]);
  assertEquals(findPaths("no files here.png"), []);
});

Deno.test("unescapePath() handles shell escapes", () => {
  assertEquals(unescapePath("/tmp/my\\ pic\\(1\\).png"), "/tmp/my pic(1).png");
});

Deno.test("sniffType() handles the accepted types by content", () => {
  assertEquals(sniffType(PNG), "image/png");
  assertEquals(sniffType(files["/tmp/a.jpg"]), "image/jpeg");
  assertEquals(sniffType(new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 ")), "image/webp");
  assertEquals(sniffType(new TextEncoder().encode("RIFF\0\0\0\0WAVEfmt ")), "audio/wave");
  assertEquals(sniffType(new TextEncoder().encode("hello")), "text/plain; charset=utf-8");
});

Deno.test("extractAttachments() handles an image: removed from the text, base64 kept", async () => {
  const result = await extractAttachments("describe '/tmp/a.jpg' now", read);
  assertEquals(result.text, "describe  now");
  assertEquals(result.attachments, [{
    path: "/tmp/a.jpg",
    kind: "image",
    base64: toBase64(files["/tmp/a.jpg"]),
  }]);
  assertEquals(toBase64(files["/tmp/a.jpg"]), "/9j/4AAQ");
});

Deno.test("extractAttachments() handles a missing file by leaving the text alone", async () => {
  const result = await extractAttachments("what about /tmp/missing.png", read);
  assertEquals(result, { text: "what about /tmp/missing.png", attachments: [] });
});

Deno.test("extractAttachments() handles a file that is not an image", async () => {
  await assertRejects(
    () => extractAttachments("see /tmp/notes.png", read),
    /^invalid file type: text\/plain; charset=utf-8$/,
  );
  await assertRejects(() => extractAttachments("see /tmp/empty.png", read), /^EOF$/);
});
