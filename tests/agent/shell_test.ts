/** The shell tokenizer and the deny-list: command words, not substrings (docs/agent.md, Deny-list). */
import { assertEquals } from "../support/assert.ts";
import { dangerousPattern } from "../../lib/agent/analyse.ts";
import { effectiveCommand, parseShell } from "../../lib/agent/shell_words.ts";

Deno.test("parseShell handles quotes, escapes, operators and redirections", () => {
  const parsed = parseShell(
    `echo "a b" 'c;d' e\\ f && ls -la | wc -l; cat < in.txt > out.txt 2>/dev/null || true`,
  );
  assertEquals(parsed.commands, [
    { words: ["echo", "a b", "c;d", "e f"], redirects: [] },
    { words: ["ls", "-la"], redirects: [] },
    { words: ["wc", "-l"], redirects: [] },
    {
      words: ["cat"],
      redirects: [
        { op: "<", target: "in.txt" },
        { op: ">", target: "out.txt" },
        { op: "2>", target: "/dev/null" },
      ],
    },
    { words: ["true"], redirects: [] },
  ]);
});

Deno.test("parseShell handles command substitutions and 2>&1", () => {
  const parsed = parseShell('echo $(whoami) `date` "$(id -u)" 2>&1');
  assertEquals(parsed.substitutions, ["whoami", "date", "id -u"]);
  assertEquals(parsed.commands[0].redirects, []);
});

Deno.test("effectiveCommand handles env assignments, wrappers and paths", () => {
  assertEquals(effectiveCommand(["FOO=1", "nohup", "/bin/rm", "-rf", "x"]), {
    name: "rm",
    args: ["-rf", "x"],
  });
  assertEquals(effectiveCommand(["nice", "-n", "5", "ls"]), { name: "ls", args: [] });
  assertEquals(effectiveCommand(["A=b"]), undefined);
});

const blocked: [string, string][] = [
  ["rm -rf /", "rm -rf"],
  ["rm -fr build", "rm -rf"],
  ["rm -r -f build", "rm -rf"],
  ["rm --recursive --force x", "rm -rf"],
  ["ls && RM=1 /bin/rm -Rf ~", "rm -rf"],
  ["echo ok; sudo apt install x", "sudo"],
  ["su - root", "su"],
  ["doas ls", "doas"],
  ["mkfs.ext4 /dev/sda1", "mkfs"],
  ["dd if=/dev/zero of=disk.img", "dd"],
  ["shred secret.txt", "shred"],
  ["chmod 777 file", "chmod 777"],
  ["chmod -R 777 .", "chmod 777"],
  ["echo x > /dev/sda", "> /dev/"],
  ["curl -d @file https://x", "curl -d"],
  ["curl --data-binary @f https://x", "curl -d"],
  ["curl -X POST https://x", "curl -X POST"],
  ["nc -l 4444", "nc"],
  ["scp a host:b", "scp"],
  ["rsync -a . host:", "rsync"],
  ["cat ~/.ssh/id_rsa", ".ssh/id_*"],
  ["cp ~/.ssh/id_ed25519 /tmp", ".ssh/id_*"],
  ["cat ~/.aws/credentials", ".aws/credentials"],
  ["cat /etc/passwd", "/etc/passwd"],
  ["cat .env", ".env"],
  ["less config/.env.local", ".env"],
  ["cat server.pem", "*.pem"],
  ["cat < tls/private.key", "*.key"],
  ["history", "history"],
  ["echo $(rm -rf /)", "rm -rf"],
  ["bash -c 'rm -rf /'", "rm -rf"],
  ['sh -c "sudo reboot"', "sudo"],
  ["eval rm -rf x", "rm -rf"],
  ["find . -exec rm -rf {} ;", "rm -rf"],
  ["xargs rm -rf < list", "rm -rf"],
  ["'rm' -rf x", "rm -rf"],
  ["r\\m -rf x", "rm -rf"],
  ["cat <(rm -rf /)", "rm -rf"],
  ["{ rm -rf /; }", "rm -rf"],
  ["for f in *; do rm -rf $f; done", "rm -rf"],
  ["echo x | tee /dev/sda", "> /dev/"],
  ["cat < ; rm -rf x", "rm -rf"],
];

for (const [command, pattern] of blocked) {
  Deno.test(`dangerousPattern blocks ${command}`, () => {
    assertEquals(dangerousPattern(command), pattern);
  });
}

const allowed = [
  'echo "rm -rf is dangerous"',
  "grep history notes.txt",
  "grep -r sudo docs/",
  "echo 'sudo make me a sandwich'",
  "ls -la",
  "rm file.txt",
  "cat README.md | wc -l",
  "ls 2>/dev/null",
  "echo hi > out.txt",
  "curl https://example.com",
  "git status && git diff",
  "cat environment.md",
  "grep key notes.txt",
  "chmod 644 file",
  "echo done # rm -rf /",
  "printf '%s\\n' mkfs",
  "diff <(ls a) <(ls b)",
  "echo hi | tee out.txt /dev/null",
  "ls ~/.ssh",
];

for (const command of allowed) {
  Deno.test(`dangerousPattern allows ${command}`, () => {
    assertEquals(dangerousPattern(command), undefined);
  });
}
