/** The `dollama show` output: a model's details as the official client's sectioned tables. */
import { CliError } from "../errors.ts";
import type { ShowResponse } from "../api/types.ts";
import { humanNumber } from "./human.ts";
import {
  goFields,
  goFormatFloatF,
  goFormatG,
  goFormatValue,
  goTrimSpace,
  goTypeName,
  scanLines,
} from "./go.ts";
import { renderSection } from "./table.ts";
import { displayWidth } from "../term/width.ts";
import { sanitizeForTerminal } from "../term/sanitize.ts";

/**
 * A section of the `show` tables. Every cell may be server text, so every cell is sanitised
 * whatever the destination, as in the `list` table; the field flags (`--license`, …) print data
 * and are sanitised by the command only on a terminal.
 */
function section(title: string, rows: string[][], width?: number): string {
  return renderSection(title, rows.map((row) => row.map(sanitizeForTerminal)), width);
}

export interface ShowFlags {
  license?: boolean;
  modelfile?: boolean;
  parameters?: boolean;
  system?: boolean;
  template?: boolean;
  verbose?: boolean;
}

const FIELD_FLAGS = ["license", "modelfile", "parameters", "system", "template"] as const;
export type Field = typeof FIELD_FLAGS[number];

export const TOO_MANY_FIELDS =
  "only one of '--license', '--modelfile', '--parameters', '--system', or '--template' can be specified";

/** The one field flag given, undefined for none; throws upstream's error for two or more. */
export function chosenField(flags: ShowFlags): Field | undefined {
  const chosen = FIELD_FLAGS.filter((f) => flags[f]);
  if (chosen.length > 1) throw new CliError(TOO_MANY_FIELDS);
  return chosen[0];
}

/** What a field flag prints: license, modelfile and parameters get a newline, the rest not. */
export function formatField(info: ShowResponse, field: Field): string {
  switch (field) {
    case "license":
      return `${info.license ?? ""}\n`;
    case "modelfile":
      return `${info.modelfile ?? ""}\n`;
    case "parameters":
      return `${info.parameters ?? ""}\n`;
    case "system":
      return info.system ?? "";
    case "template":
      return info.template ?? "";
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function numberAt(info: Record<string, unknown> | undefined, key: string): number | undefined {
  const v = info?.[key];
  return typeof v === "number" ? v : undefined;
}

function modelRows(info: ShowResponse): string[][] {
  const rows: string[][] = [];
  const details = info.details ?? {};
  if (info.remote_host) {
    rows.push(["Remote model", info.remote_model ?? ""], ["Remote URL", info.remote_host]);
  }
  if (isObject(info.model_info)) {
    const modelInfo = info.model_info;
    const arch = typeof modelInfo["general.architecture"] === "string"
      ? modelInfo["general.architecture"]
      : "";
    if (arch) rows.push(["architecture", arch]);
    const count = numberAt(modelInfo, "general.parameter_count");
    const parameters = details.parameter_size ||
      (count !== undefined ? humanNumber(count) : "");
    if (parameters) rows.push(["parameters", parameters]);
    const context = numberAt(modelInfo, `${arch}.context_length`);
    if (context !== undefined) rows.push(["context length", goFormatFloatF(context)]);
    const embedding = numberAt(modelInfo, `${arch}.embedding_length`);
    if (embedding !== undefined) rows.push(["embedding length", goFormatFloatF(embedding)]);
  } else {
    rows.push(["architecture", details.family ?? ""], ["parameters", details.parameter_size ?? ""]);
  }
  rows.push(["quantization", details.quantization_level ?? ""]);
  if (info.requires) rows.push(["requires", info.requires]);
  return rows;
}

function projectorRows(projector: Record<string, unknown>): string[][] {
  const rows: string[][] = [];
  const arch = typeof projector["general.architecture"] === "string"
    ? projector["general.architecture"]
    : "";
  if (arch) rows.push(["architecture", arch]);
  const count = numberAt(projector, "general.parameter_count");
  if (count !== undefined) rows.push(["parameters", humanNumber(count)]);
  // Vision projectors and audio encoders name their sizes under different keys.
  const value = (suffix: string) =>
    numberAt(projector, `${arch}.vision.${suffix}`) ??
      numberAt(projector, `${arch}.audio.${suffix}`);
  const embedding = value("embedding_length");
  if (embedding !== undefined) rows.push(["embedding length", goFormatFloatF(embedding)]);
  const dimensions = value("projection_dim");
  if (dimensions !== undefined) rows.push(["dimensions", goFormatFloatF(dimensions)]);
  return rows;
}

/** An array shortened to about 10 columns: `[1 2 3 ...+97 more]`. */
export function shortArray(items: unknown[]): string {
  const TARGET = 10;
  let total = 1; // the opening bracket
  let shown = 0;
  for (let i = 0; i < items.length; i++) {
    const width = displayWidth(goFormatValue(items[i])) + (i > 0 ? 2 : 0);
    if (total + width > TARGET && i > 0) break;
    total += width;
    shown++;
  }
  if (shown < items.length) {
    const head = goFormatValue(items.slice(0, shown)).slice(0, -1);
    return `${head} ...+${items.length - shown} more]`;
  }
  return goFormatValue(items);
}

export function metadataValue(v: unknown): string {
  if (typeof v === "boolean" || typeof v === "string") return String(v);
  if (typeof v === "number") return goFormatG(v);
  if (Array.isArray(v)) return shortArray(v);
  return goTypeName(v);
}

function metadataRows(modelInfo: Record<string, unknown>): string[][] {
  // Go's sort.Strings compares bytes; for these ASCII keys that is code-unit order.
  const keys = Object.keys(modelInfo).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((k) => [k, metadataValue(modelInfo[k])]);
}

/** The first `n` non-empty trimmed lines, then `...` when there were more. */
function head(text: string, n: number): string[][] {
  const lines = scanLines(text).map(goTrimSpace).filter((l) => l !== "");
  const rows = lines.slice(0, n).map((l) => [l]);
  if (lines.length > n) rows.push(["..."]);
  return rows;
}

/** The default output of `show`: every non-empty section, in upstream's order. */
export function formatShowInfo(info: ShowResponse, verbose = false): string {
  let out = section("Model", modelRows(info));
  if (info.capabilities && info.capabilities.length > 0) {
    out += section("Capabilities", info.capabilities.map((c) => [c]));
  }
  if (isObject(info.projector_info)) {
    out += section("Projector", projectorRows(info.projector_info));
  }
  if (info.parameters) {
    const rows = scanLines(info.parameters).filter((l) => l !== "").map(goFields);
    out += section("Parameters", rows);
  }
  if (verbose && isObject(info.model_info)) {
    out += section("Metadata", metadataRows(info.model_info));
  }
  if (verbose && info.tensors && info.tensors.length > 0) {
    // Shapes are unsigned integers in Go, printed in full: [4096 128256].
    const rows = info.tensors.map((t) => [t.name, t.type, `[${(t.shape ?? []).join(" ")}]`]);
    out += section("Tensors", rows);
  }
  // System prompts and licenses are prose: they wrap at 100 columns instead of 30.
  if (info.system) out += section("System", head(info.system, 2), 100);
  if (info.license) out += section("License", head(info.license, 2), 100);
  return out;
}
