/** Behaviour that follows from what `/api/show` says a model can do (docs/api.md, Endpoints used). */
import type { ShowResponse, Think } from "./types.ts";

/** Multimodal = vision or audio capability, a projector, or a vision key in model_info. */
export function isMultimodal(info: ShowResponse): boolean {
  const caps = info.capabilities ?? [];
  return caps.includes("vision") || caps.includes("audio") ||
    Object.keys(info.projector_info ?? {}).length > 0 ||
    Object.keys(info.model_info ?? {}).some((k) => k.includes(".vision."));
}

/** The think value to send: the user's choice, else on for models that can think. */
export function inferThink(explicit: Think | undefined, info: ShowResponse): Think | undefined {
  if (explicit !== undefined) return explicit;
  return (info.capabilities ?? []).includes("thinking") ? true : undefined;
}
