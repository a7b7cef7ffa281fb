/**
 * `/load` with files the way people type them: a bare name in the working directory, a quoted
 * path, a path with escaped spaces; and the warning when the model cannot take the file.
 */
import { assertEquals } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { testContext, testIo } from "../support/test_io.ts";
import { scriptedLines } from "../support/scripted_lines.ts";
import { ChatSession } from "../../lib/repl/session.ts";
import { History } from "../../lib/repl/history.ts";

const llama = { name: "llama3:latest", reply: "Hi." };
const llava = { name: "llava:latest", capabilities: ["completion", "vision"], reply: "A cat." };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const PNG_BASE64 = "iVBORw0KGgoAAAAA";

async function chat(texts: string[], model = "llava") {
  const server = new FakeOllama({ models: [llama, llava] });
  try {
    const io = testIo();
    const ctx = testContext(io, server.url);
    const info = await ctx.client.show({ model });
    const session = new ChatSession(ctx, {
      model,
      info,
      thinkExplicit: false,
      verbose: false,
      wordWrap: false,
      hideThinking: false,
    }, { readLine: scriptedLines(texts), history: await History.open({ useFile: false }) });
    await session.run();
    return {
      io,
      images: server.requestsTo("/api/chat").map((r) => r.body.messages.at(-1).images),
      shows: server.requestsTo("/api/show").length,
    };
  } finally {
    await server.close();
  }
}

/** Runs `fn` with the working directory in a new temporary directory holding `files`. */
async function inDirectory<T>(files: Record<string, Uint8Array>, fn: (dir: string) => Promise<T>) {
  const dir = await Deno.makeTempDir({ prefix: "dollama-load-" });
  for (const [name, bytes] of Object.entries(files)) await Deno.writeFile(`${dir}/${name}`, bytes);
  const before = Deno.cwd();
  Deno.chdir(dir);
  try {
    return await fn(dir);
  } finally {
    Deno.chdir(before);
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("/load pic.png attaches the file of that name in the working directory", async () => {
  await inDirectory({ "pic.png": PNG }, async () => {
    const { io, images, shows } = await chat(["/load pic.png", "what is it?"]);
    assertEquals(io.stderr.text, "Added image 'pic.png'\n");
    assertEquals(images, [[PNG_BASE64]]);
    // Only the session's own show: no model called "pic.png" was looked up.
    assertEquals(shows, 1);
  });
});

Deno.test("/load NAME.png without such a file is still a model name", async () => {
  await inDirectory({}, async () => {
    const { io } = await chat(["/load nosuch.png"]);
    assertEquals(io.stdout.text, "Loading model 'nosuch.png'\nCouldn't find model 'nosuch.png'\n");
  });
});

Deno.test("/load takes quoted paths and paths with escaped spaces", async () => {
  await inDirectory({ "my cat.png": PNG }, async (dir) => {
    const { io, images } = await chat([
      `/load "${dir}/my cat.png"`,
      "one",
      `/load '${dir}/my cat.png'`,
      "two",
      `/load ${dir}/my\\ cat.png`,
      "three",
      "/load my\\ cat.png",
      "four",
    ]);
    assertEquals(
      io.stderr.text,
      `Added image '${dir}/my cat.png'\n`.repeat(3) + "Added image 'my cat.png'\n",
    );
    assertEquals(images, [[PNG_BASE64], [PNG_BASE64], [PNG_BASE64], [PNG_BASE64]]);
  });
});

Deno.test("/load of two words that are not one path is still a usage error", async () => {
  const { io } = await chat(["/load a b"]);
  assertEquals(io.stdout.text, "Usage:\n  /load <modelname>\n");
});

Deno.test("/load of an image for a model without vision warns, and attaches it", async () => {
  await inDirectory({ "pic.png": PNG }, async () => {
    const { io, images } = await chat(["/load pic.png", "hi"], "llama3");
    assertEquals(
      io.stderr.text,
      "Added image 'pic.png'\n" +
        'warning: model "llama3" does not take images or audio; it will not see this image\n',
    );
    assertEquals(images, [[PNG_BASE64]]);
  });
});
