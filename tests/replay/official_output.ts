/**
 * What the official `ollama` client (0.33.0-rc2) prints for the recorded `show`, `list` and `ps`
 * answers (tests/fixtures/transcripts/): its tables end their cells with padding, kept here. The
 * `list` ages and `ps` expiry times are as of 2026-12-01T14:17:19Z, when `ps` was recorded.
 */

const lines = (...rows: string[]): string => rows.join("\n");

export const SHOW_SMOLLM2 = lines(
  "  Model",
  "    architecture        llama      ",
  "    parameters          134.52M    ",
  "    context length      8192       ",
  "    embedding length    576        ",
  "    quantization        Q4_1       ",
  "",
  "  Capabilities",
  "    completion    ",
  "",
  "  Parameters",
  '    stop    "<|im_start|>"    ',
  '    stop    "<|im_end|>"      ',
  "",
  "",
);

export const SHOW_SMOLLM2_TOOLS = lines(
  "  Model",
  "    architecture        llama      ",
  "    parameters          134.52M    ",
  "    context length      8192       ",
  "    embedding length    576        ",
  "    quantization        Q4_1       ",
  "",
  "  Capabilities",
  "    completion    ",
  "    tools         ",
  "    thinking      ",
  "",
  "  Parameters",
  '    stop    "<|im_start|>"    ',
  '    stop    "<|im_end|>"      ',
  "",
  "",
);

export const SHOW_ALL_MINILM = lines(
  "  Model",
  "    architecture        bert      ",
  "    parameters          22.57M    ",
  "    context length      512       ",
  "    embedding length    384       ",
  "    quantization        F16       ",
  "",
  "  Capabilities",
  "    embedding    ",
  "",
  "",
);

export const LIST = lines(
  "NAME                    ID              SIZE      MODIFIED       ",
  "all-minilm:latest       6cf97aa9ab2e    45 MB     16 minutes ago    ",
  "gemma3-fn:latest        69850a191628    253 MB    16 minutes ago    ",
  "smollm2-tools:latest    ff92936cb3bc    98 MB     16 minutes ago    ",
  "gemma3:latest           817397f3bd3d    253 MB    16 minutes ago    ",
  "smollm2:latest          d4cc6884dd5c    98 MB     16 minutes ago    ",
  "",
);

export const PS = lines(
  "NAME                 ID              SIZE      PROCESSOR    CONTEXT    UNTIL              ",
  "smollm2:latest       d4cc6884dd5c    190 MB    100% CPU     4096       9 minutes from now    ",
  "all-minilm:latest    6cf97aa9ab2e    85 MB     100% CPU     512        5 minutes from now    ",
  "",
);
