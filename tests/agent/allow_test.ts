/** "Allow for this session": prefix rules for read-only commands, exact commands otherwise. */
import { assertEquals } from "../support/assert.ts";
import { Approvals, prefixRule, ruleCovers, ruleNote } from "../../lib/agent/allow.ts";

Deno.test("prefixRule derives <cmd>:<dir>/ for read-only commands on relative paths", () => {
  assertEquals(prefixRule("cat tools/main.go"), "cat:tools/");
  assertEquals(prefixRule("cat lib/repl/session.ts | head -5"), "cat:lib/repl/");
  assertEquals(prefixRule("ls src/"), "ls:src/");
  assertEquals(prefixRule("head -n 10 docs/a.md"), "head:docs/");
  assertEquals(prefixRule("grep -r TODO lib/agent/x.ts"), "grep:lib/agent/");
  assertEquals(prefixRule("cat README.md"), "cat:./");
  assertEquals(prefixRule("cat ./a/../b/c.txt"), "cat:b/");
});

Deno.test("prefixRule gives no rule for absolute, escaping or other commands", () => {
  assertEquals(prefixRule("cat /etc/hosts"), undefined);
  assertEquals(prefixRule("cat ../secret/x"), undefined);
  assertEquals(prefixRule("cat ~/notes"), undefined);
  assertEquals(prefixRule("echo hi"), undefined);
  assertEquals(prefixRule("ls"), undefined);
  assertEquals(prefixRule("python3 script.py"), undefined);
});

Deno.test("ruleCovers handles subdirectories and refuses anything that escapes or writes", () => {
  assertEquals(ruleCovers("cat:tools/", "cat tools/a.go"), true);
  assertEquals(ruleCovers("cat:tools/", "cat tools/sub/b.go"), true);
  assertEquals(ruleCovers("cat:tools/", "cat tools/a.go | wc -l"), true);
  assertEquals(ruleCovers("cat:tools/", "cat other/a.go"), false);
  assertEquals(ruleCovers("cat:tools/", "cat tools/../../x"), false);
  assertEquals(ruleCovers("cat:tools/", "cat tools/a.go > out"), false);
  assertEquals(ruleCovers("cat:tools/", "cat tools/a.go; rm x"), false);
  assertEquals(ruleCovers("cat:tools/", "cat tools/a.go | sh"), false);
  assertEquals(ruleCovers("cat:tools/", "head tools/a.go"), false);
  assertEquals(ruleCovers("cat:tools/", "cat $(echo tools/a)"), false);
  assertEquals(ruleCovers("cat:./", "cat a/b/c.txt"), true);
  assertEquals(ruleCovers("cat:./", "cat /etc/hosts"), false);
});

Deno.test("ruleNote names the directory", () => {
  assertEquals(ruleNote("cat:tools/"), "cat in tools/ directory (includes subdirs)");
  assertEquals(ruleNote("cat:./"), "cat in current directory (includes subdirs)");
});

Deno.test("Approvals handles prefix rules, exact commands, tool names and clear()", () => {
  const approvals = new Approvals();
  approvals.allow("bash", "cat tools/a.go");
  approvals.allow("bash", "echo hi");
  approvals.allow("web_search");
  assertEquals(approvals.isAllowed("bash", "cat tools/x/y.go"), true);
  assertEquals(approvals.isAllowed("bash", "echo hi"), true);
  assertEquals(approvals.isAllowed("bash", "echo hi there"), false);
  assertEquals(approvals.isAllowed("web_search"), true);
  assertEquals(approvals.isAllowed("web_fetch"), false);
  assertEquals(approvals.entries(), ["cat:tools/*", "bash: echo hi", "web_search"]);
  approvals.clear();
  assertEquals(approvals.entries(), []);
  assertEquals(approvals.isAllowed("bash", "echo hi"), false);
});
