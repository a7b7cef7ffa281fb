/**
 * The command line, declared once: commands, their arguments and flags, the root flags, and the
 * environment variables. Everything else is generated from this table — commander's options
 * (lib/cli/commander.ts), the argv pre-pass (lib/cli/argv.ts), the help text with its
 * "Environment Variables:" section, and the bash/zsh/fish completions (lib/cli/completion.ts) —
 * so a flag's name, value set and description cannot differ between them.
 *
 * The generators take the spec as a parameter, so tests can add a flag to a copy and watch it
 * appear everywhere. The typed helpers at the end turn a command's entry into the type of its
 * parsed flags (`CommandFlags<"run">`), which is how commands get typed flags without
 * commander's chained-call inference.
 */
import { THINK_LEVELS } from "../api/types.ts";

/** How a flag takes its value, which decides how it is parsed, shown and completed. */
export type FlagValue =
  /**
   * `--flag`, also `--flag=true|false`. `negatable`: a hidden `--no-flag` sets it false.
   * `spacedValue`: `--flag true` and `--flag false` with a space set it too (`--truncate false`);
   * any other next word is not the flag's.
   */
  | { readonly kind: "boolean"; readonly negatable?: boolean; readonly spacedValue?: boolean }
  /**
   * A boolean that may also name one of `values`, attached only: `--verbose` is on,
   * `--verbose=false` off, `--verbose=json` chooses; `--verbose json` leaves `json` as prompt text.
   */
  | { readonly kind: "switch"; readonly placeholder: string; readonly values: readonly string[] }
  /** `--flag VALUE`, any text; `suggestions` are only offered by completions. */
  | {
    readonly kind: "string";
    readonly placeholder: string;
    readonly suggestions?: readonly string[];
  }
  /** `--flag VALUE`, any text, given any number of times; the values are kept in order. */
  | { readonly kind: "repeatable"; readonly placeholder: string }
  /** `--flag N`, digits only; with `min`, a smaller number (negative ones too) is refused. */
  | { readonly kind: "whole"; readonly placeholder: string; readonly min?: number }
  /** `--flag VALUE`, one of `values`. */
  | { readonly kind: "choice"; readonly placeholder: string; readonly values: readonly string[] }
  /**
   * `--flag` alone means `implied`; `--flag=VALUE`, or `--flag VALUE` when VALUE is one of
   * `values`, chooses (`--think`, `--think high`); any other next word is not the flag's.
   */
  | {
    readonly kind: "optional";
    readonly placeholder: string;
    readonly values: readonly string[];
    readonly implied: string;
  };

export interface FlagSpec {
  /** Without the dashes: `keepalive`, `experimental-yolo`. */
  readonly long: string;
  /** One letter, without the dash. */
  readonly short?: string;
  readonly description: string;
  readonly value: FlagValue;
}

/** What a positional argument completes to in the shell. */
export type ArgSource =
  | "local-models" // `dollama list`
  | "running-models" // `dollama ps`
  | "shells"
  | "commands"
  | "none";

export interface ArgSpec {
  /** As shown in usage lines: `MODEL`, `PROMPT`. */
  readonly name: string;
  readonly required: boolean;
  /** Takes every remaining word (only the last argument). */
  readonly variadic?: boolean;
  /** When given, help lists the argument under "Arguments:". */
  readonly description?: string;
  /** Only the first argument of a command completes; later ones should say "none". */
  readonly completes: ArgSource;
}

/** A command line shown under "Examples:" in a command's help. */
export interface ExampleSpec {
  /** What it does, one short sentence. */
  readonly description: string;
  /** The command as typed; at most 76 columns, so it fits 80 unwrapped. */
  readonly command: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly description: string;
  readonly args: readonly ArgSpec[];
  readonly flags: readonly FlagSpec[];
  readonly examples?: readonly ExampleSpec[];
}

/** A help screen: the top-level one, or a command's (by name). */
export type HelpScreen = "top" | string;

export interface EnvSpec {
  readonly name: string;
  readonly description: string;
  /** The help screens whose "Environment Variables:" list it; empty for hidden ones. */
  readonly shownIn: readonly HelpScreen[];
  /**
   * `config`: read by lib/cli/config.ts (the only place dollama reads the environment);
   * `runtime`: read by Deno itself (proxies), listed here so help can document it.
   */
  readonly readBy: "config" | "runtime";
}

export interface CliSpec {
  readonly name: string;
  readonly description: string;
  /** Flags of the program itself, accepted only before the command. */
  readonly flags: readonly FlagSpec[];
  readonly commands: readonly CommandSpec[];
  readonly environment: readonly EnvSpec[];
}

/** `-h, --help`, which every command and the program accept; commander handles it. */
export const HELP_FLAG = {
  long: "help",
  short: "h",
  description: "Show help for the command",
  value: { kind: "boolean" },
} as const satisfies FlagSpec;

/** `--json` of list, ps and show: one JSON document (lib/format/json_output.ts) for scripts. */
const JSON_FLAG = {
  long: "json",
  description: "Print one JSON document (fields in the README, Scripting)",
  value: { kind: "boolean" },
} as const satisfies FlagSpec;

/** `--insecure` of run and pull: run pulls a missing model the way pull does. */
const INSECURE_FLAG = {
  long: "insecure",
  description: "Use an insecure registry",
  value: { kind: "boolean" },
} as const satisfies FlagSpec;

/** The optional PREFIX of list and ps, completing to the models each of them lists. */
function prefixArg<C extends ArgSource>(completes: C) {
  return {
    name: "PREFIX",
    required: false,
    description: "Only models whose name starts with PREFIX",
    completes,
  } as const satisfies ArgSpec;
}

/** The command commander provides (`help [command]`); it has no handler of its own. */
export const HELP_COMMAND = "help";

/** Every value `--think` accepts: on, off, or a level. */
export const THINK_VALUES = ["true", "false", ...THINK_LEVELS] as const;

/** The proxies apply to every request: to the server, and upgrade's downloads. */
const NETWORK_SCREENS = ["top", "run", "upgrade"] as const;
/** What the server connection and the chat read. */
const CHAT_SCREENS = ["top", "run"] as const;

export const SPEC = {
  name: "dollama",
  description: "A standalone client for Ollama servers: run, pull, show, ps, stop and list models",
  flags: [
    {
      long: "version",
      short: "v",
      description: "Show version information",
      value: { kind: "boolean" },
    },
  ],
  commands: [
    {
      name: "run",
      description: "Run a model",
      examples: [
        { description: "Chat with a model (on a terminal):", command: "dollama run smollm2" },
        {
          description: "Answer one prompt; stdout gets the answer and nothing else:",
          command: 'dollama run smollm2 "why is the sky blue?" > answer.txt',
        },
        {
          description: "Piped text comes first, then the arguments:",
          command: 'git diff | dollama run qwen3 "write a commit message for this"',
        },
        {
          description: "Keep chatting about what was piped in:",
          command: 'git diff | dollama run qwen3 -i "review this"',
        },
        {
          description: "Think harder; the thinking goes to stderr:",
          command: 'dollama run qwen3 --think high "how many r\'s are in strawberry?"',
        },
        {
          description: "An embedding model prints its vector as a JSON array:",
          command: 'dollama run all-minilm --dimensions 8 "embed me"',
        },
        {
          description: "Let the model run commands, each approved by you first:",
          command: "dollama run qwen3 --experimental",
        },
      ],
      args: [
        {
          name: "MODEL",
          required: true,
          description: "Model to run, e.g. llama3.2 or qwen3:8b",
          completes: "local-models",
        },
        {
          name: "PROMPT",
          required: false,
          variadic: true,
          description: "Prompt; without one (and with a terminal) an interactive chat starts",
          completes: "none",
        },
      ],
      flags: [
        {
          long: "keepalive",
          description:
            "Duration to keep a model loaded (e.g. 5m; a bare number is seconds, negative keeps it loaded)",
          value: {
            kind: "string",
            placeholder: "duration",
            suggestions: ["5m", "30m", "1h", "0", "-1"],
          },
        },
        {
          long: "format",
          description: "Response format (json, a JSON schema, or @FILE holding a schema)",
          value: { kind: "string", placeholder: "format", suggestions: ["json"] },
        },
        {
          long: "verbose",
          description: "Show timings for response (--verbose=json: one JSON object on stderr)",
          value: { kind: "switch", placeholder: "json", values: ["json"] },
        },
        {
          long: "parameter",
          short: "p",
          description:
            "Set a model parameter KEY=VALUE as /set parameter does (repeatable: -p seed=42 -p top_k=20)",
          value: { kind: "repeatable", placeholder: "K=V" },
        },
        {
          long: "system",
          description: "System prompt (TEXT, or @FILE to read it from a file)",
          value: { kind: "string", placeholder: "TEXT" },
        },
        {
          long: "no-stream",
          description: "Print the answer once, complete, instead of as it streams",
          value: { kind: "boolean" },
        },
        {
          long: "lines",
          description: "For embedding models: embed each input line, one JSON array per line",
          value: { kind: "boolean" },
        },
        {
          long: "nowordwrap",
          description: "Don't wrap words to the next line automatically",
          value: { kind: "boolean" },
        },
        {
          long: "think",
          description: `Enable thinking mode: true/false or ${
            THINK_LEVELS.join("/")
          } for supported models`,
          value: { kind: "optional", placeholder: "value", values: THINK_VALUES, implied: "true" },
        },
        {
          long: "hidethinking",
          description: "Hide thinking output (if provided)",
          value: { kind: "boolean" },
        },
        {
          long: "truncate",
          description:
            "For embedding models: truncate inputs exceeding context length (default: true). Set --truncate=false to error instead",
          value: { kind: "boolean", negatable: true, spacedValue: true },
        },
        {
          long: "dimensions",
          description: "Truncate output embeddings to specified dimension (embedding models only)",
          value: { kind: "whole", placeholder: "int", min: 1 },
        },
        INSECURE_FLAG,
        {
          long: "interactive",
          short: "i",
          description: "After answering PROMPT or stdin, stay in the chat",
          value: { kind: "boolean" },
        },
        {
          long: "experimental",
          description: "Enable experimental agent loop with tool support",
          value: { kind: "boolean" },
        },
        {
          long: "experimental-yolo",
          description: "Skip approval for tool calls the analyser verifies as harmless",
          value: { kind: "boolean" },
        },
        {
          long: "experimental-websearch",
          description: "Enable web search tool in experimental mode",
          value: { kind: "boolean" },
        },
        {
          long: "continue",
          short: "c",
          description: "Continue the newest saved conversation with MODEL",
          value: { kind: "boolean" },
        },
        {
          long: "resume",
          description: "Continue the saved conversation ID (see dollama chats)",
          value: { kind: "string", placeholder: "ID" },
        },
        {
          long: "nohistory",
          description: "Do not save this conversation",
          value: { kind: "boolean" },
        },
      ],
    },
    {
      name: "pull",
      description: "Pull a model from a registry",
      args: [{ name: "MODEL", required: true, completes: "local-models" }],
      flags: [
        INSECURE_FLAG,
      ],
    },
    {
      name: "show",
      description: "Show information for a model",
      args: [{ name: "MODEL", required: true, completes: "local-models" }],
      flags: [
        { long: "license", description: "Show license of a model", value: { kind: "boolean" } },
        { long: "modelfile", description: "Show Modelfile of a model", value: { kind: "boolean" } },
        {
          long: "parameters",
          description: "Show parameters of a model",
          value: { kind: "boolean" },
        },
        {
          long: "system",
          description: "Show system message of a model",
          value: { kind: "boolean" },
        },
        { long: "template", description: "Show template of a model", value: { kind: "boolean" } },
        {
          long: "verbose",
          short: "v",
          description: "Show detailed model information",
          value: { kind: "boolean" },
        },
        JSON_FLAG,
      ],
    },
    {
      name: "ps",
      description: "List running models",
      args: [prefixArg("running-models")],
      flags: [
        JSON_FLAG,
      ],
    },
    {
      name: "stop",
      description: "Stop a running model",
      args: [{ name: "MODEL", required: true, completes: "running-models" }],
      flags: [],
    },
    {
      name: "list",
      aliases: ["ls"],
      description: "List models",
      args: [prefixArg("local-models")],
      flags: [
        JSON_FLAG,
      ],
    },
    {
      name: "completion",
      description: "Print a shell completion script (bash, zsh or fish)",
      args: [{ name: "SHELL", required: true, completes: "shells" }],
      flags: [],
    },
    {
      name: "upgrade",
      description: "Replace this dollama binary with the newest release (or --version V)",
      args: [{
        name: "VERSION",
        required: false,
        description: "Release to install, e.g. v0.2.0 (same as --version)",
        completes: "none",
      }],
      flags: [
        {
          long: "version",
          description: "Install this release instead of the newest, e.g. v0.2.0",
          value: { kind: "string", placeholder: "V" },
        },
      ],
    },
    {
      name: "chats",
      description: "List saved conversations; chats show ID prints one, chats rm ID deletes one",
      args: [
        {
          name: "ACTION",
          required: false,
          description: "show or rm; without one, the list",
          completes: "none",
        },
        {
          name: "ID",
          required: false,
          description: "A conversation's id, or the start of one",
          completes: "none",
        },
      ],
      flags: [
        {
          long: "json",
          description: "Print JSON: the list, or a conversation's raw records",
          value: { kind: "boolean" },
        },
      ],
    },
    {
      name: "version",
      description: "Show version information (as --version)",
      args: [],
      flags: [],
    },
    {
      name: HELP_COMMAND,
      description: "Help about any command",
      args: [{ name: "command", required: false, completes: "commands" }],
      flags: [],
    },
  ],
  environment: [
    {
      name: "OLLAMA_HOST",
      description: "Server address (default 127.0.0.1:11434)",
      shownIn: CHAT_SCREENS,
      readBy: "config",
    },
    {
      name: "OLLAMA_API_KEY",
      description: 'Sent as "Authorization: Bearer <key>"',
      shownIn: CHAT_SCREENS,
      readBy: "config",
    },
    {
      name: "OLLAMA_NOHISTORY",
      description: "Save no input history and no conversations",
      shownIn: CHAT_SCREENS,
      readBy: "config",
    },
    {
      name: "XDG_STATE_HOME",
      description: "Saved conversations are in its dollama/chats (default ~/.local/state)",
      shownIn: ["run", "chats"],
      readBy: "config",
    },
    {
      name: "LOCALAPPDATA",
      description: "Where saved conversations are on Windows",
      shownIn: [],
      readBy: "config",
    },
    {
      name: "OLLAMA_EDITOR",
      description: "Editor for editing the prompt (Ctrl+G)",
      shownIn: CHAT_SCREENS,
      readBy: "config",
    },
    {
      name: "VISUAL",
      description: "Editor for Ctrl+G when OLLAMA_EDITOR is not set",
      shownIn: [],
      readBy: "config",
    },
    {
      name: "EDITOR",
      description: "Editor for Ctrl+G when neither OLLAMA_EDITOR nor VISUAL is set",
      shownIn: [],
      readBy: "config",
    },
    {
      name: "OLLAMA_AGENT_DISABLE_BASH",
      description: "With --experimental: no bash tool",
      shownIn: ["run"],
      readBy: "config",
    },
    {
      name: "DOLLAMA_AGENT_SANDBOX",
      description: "With --experimental: `off` runs bash commands without the sandbox",
      shownIn: [],
      readBy: "config",
    },
    {
      name: "NO_COLOR",
      description: "Disable colours on a terminal",
      shownIn: CHAT_SCREENS,
      readBy: "config",
    },
    {
      name: "HTTPS_PROXY",
      description: "Proxy for https:// requests",
      shownIn: NETWORK_SCREENS,
      readBy: "runtime",
    },
    {
      name: "HTTP_PROXY",
      description: "Proxy for http:// requests",
      shownIn: NETWORK_SCREENS,
      readBy: "runtime",
    },
    {
      name: "NO_PROXY",
      description: "Hosts to reach without a proxy",
      shownIn: NETWORK_SCREENS,
      readBy: "runtime",
    },
    {
      name: "DOLLAMA_DOWNLOAD_URL",
      description: "Releases base URL (default: GitHub releases)",
      shownIn: ["upgrade"],
      readBy: "config",
    },
    {
      name: "DOLLAMA_UPGRADE_TARGET",
      description: "The file `dollama upgrade` replaces instead of this binary (tests)",
      shownIn: [],
      readBy: "config",
    },
    {
      name: "DOLLAMA_TIMEOUT",
      description: "Seconds to wait for the server at start-up (default 30)",
      shownIn: CHAT_SCREENS,
      readBy: "config",
    },
    {
      name: "DOLLAMA_APPROVAL_TYPEAHEAD_MS",
      description: "How long the tool approval prompt ignores type-ahead keys (tests use 0)",
      shownIn: [],
      readBy: "config",
    },
    {
      name: "HOME",
      description: "Where ~ and the history file are",
      shownIn: [],
      readBy: "config",
    },
    {
      name: "USERPROFILE",
      description: "HOME on Windows",
      shownIn: [],
      readBy: "config",
    },
    {
      name: "PATH",
      description: "Where the editor for Ctrl+G is looked up",
      shownIn: [],
      readBy: "config",
    },
  ],
} as const satisfies CliSpec;

// ---- small helpers over any spec -------------------------------------------------------------

/** A command's name and its aliases. */
export function commandNames(command: CommandSpec): string[] {
  return [command.name, ...(command.aliases ?? [])];
}

/** The flags a command accepts, `--help` included (the help command itself takes none). */
export function acceptedFlags(command: CommandSpec): readonly FlagSpec[] {
  return command.name === HELP_COMMAND ? command.flags : [...command.flags, HELP_FLAG];
}

/** The environment variables a help screen lists. */
export function environmentFor(spec: CliSpec, screen: HelpScreen): EnvSpec[] {
  return spec.environment.filter((e) => e.shownIn.includes(screen));
}

/** `experimental-yolo` → `experimentalYolo`: the key commander stores a flag's value under. */
export function flagKey(long: string): string {
  return long.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The values completions offer for a flag. */
export function flagValues(flag: FlagSpec): readonly string[] {
  switch (flag.value.kind) {
    case "string":
      return flag.value.suggestions ?? [];
    case "choice":
    case "optional":
    case "switch":
      return flag.value.values;
    default:
      return [];
  }
}

/** "a", "a or b", "a, b, or c": the accepted values in an error message. */
export function orList(values: readonly string[]): string {
  if (values.length <= 2) return values.join(" or ");
  return `${values.slice(0, -1).join(", ")}, or ${values.at(-1)}`;
}

// ---- types of parsed values -------------------------------------------------------------------

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** The type a flag's value has once parsed: the value set's words for choices. */
export type FlagValueType<V extends FlagValue> = V extends { kind: "boolean" } ? boolean
  : V extends { kind: "whole" } ? number
  : V extends { kind: "repeatable" } ? string[]
  : V extends { kind: "switch"; values: readonly (infer T extends string)[] } ? true | T
  : V extends { kind: "choice" | "optional"; values: readonly (infer T extends string)[] } ? T
  : string;

/** The parsed flags of a list of flag specs, keyed as commander keys them (camelCase). */
export type FlagsOf<F extends readonly FlagSpec[]> = {
  -readonly [K in F[number] as CamelCase<K["long"]>]?: FlagValueType<K["value"]>;
};

type ArgValue<A extends ArgSpec> = A extends { variadic: true } ? string[]
  : A extends { required: true } ? string
  : string | undefined;

/** The parsed positional arguments of a command, in order. */
export type ArgsOf<A extends readonly ArgSpec[]> = { -readonly [I in keyof A]: ArgValue<A[I]> };

/** A command's entry in dollama's own spec, by name. */
export type CommandEntry<N extends CommandName> = Extract<
  (typeof SPEC)["commands"][number],
  { name: N }
>;
export type CommandName = (typeof SPEC)["commands"][number]["name"];

/** The typed flags of one of dollama's commands, e.g. `CommandFlags<"run">`. */
export type CommandFlags<N extends CommandName> = FlagsOf<CommandEntry<N>["flags"]>;

/** What a command's handler receives: its arguments, its flags, and the program's flags. */
export type CommandHandler<C extends CommandSpec, Root> = (
  args: ArgsOf<C["args"]>,
  flags: FlagsOf<C["flags"]>,
  root: Root,
) => Promise<void>;

/** One handler per command of the spec (commander runs `help` itself). */
export type Handlers<S extends CliSpec> = {
  [C in S["commands"][number] as C["name"] extends typeof HELP_COMMAND ? never : C["name"]]:
    CommandHandler<C, FlagsOf<S["flags"]>>;
};
