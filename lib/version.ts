import denoJson from "../deno.json" with { type: "json" };

/** dollama's own version, single-sourced from deno.json. */
export const VERSION: string = denoJson.version;
