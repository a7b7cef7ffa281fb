/** HTTP error bodies reduced to one message. */
import { assertEquals } from "../support/assert.ts";
import { errorBodyMessage } from "../../lib/api/error_body.ts";

Deno.test("errorBodyMessage() handles Ollama's JSON error", () => {
  assertEquals(errorBodyMessage('{"error":"model \\"x\\" not found"}'), 'model "x" not found');
  assertEquals(errorBodyMessage('{"error":""}'), undefined);
});

Deno.test("errorBodyMessage() handles an HTML page by its title", () => {
  const nginx = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n" +
    "</body>\r\n</html>\r\n";
  assertEquals(errorBodyMessage(nginx), "502 Bad Gateway");
  assertEquals(
    errorBodyMessage("<!DOCTYPE html><html><head><title>\n  Access &amp; Denied\n</title>"),
    "Access & Denied",
  );
});

Deno.test("errorBodyMessage() handles an HTML page without a title by its first text", () => {
  assertEquals(
    errorBodyMessage(
      "<html><head><style>p{}</style><script>var x=1</script></head>" +
        "<body>\n<!-- note -->\n<p>  Sign in &#8212; required  </p><p>more</p></body></html>",
    ),
    "Sign in \u2014 required",
  );
});

Deno.test("errorBodyMessage() handles plain text, empty bodies and very long bodies", () => {
  assertEquals(errorBodyMessage("  upstream timed out\n"), "upstream timed out");
  assertEquals(errorBodyMessage("   "), undefined);
  assertEquals(errorBodyMessage("x".repeat(400)), "x".repeat(300) + "…");
  // Text that merely starts with `<` is not taken for a page.
  assertEquals(errorBodyMessage("<none>"), "<none>");
});

Deno.test("errorBodyMessage() puts a server's several lines on one line", () => {
  assertEquals(
    errorBodyMessage('{"error":"model failed\\nsuccess\\r\\n  $ \\n"}'),
    "model failed success $",
  );
  assertEquals(
    errorBodyMessage("upstream connect error\r\nreset reason: overflow\n"),
    "upstream connect error reset reason: overflow",
  );
  assertEquals(errorBodyMessage("<title>Bad&#10;Error: spoof</title>"), "Bad Error: spoof");
  assertEquals(errorBodyMessage('{"error":" \\n "}'), undefined);
});

Deno.test("errorBodyMessage() reads pages built to make pattern matching slow, in one pass", () => {
  // Each of these took seconds to minutes with patterns that backtrack.
  assertEquals(errorBodyMessage("<html>" + "<title>".repeat(200_000)), undefined);
  assertEquals(errorBodyMessage("<html><p>" + "<".repeat(1_000_000)), "<".repeat(300) + "…");
  assertEquals(errorBodyMessage("<html>" + "<script>".repeat(200_000) + "<p>x"), "x");
  assertEquals(errorBodyMessage("<html>" + "<!--".repeat(200_000) + ">y"), "y");
  assertEquals(errorBodyMessage("<html><p>" + "ab ".repeat(300_000)), "ab ".repeat(100) + "…");
});

Deno.test("errorBodyMessage() skips what is not visible: scripts, styles, comments, an unclosed one", () => {
  assertEquals(
    errorBodyMessage("<html><script>hidden</script><style>p{}</style><!-- c --><p>shown</p>"),
    "shown",
  );
  // A script never closed hides nothing: its text is the page's first line.
  assertEquals(errorBodyMessage("<html><script>alert(1)"), "alert(1)");
});
