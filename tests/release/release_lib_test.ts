/** The pure release helpers: targets and asset names, versions, SHA256SUMS, archive reading. */
import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import {
  assetName,
  binaryName,
  compiledPath,
  releaseUrls,
  tagFromReleaseUrl,
  targetFor,
  TARGETS,
} from "../../lib/release/targets.ts";
import { compareVersions, normalizeTag, parseVersion } from "../../lib/release/version.ts";
import { formatSha256Sums, parseSha256Sums, sha256Hex } from "../../lib/release/checksums.ts";
import {
  crc32,
  extractFromTar,
  extractFromTarGz,
  extractFromZip,
} from "../../lib/release/archive.ts";
import { tar, tarGz, zip } from "../support/release_server.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

Deno.test("release targets map Deno's os and arch to asset names", () => {
  assertEquals(targetFor("linux", "x86_64"), "x86_64-unknown-linux-gnu");
  assertEquals(targetFor("linux", "aarch64"), "aarch64-unknown-linux-gnu");
  assertEquals(targetFor("darwin", "x86_64"), "x86_64-apple-darwin");
  assertEquals(targetFor("darwin", "aarch64"), "aarch64-apple-darwin");
  assertEquals(targetFor("windows", "x86_64"), "x86_64-pc-windows-msvc");
  assertEquals(targetFor("windows", "aarch64"), undefined);
  assertEquals(targetFor("freebsd", "x86_64"), undefined);
  assertEquals(TARGETS.map(assetName), [
    "dollama-x86_64-unknown-linux-gnu.tar.gz",
    "dollama-aarch64-unknown-linux-gnu.tar.gz",
    "dollama-x86_64-apple-darwin.tar.gz",
    "dollama-aarch64-apple-darwin.tar.gz",
    "dollama-x86_64-pc-windows-msvc.zip",
  ]);
  assertEquals(binaryName("x86_64-pc-windows-msvc"), "dollama.exe");
  assertEquals(binaryName("aarch64-apple-darwin"), "dollama");
  assertEquals(compiledPath("x86_64-pc-windows-msvc"), "dist/dollama-x86_64-pc-windows-msvc.exe");
  assertEquals(compiledPath("x86_64-unknown-linux-gnu"), "dist/dollama-x86_64-unknown-linux-gnu");
});

Deno.test("release URLs follow GitHub's layout", () => {
  const base = "https://github.com/acme/dollama/releases/";
  assertEquals(releaseUrls.latest(base), "https://github.com/acme/dollama/releases/latest");
  assertEquals(
    releaseUrls.asset(base, "v0.2.0", "SHA256SUMS"),
    "https://github.com/acme/dollama/releases/download/v0.2.0/SHA256SUMS",
  );
  assertEquals(tagFromReleaseUrl("https://github.com/acme/dollama/releases/tag/v0.2.0"), "v0.2.0");
  assertEquals(tagFromReleaseUrl("https://x/releases/tag/v1.0.0-rc.1/"), "v1.0.0-rc.1");
  assertEquals(tagFromReleaseUrl("https://github.com/acme/dollama/releases"), undefined);
});

Deno.test("versions compare by semver precedence", () => {
  const ordered = [
    "0.0.9",
    "0.1.0-alpha",
    "0.1.0-alpha.1",
    "0.1.0-alpha.beta",
    "0.1.0-beta.2",
    "0.1.0-beta.11",
    "0.1.0-rc.1",
    "0.1.0",
    "0.1.1",
    "0.2.0",
    "0.10.0",
    "1.0.0",
  ];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) {
      const sign = Math.sign(compareVersions(ordered[i], ordered[j]));
      assertEquals(sign, Math.sign(i - j), `${ordered[i]} vs ${ordered[j]}`);
    }
  }
  assertEquals(compareVersions("v0.2.0", "0.2.0"), 0);
  assertEquals(compareVersions("0.2.0+build.5", "0.2.0"), 0);
  assertEquals(parseVersion("0.2"), undefined);
  assertEquals(parseVersion("01.2.3"), undefined);
  assertEquals(normalizeTag("0.2.0"), "v0.2.0");
  assertEquals(normalizeTag("v0.2.0"), "v0.2.0");
  assertEquals(normalizeTag("latest"), undefined);
});

Deno.test("SHA256SUMS parsing accepts sha256sum's text and binary forms", async () => {
  const a = await sha256Hex(encoder.encode("a"));
  assertEquals(a, "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb");
  const text = `${a}  dollama-x86_64-unknown-linux-gnu.tar.gz\r\n` +
    `${a.toUpperCase()} *dollama-x86_64-pc-windows-msvc.zip\n` +
    "\n# a comment\nnot a line\n";
  const sums = parseSha256Sums(text);
  assertEquals([...sums], [
    ["dollama-x86_64-unknown-linux-gnu.tar.gz", a],
    ["dollama-x86_64-pc-windows-msvc.zip", a],
  ]);
  assertEquals(
    formatSha256Sums([["b", a], ["a", a]]),
    `${a}  a\n${a}  b\n`,
  );
});

Deno.test("archives: the executable comes out of our own tar.gz and zip", async () => {
  const data = encoder.encode("#!/bin/sh\necho hi\n".repeat(100));
  const entries = [{ name: "README", data: encoder.encode("x") }, { name: "dollama", data }];
  assertEquals(await extractFromTarGz(await tarGz(entries), "dollama"), data);
  const exe = [{ name: "dollama.exe", data }];
  assertEquals(await extractFromZip(await zip(exe), "dollama.exe"), data);
  assertEquals(await extractFromZip(await zip(exe, true), "dollama.exe"), data);
  // A file in a folder is found too (`dollama-v1/dollama`).
  assertEquals(extractFromTar(tar([{ name: "dollama-v1/dollama", data }]), "dollama"), data);
  assertEquals(crc32(encoder.encode("123456789")), 0xcbf43926);
});

Deno.test("archives: damaged or wrong archives fail with a clear message", async () => {
  const data = encoder.encode("binary");
  await assertRejects(
    async () => await extractFromTarGz(await tarGz([{ name: "other", data }]), "dollama"),
    /the archive has no file named dollama/,
  );
  await assertRejects(
    async () => await extractFromTarGz(encoder.encode("not gzip"), "dollama"),
    /not gzip-compressed/,
  );
  const gz = await tarGz([{ name: "dollama", data }]);
  await assertRejects(
    async () => await extractFromTarGz(gz.subarray(0, gz.length - 12), "dollama"),
    /damaged|truncated|no file/,
  );
  await assertRejects(
    async () => await extractFromZip(encoder.encode("PK no zip"), "dollama.exe"),
    /not a valid zip file/,
  );
  const z = await zip([{ name: "dollama.exe", data }], true);
  z[30 + "dollama.exe".length] ^= 0xff; // flip a byte of the stored file
  await assertRejects(async () => await extractFromZip(z, "dollama.exe"), /CRC mismatch/);
});

async function tool(name: string, args: string[], cwd: string): Promise<boolean> {
  try {
    const out = await new Deno.Command(name, { args, cwd, stdout: "null", stderr: "piped" })
      .output();
    if (!out.success) throw new Error(`${name} ${args.join(" ")}: ${decoder.decode(out.stderr)}`);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

Deno.test("archives: what the system's tar and zip write can be read", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "dollama-archive-" });
  // Incompressible-ish bytes from a small LCG: big enough for several deflate blocks.
  const data = new Uint8Array(200_000);
  for (let i = 0, x = 1; i < data.length; i++) {
    data[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  }
  await Deno.mkdir(join(dir, "stage"));
  await Deno.writeFile(join(dir, "stage", "dollama"), data, { mode: 0o755 });
  await Deno.writeFile(join(dir, "stage", "dollama.exe"), data);
  // A long path exercises GNU long names or pax headers, whichever the tar writes.
  const deep = join(dir, "stage", "d".repeat(60), "e".repeat(60));
  await Deno.mkdir(deep, { recursive: true });
  await Deno.writeFile(join(deep, "dollama"), data);

  await t.step("tar -czf", async () => {
    if (!await tool("tar", ["-C", "stage", "-czf", "a.tar.gz", "dollama"], dir)) return;
    assertEquals(
      await extractFromTarGz(await Deno.readFile(join(dir, "a.tar.gz")), "dollama"),
      data,
    );
    const long = join("d".repeat(60), "e".repeat(60), "dollama");
    assert(await tool("tar", ["-C", "stage", "-czf", "b.tar.gz", long], dir));
    assertEquals(
      await extractFromTarGz(await Deno.readFile(join(dir, "b.tar.gz")), "dollama"),
      data,
    );
  });
  await t.step("zip", async () => {
    if (!await tool("zip", ["-q", "-j", "a.zip", join("stage", "dollama.exe")], dir)) return;
    assertEquals(
      await extractFromZip(await Deno.readFile(join(dir, "a.zip")), "dollama.exe"),
      data,
    );
  });
  await t.step("unzip reads our zip, tar reads our tar.gz", async () => {
    await Deno.writeFile(join(dir, "ours.zip"), await zip([{ name: "dollama.exe", data }]));
    await Deno.writeFile(
      join(dir, "ours.tar.gz"),
      await tarGz([{ name: "dollama", data, mode: 0o755 }]),
    );
    await Deno.mkdir(join(dir, "out"));
    if (await tool("unzip", ["-q", "../ours.zip"], join(dir, "out"))) {
      assertEquals(await Deno.readFile(join(dir, "out", "dollama.exe")), data);
    }
    if (await tool("tar", ["-xzf", "../ours.tar.gz"], join(dir, "out"))) {
      assertEquals(await Deno.readFile(join(dir, "out", "dollama")), data);
    }
  });
});
