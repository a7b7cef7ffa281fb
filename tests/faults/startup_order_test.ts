/**
 * `run` sends the heartbeat and `/api/show` together (docs/reliability.md, Start-up order): a
 * distant server answers both in one round trip. What the user is told stays what the official
 * client's order gives, and nothing is pulled before the heartbeat has answered.
 */
import { assertEquals } from "../support/assert.ts";
import type { FaultScript } from "../support/fault_server.ts";
import {
  answer,
  assertOneErrorLine,
  dollama,
  SHORT_TIMEOUT,
  TEXT_MODEL,
  withFaults,
} from "./helpers.ts";

/** A promise the test resolves, so a held answer always ends, whatever happens to the test. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => open = resolve);
  return { opened, open };
}

/** Holds an answer until `opened`, then gives it. */
function after(opened: Promise<void>, script: FaultScript): FaultScript {
  return async (c, request) => {
    await opened;
    await script(c, request);
  };
}

Deno.test("run asks /api/show while the heartbeat is still unanswered", async () => {
  // The heartbeat is answered only once /api/show has arrived: asked one after the other, the
  // heartbeat would wait out the one-second bound and the run would fail.
  const showArrived = gate();
  try {
    await withFaults({
      "HEAD /": after(showArrived.opened, (c) => c.respond(200)),
      "POST /api/show": (c, request) => {
        showArrived.open();
        return TEXT_MODEL(c, request);
      },
      "POST /api/generate": (c) => c.ndjson(answer("Both at once.")),
    }, async (server) => {
      const result = await dollama(server, ["run", "m", "hi"], { env: SHORT_TIMEOUT });
      assertEquals(result, { code: 0, stdout: "Both at once.\n", stderr: "" });
    });
  } finally {
    showArrived.open();
  }
});

for (const status of [403, 502]) {
  Deno.test(`a ${status} on the heartbeat is what run reports, though show answered 404 first, and nothing is pulled`, async () => {
    const showAnswered = gate();
    try {
      await withFaults({
        "HEAD /": after(showAnswered.opened, (c) => c.respond(status)),
        "POST /api/show": async (c) => {
          await c.json(404, { error: "model 'm' not found" });
          showAnswered.open();
        },
      }, async (server) => {
        const result = await dollama(server, ["run", "m", "hi"], { env: SHORT_TIMEOUT });
        assertEquals(result.code, 1);
        assertEquals(
          result.stderr.startsWith(`Error: the server at ${server.url} answered ${status}`),
          true,
          result.stderr,
        );
        assertEquals(result.stderr.split("\n").length, 2, result.stderr);
        assertEquals(server.requests.filter((r) => r.path === "/api/pull"), []);
      });
    } finally {
      showAnswered.open();
    }
  });
}

Deno.test("a heartbeat that never answers is reported, though show answered", async () => {
  await withFaults({ "HEAD /": (c) => c.stall() }, async (server) => {
    assertOneErrorLine(
      await dollama(server, ["run", "m", "hi"], { env: SHORT_TIMEOUT }),
      `the server at ${server.url} did not answer within 1s`,
    );
    assertEquals(server.requests.filter((r) => r.path === "/api/generate"), []);
  });
});
