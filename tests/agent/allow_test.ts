/**
 * "Allow for this session": narrow rules for curated read-only commands (same options, same
 * directory), the exact text for other commands, nothing for sed, find, awk, xargs and
 * interpreters.
 */
import { assertEquals } from "../support/assert.ts";
import { Approvals, ruleCovers, ruleNote, sessionRule } from "../../lib/agent/allow.ts";

/** Whether allowing `allowed` for the session lets `later` run without asking. */
function covers(allowed: string, later: string): boolean {
  return ruleCovers(sessionRule(allowed), later);
}

Deno.test("sessionRule: read-only commands get a rule with their options and directory", () => {
  assertEquals(sessionRule("cat tools/main.go"), {
    kind: "read-only",
    stages: [{ name: "cat", options: [], dir: "tools" }],
  });
  assertEquals(sessionRule("head -n 10 docs/a.md | wc -l"), {
    kind: "read-only",
    stages: [{ name: "head", options: ["-n", "10"], dir: "docs" }, { name: "wc", options: ["-l"] }],
  });
  assertEquals(sessionRule("ls src/"), {
    kind: "read-only",
    stages: [{ name: "ls", options: [], dir: "src" }],
  });
  assertEquals(sessionRule("cat ./b/./c.txt"), {
    kind: "read-only",
    stages: [{ name: "cat", options: [], dir: "b" }],
  });
  assertEquals(sessionRule("git status -s"), {
    kind: "read-only",
    stages: [{ name: "git status", options: ["-s"] }],
  });
});

Deno.test("sessionRule: anything else is allowed as exactly that text", () => {
  for (
    const command of [
      "cat /etc/hosts",
      "cat ../secret/x",
      "cat ~/notes",
      "echo hi",
      "cat a.txt > out",
      "tail -f log.txt",
      "ls *.ts",
      "cat notes/a.txt other/b.txt",
      "npm test",
      "git commit -m x",
      "ls; cat a",
    ]
  ) assertEquals(sessionRule(command), { kind: "exact", command }, command);
});

Deno.test("sessionRule: sed, find, awk, xargs, interpreters and substitutions get no rule", () => {
  for (
    const [command, name] of [
      ["sed 1p notes.txt", "sed"],
      ["find . -name x", "find"],
      ["awk '{print}' notes.txt", "awk"],
      ["ls | xargs cat", "xargs"],
      ["python3 script.py", "python3"],
      ["node -e 1", "node"],
      ["bash -c ls", "bash"],
      ["cat notes.txt | sed 1p", "sed"],
      ["cat $(ls)", "command substitution"],
      ["timeout 5 find .", "timeout"],
    ]
  ) assertEquals(sessionRule(command), { kind: "never", name }, command);
});

Deno.test("a read-only rule covers the same options in the same directory and nothing wider", () => {
  assertEquals(covers("cat tools/a.go", "cat tools/b.go"), true);
  assertEquals(covers("cat tools/a.go", "cat tools/a.go tools/c.go"), true);
  assertEquals(covers("cat tools/a.go", "cat tools/sub/b.go"), false);
  assertEquals(covers("cat tools/a.go", "cat other/a.go"), false);
  assertEquals(covers("cat tools/a.go", "cat -A tools/a.go"), false);
  assertEquals(covers("cat tools/a.go", "cat tools/../../x"), false);
  assertEquals(covers("cat tools/a.go", "cat tools/a.go > out"), false);
  assertEquals(covers("cat tools/a.go", "cat tools/a.go; rm x"), false);
  assertEquals(covers("cat tools/a.go", "cat tools/a.go | sh"), false);
  assertEquals(covers("cat tools/a.go", "cat tools/a.go | wc -l"), false);
  assertEquals(covers("cat tools/a.go", "head tools/a.go"), false);
  assertEquals(covers("cat tools/a.go", "cat $(echo tools/a)"), false);
  assertEquals(covers("cat tools/a.go", "cat tools/*"), false);
  assertEquals(covers("cat README.md", "cat LICENSE"), true);
  assertEquals(covers("cat README.md", "cat /etc/hosts"), false);
  assertEquals(covers("head -n 5 a.txt", "head -n 5 b.txt"), true);
  assertEquals(covers("head -n 5 a.txt", "head -n 500 b.txt"), false);
  assertEquals(covers("grep -n TODO lib/a.ts", "grep -n FIXME lib/b.ts"), true);
  assertEquals(covers("grep -n TODO lib/a.ts", "grep -rn FIXME lib/b.ts"), false);
  assertEquals(covers("git status", "git status"), true);
  assertEquals(covers("git status", "git status -s"), false);
  assertEquals(covers("git log --oneline", "git log --oneline --output=x"), false);
});

Deno.test("a recursive read-only rule covers the same paths only, not the tree around them", () => {
  assertEquals(sessionRule("grep -r foo src"), {
    kind: "read-only",
    stages: [{ name: "grep", options: ["-r"], paths: ["src"] }],
  });
  assertEquals(
    ruleNote(sessionRule("grep -r foo src")),
    "grep -r on src (same options, same paths)",
  );
  assertEquals(covers("grep -r foo src", "grep -r bar src"), true);
  assertEquals(covers("grep -r foo src", "grep -r foo ."), false);
  assertEquals(covers("grep -r foo src", "grep -r foo lib"), false);
  assertEquals(covers("grep -rn foo src/a", "grep -rn foo src/b"), false);
  assertEquals(covers("ls -R docs", "ls -R ."), false);
  assertEquals(covers("du -sh build", "du -sh ."), false);
  assertEquals(covers("tree docs", "tree docs"), true);
});

Deno.test("a rule is neither made from nor widened across `..`: a symbolic link can lead out", () => {
  assertEquals(sessionRule("cat ./a/../b/c.txt"), {
    kind: "exact",
    command: "cat ./a/../b/c.txt",
  });
  assertEquals(covers("cat a.txt", "cat link/../x"), false);
  assertEquals(covers("cat tools/a.go", "cat tools/link/../b.go"), false);
});

Deno.test("the sed and find escalations ask even after the harmless form was allowed", () => {
  const approvals = new Approvals();
  assertEquals(approvals.allow("bash", "sed 1p notes.txt"), false);
  assertEquals(approvals.allow("bash", "find . -name x"), false);
  assertEquals(approvals.isAllowed("bash", "sed '1e touch PWNED' notes.txt"), false);
  assertEquals(approvals.isAllowed("bash", "find . -fprint f"), false);
  assertEquals(approvals.isAllowed("bash", "sed 1p notes.txt"), false);
  assertEquals(approvals.entries(), []);
});

Deno.test("an exact rule covers only the same text", () => {
  assertEquals(covers("echo hi", "echo hi"), true);
  assertEquals(covers("echo hi", "echo hi there"), false);
  assertEquals(covers("echo hi", "echo hi; rm x"), false);
});

Deno.test("ruleNote says what option 2 will allow", () => {
  assertEquals(
    ruleNote(sessionRule("cat tools/a.go")),
    "cat in tools/ (same options, same directory)",
  );
  assertEquals(
    ruleNote(sessionRule("head -n 1 a.txt | wc -l")),
    "head -n 1 in ./ | wc -l (same options, same directory)",
  );
  assertEquals(ruleNote(sessionRule("echo hi")), "(this exact command)");
  assertEquals(
    ruleNote(sessionRule("sed 1p notes.txt")),
    "(runs once: sed is never allowed for a session)",
  );
});

Deno.test("Approvals handles read-only rules, exact commands, tool names and clear()", () => {
  const approvals = new Approvals();
  assertEquals(approvals.allow("bash", "cat tools/a.go"), true);
  assertEquals(approvals.allow("bash", "echo hi"), true);
  assertEquals(approvals.allow("web_search"), true);
  assertEquals(approvals.isAllowed("bash", "cat tools/b.go"), true);
  assertEquals(approvals.isAllowed("bash", "cat tools/x/y.go"), false);
  assertEquals(approvals.isAllowed("bash", "echo hi"), true);
  assertEquals(approvals.isAllowed("bash", "echo hi there"), false);
  assertEquals(approvals.isAllowed("web_search"), true);
  assertEquals(approvals.isAllowed("web_fetch"), false);
  assertEquals(approvals.entries(), [
    "bash: cat in tools/ (same options, same directory)",
    "bash: echo hi",
    "web_search",
  ]);
  approvals.clear();
  assertEquals(approvals.entries(), []);
  assertEquals(approvals.isAllowed("bash", "echo hi"), false);
});
