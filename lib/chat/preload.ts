/**
 * Loading a model before the first message, with a spinner: a generate request without a prompt,
 * drained to its end. The chat starts with it and `/load` ends with it.
 */
import type { OllamaClient } from "../api/client.ts";
import type { Options } from "../api/types.ts";
import type { Output } from "../io.ts";
import { Spinner } from "../render/spinner.ts";
import { preloadRequest } from "./request.ts";
import type { WireSettings } from "./settings.ts";

export async function preloadModel(
  client: OllamaClient,
  stderr: Output,
  model: string,
  settings: WireSettings,
  signal: AbortSignal,
  options: Readonly<Options> = {},
): Promise<void> {
  const spinner = new Spinner({ output: stderr });
  spinner.start();
  try {
    // Reading the stream to its end is what loads the model.
    await client.generate(preloadRequest(model, settings, options), signal).each(() => undefined);
  } finally {
    await spinner.stop();
  }
}
