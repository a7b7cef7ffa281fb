/**
 * `--json` of `list`, `ps` and `show`: one JSON document each, for scripts. The shapes are a
 * promise to their users (the README's "Scripting" section lists them): every field named there
 * is always present, `null` when the server did not say, and new fields may only be added.
 * Prefix filtering is the tables' (lib/format/list.ts, lib/format/ps.ts).
 */
import type { ListModel, RunningModel, ShowResponse } from "../api/types.ts";
import { goFields, scanLines } from "./go.ts";
import { processorText } from "./ps.ts";
import { jsonText } from "./json_text.ts";

/** One model of `dollama list --json`. */
export interface ListModelJson {
  name: string;
  /** The first 12 digits of the digest, as the table's ID column. */
  id: string;
  digest: string;
  /** Bytes on disk; 0 for cloud and remote models. */
  size: number;
  modified_at: string | null;
  /** A cloud or remote model: nothing of it is stored here. */
  remote: boolean;
  family: string | null;
  parameter_size: string | null;
  quantization_level: string | null;
}

/** One model of `dollama ps --json`. */
export interface RunningModelJson {
  name: string;
  id: string;
  digest: string;
  size: number;
  size_vram: number;
  /** The table's PROCESSOR text: `100% GPU`, `48%/52% CPU/GPU`, … */
  processor: string;
  context_length: number | null;
  expires_at: string | null;
}

/** `dollama show MODEL --json`. */
export interface ShowJson {
  model: string;
  capabilities: string[];
  architecture: string | null;
  parameter_size: string | null;
  parameter_count: number | null;
  quantization_level: string | null;
  context_length: number | null;
  embedding_length: number | null;
  /** The model's Modelfile parameters in order; `stop` may appear more than once. */
  parameters: { name: string; value: string }[];
  system: string | null;
  template: string | null;
  license: string | null;
  remote_model: string | null;
  remote_host: string | null;
  modified_at: string | null;
  /** Only with `--verbose`: the model's metadata as the server sent it. */
  model_info?: Record<string, unknown>;
}

const text = (v: unknown): string | null => typeof v === "string" && v !== "" ? v : null;
const count = (v: unknown): number | null => typeof v === "number" ? v : null;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Two-space indented JSON and a newline: readable in a terminal, parsed as one document. Server
 * strings keep their control and bidi characters, as escapes (lib/format/json_text.ts).
 */
function document(value: unknown): string {
  return jsonText(value, 2) + "\n";
}

export function listJson(models: ListModel[], prefix: string | undefined): string {
  const wanted = prefix?.toLowerCase();
  const selected = models.filter((m) =>
    wanted === undefined || (m.name ?? "").toLowerCase().startsWith(wanted)
  );
  const json: ListModelJson[] = selected.map((m) => {
    const remote = Boolean(m.remote_model || m.remote_host);
    return {
      name: m.name ?? "",
      id: (m.digest ?? "").slice(0, 12),
      digest: m.digest ?? "",
      size: remote ? 0 : count(m.size) ?? 0,
      modified_at: text(m.modified_at),
      remote,
      family: text(m.details?.family),
      parameter_size: text(m.details?.parameter_size),
      quantization_level: text(m.details?.quantization_level),
    };
  });
  return document({ models: json });
}

export function psJson(models: RunningModel[], prefix: string | undefined): string {
  const selected = models.filter((m) => prefix === undefined || (m.name ?? "").startsWith(prefix));
  const json: RunningModelJson[] = selected.map((m) => ({
    name: m.name ?? "",
    id: (m.digest ?? "").slice(0, 12),
    digest: m.digest ?? "",
    size: count(m.size) ?? 0,
    size_vram: count(m.size_vram) ?? 0,
    processor: processorText(m.size ?? 0, m.size_vram ?? 0),
    context_length: count(m.context_length),
    expires_at: text(m.expires_at),
  }));
  return document({ models: json });
}

/** The Modelfile parameter lines (`stop "<|eot|>"`) as name and the text after it. */
function parameterList(parameters: string | undefined): { name: string; value: string }[] {
  if (!parameters) return [];
  return scanLines(parameters).filter((l) => l.trim() !== "").map((line) => {
    const [name = ""] = goFields(line);
    return { name, value: line.trim().slice(name.length).trim() };
  });
}

export function showJson(model: string, info: ShowResponse, verbose: boolean): string {
  const modelInfo = isObject(info.model_info) ? info.model_info : {};
  const arch = text(modelInfo["general.architecture"]);
  const json: ShowJson = {
    model,
    capabilities: Array.isArray(info.capabilities) ? [...info.capabilities] : [],
    architecture: arch ?? text(info.details?.family),
    parameter_size: text(info.details?.parameter_size),
    parameter_count: count(modelInfo["general.parameter_count"]),
    quantization_level: text(info.details?.quantization_level),
    context_length: arch ? count(modelInfo[`${arch}.context_length`]) : null,
    embedding_length: arch ? count(modelInfo[`${arch}.embedding_length`]) : null,
    parameters: parameterList(info.parameters),
    system: text(info.system),
    template: text(info.template),
    license: text(info.license),
    remote_model: text(info.remote_model),
    remote_host: text(info.remote_host),
    modified_at: text(info.modified_at),
    ...(verbose && { model_info: modelInfo }),
  };
  return document(json);
}
