/**
 * `dollama completion bash|zsh|fish`: a completion script for the shell. The three scripts are
 * generated from one description of the command line, so they cannot drift apart; model names
 * are fetched when completing, by running `dollama list` (or `dollama ps` for loaded models).
 */
import type { Context } from "../context.ts";
import { CliError } from "../errors.ts";

export interface FlagSpec {
  long: string;
  short?: string;
  description: string;
  /** `required`: the next word is its value; `optional`: only `--flag=value` or a known value. */
  takes?: "required" | "optional";
  /** Values to offer for the flag. */
  values?: string[];
}

/** Where a command's positional arguments come from. */
export type ArgSource =
  | "local-models" // `dollama list`
  | "running-models" // `dollama ps`
  | "shells"
  | "commands"
  | "none";

export interface CommandSpec {
  name: string;
  aliases?: string[];
  description: string;
  flags: FlagSpec[];
  /** What the first positional argument completes to; later ones complete to nothing. */
  arg: ArgSource;
}

const HELP: FlagSpec = { long: "help", short: "h", description: "Show help for the command" };

export const ROOT_FLAGS: FlagSpec[] = [
  { long: "version", short: "v", description: "Show version information" },
  HELP,
];

export const SHELLS = ["bash", "zsh", "fish"];
export const THINK_LEVELS = ["true", "false", "high", "medium", "low", "max"];

/** The command line as lib/cli/program.ts defines it. */
export const COMMANDS: CommandSpec[] = [
  {
    name: "run",
    description: "Run a model",
    arg: "local-models",
    flags: [
      {
        long: "keepalive",
        description: "Duration to keep a model loaded (e.g. 5m)",
        takes: "required",
        values: ["5m", "30m", "1h", "0", "-1"],
      },
      {
        long: "format",
        description: "Response format (json or a JSON schema)",
        takes: "required",
        values: ["json"],
      },
      { long: "verbose", description: "Show timings for response" },
      { long: "nowordwrap", description: "Don't wrap words to the next line automatically" },
      {
        long: "think",
        description: "Enable thinking mode (true/false or high/medium/low/max)",
        takes: "optional",
        values: THINK_LEVELS,
      },
      { long: "hidethinking", description: "Hide thinking output" },
      { long: "truncate", description: "Truncate embedding inputs exceeding the context length" },
      {
        long: "dimensions",
        description: "Truncate output embeddings to this dimension",
        takes: "required",
      },
      { long: "insecure", description: "Use an insecure registry" },
      {
        long: "interactive",
        short: "i",
        description: "After answering PROMPT or stdin, stay in the chat",
      },
      { long: "experimental", description: "Enable experimental agent loop with tool support" },
      { long: "experimental-yolo", description: "Skip all tool approval prompts" },
      {
        long: "experimental-websearch",
        description: "Enable web search tool in experimental mode",
      },
      HELP,
    ],
  },
  {
    name: "pull",
    description: "Pull a model from a registry",
    arg: "local-models",
    flags: [{ long: "insecure", description: "Use an insecure registry" }, HELP],
  },
  {
    name: "show",
    description: "Show information for a model",
    arg: "local-models",
    flags: [
      { long: "license", description: "Show license of a model" },
      { long: "modelfile", description: "Show Modelfile of a model" },
      { long: "parameters", description: "Show parameters of a model" },
      { long: "system", description: "Show system message of a model" },
      { long: "template", description: "Show template of a model" },
      { long: "verbose", short: "v", description: "Show detailed model information" },
      HELP,
    ],
  },
  { name: "ps", description: "List running models", arg: "running-models", flags: [HELP] },
  { name: "stop", description: "Stop a running model", arg: "running-models", flags: [HELP] },
  {
    name: "list",
    aliases: ["ls"],
    description: "List models",
    arg: "local-models",
    flags: [HELP],
  },
  {
    name: "completion",
    description: "Print a shell completion script (bash, zsh or fish)",
    arg: "shells",
    flags: [HELP],
  },
  {
    name: "upgrade",
    description: "Replace this dollama binary with the newest release",
    arg: "none",
    flags: [
      {
        long: "version",
        description: "Install this release instead, e.g. v0.2.0",
        takes: "required",
      },
      HELP,
    ],
  },
  { name: "help", description: "Help about any command", arg: "commands", flags: [] },
];

const allNames = (c: CommandSpec) => [c.name, ...(c.aliases ?? [])];
const flagWords = (f: FlagSpec) => [`--${f.long}`, ...(f.short ? [`-${f.short}`] : [])];
const commandWords = () => COMMANDS.flatMap(allNames);

/** Quotes a string for a shell script (single quotes; works in bash, zsh and fish). */
function q(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

const LIST_MODELS = "command dollama list 2>/dev/null | awk 'NR > 1 { print $1 }'";
const LIST_RUNNING = "command dollama ps 2>/dev/null | awk 'NR > 1 { print $1 }'";

export function bashScript(): string {
  const cases = COMMANDS.map((c) => {
    const flags = c.flags.flatMap(flagWords).join(" ");
    const takes = (kind: FlagSpec["takes"]) =>
      c.flags.filter((f) => f.takes === kind).map((f) => `--${f.long}`).join(" ");
    return `    ${allNames(c).join("|")})
      flags=${q(flags)}
      valued=${q(takes("required"))}
      optional=${q(takes("optional"))}
      source=${c.arg}
      ;;`;
  }).join("\n");
  const valueCases = [
    ...new Set(
      COMMANDS.flatMap((c) => c.flags).filter((f) => f.values?.length)
        .map((f) => `    --${f.long}) printf '%s\\n' ${f.values!.map(q).join(" ")} ;;`),
    ),
  ].join("\n");
  return `# bash completion for dollama; generated by \`dollama completion bash\`.
# Install: add  source <(dollama completion bash)  to ~/.bashrc

# Model names contain ':' and flags take '--flag=value'; bash splits words at both by default
# (COMP_WORDBREAKS). The words are put back together here, so "llama3.2:la" is one word again,
# as bash-completion's _get_comp_words_by_ref would (bash-completion may not be installed).
__dollama_rejoin_words() {
  __dollama_words=()
  __dollama_cword=0
  local i j=-1 joining=0 w
  for ((i = 0; i < \${#COMP_WORDS[@]}; i++)); do
    w=\${COMP_WORDS[i]}
    if [[ ($w == ":" || $w == "=") && $j -ge 0 ]]; then
      __dollama_words[j]+=$w
      joining=1
    elif ((joining)) && [[ -n $w ]]; then
      __dollama_words[j]+=$w
      joining=0
    else
      joining=0
      j=$((j + 1))
      __dollama_words[j]=$w
    fi
    if ((i == COMP_CWORD)); then __dollama_cword=$j; fi
  done
}

__dollama_models() {
  ${LIST_MODELS}
}

__dollama_running_models() {
  ${LIST_RUNNING}
}

# The values a flag offers, one a line.
__dollama_flag_values() {
  case $1 in
${valueCases}
  esac
}

_dollama() {
  local __dollama_words __dollama_cword
  __dollama_rejoin_words
  local cur=\${__dollama_words[__dollama_cword]}
  local prev=""
  if ((__dollama_cword > 0)); then prev=\${__dollama_words[__dollama_cword - 1]}; fi

  # The subcommand is the first word after the program name that is not a flag.
  local i command="" command_at=0
  for ((i = 1; i < __dollama_cword; i++)); do
    if [[ \${__dollama_words[i]} != -* ]]; then
      command=\${__dollama_words[i]}
      command_at=$i
      break
    fi
  done

  local candidates=""
  if [[ -z $command ]]; then
    if [[ $cur == -* ]]; then
      candidates=${q(ROOT_FLAGS.flatMap(flagWords).join(" "))}
    else
      candidates=${q(commandWords().join(" "))}
    fi
  else
    local flags="" valued="" optional="" source=none
    case $command in
${cases}
    esac
    if [[ $cur == --*=* ]]; then
      # --think=high, --format=json: the value after '='.
      local flag=\${cur%%=*} v
      for v in $(__dollama_flag_values "$flag"); do candidates+="$flag=$v"$'\\n'; done
    elif [[ -n $prev && " $valued " == *" $prev "* ]]; then
      candidates=$(__dollama_flag_values "$prev")
    elif [[ $cur == -* ]]; then
      candidates=$flags
    else
      # After a flag with an optional value (--think high), offer its values too.
      if [[ -n $prev && " $optional " == *" $prev "* ]]; then
        candidates=$(__dollama_flag_values "$prev")$'\\n'
      fi
      # Only the first positional argument completes; count those before the cursor, skipping
      # flags and their values.
      local positional=0 w before
      for ((i = command_at + 1; i < __dollama_cword; i++)); do
        w=\${__dollama_words[i]}
        before=\${__dollama_words[i - 1]}
        if [[ $w == -* ]]; then continue; fi
        if [[ " $valued " == *" $before "* ]]; then continue; fi
        if [[ " $optional " == *" $before "* ]] &&
          __dollama_flag_values "$before" | grep -qxF -- "$w"; then
          continue
        fi
        positional=$((positional + 1))
      done
      if ((positional == 0)); then
        case $source in
          local-models) candidates+=$(__dollama_models) ;;
          running-models) candidates+=$(__dollama_running_models) ;;
          shells) candidates+=${q(SHELLS.join(" "))} ;;
          commands) candidates+=${q(commandWords().join(" "))} ;;
        esac
      fi
    fi
  fi

  COMPREPLY=()
  # bash replaces only the part of the word after its last word-break character (':' or '='),
  # so the part before it is dropped from every reply.
  local head=\${cur%[:=]*} cut=""
  if [[ $head != "$cur" && $COMP_WORDBREAKS == *"\${cur:\${#head}:1}"* ]]; then
    cut=\${cur:0:\${#head}+1}
  fi
  local IFS=$' \\t\\n' reply
  for reply in $(compgen -W "$candidates" -- "$cur" 2>/dev/null); do
    COMPREPLY+=("\${reply#"$cut"}")
  done
}

complete -F _dollama dollama
`;
}

/** Escapes text for a zsh _arguments/_describe spec: brackets and colons are syntax there. */
function zshText(s: string): string {
  return s.replace(/([[\]:\\])/g, "\\$1").replaceAll("'", `'\\''`);
}

function zshFlag(f: FlagSpec): string[] {
  const desc = `[${zshText(f.description)}]`;
  let value = "";
  if (f.takes === "required") {
    value = `:${f.long}:` + (f.values ? `(${f.values.join(" ")})` : "");
  } else if (f.takes === "optional") {
    value = `::${f.long}:` + (f.values ? `(${f.values.join(" ")})` : "");
  }
  const eq = f.takes === "optional" ? "=-" : f.takes === "required" ? "=" : "";
  if (f.short) {
    const exclusive = `(-${f.short} --${f.long})`;
    return [
      `'${exclusive}-${f.short}${desc}${value}'`,
      `'${exclusive}--${f.long}${eq}${desc}${value}'`,
    ];
  }
  return [`'--${f.long}${eq}${desc}${value}'`];
}

const ZSH_SOURCE: Record<ArgSource, string> = {
  "local-models": "'1:model:__dollama_models'",
  "running-models": "'1:model:__dollama_running_models'",
  shells: `'1:shell:(${SHELLS.join(" ")})'`,
  commands: `'1:command:(${commandWords().join(" ")})'`,
  none: "",
};

export function zshScript(): string {
  const commands = COMMANDS.flatMap((c) =>
    allNames(c).map((n) => `        '${zshText(n)}:${zshText(c.description)}'`)
  ).join("\n");
  const cases = COMMANDS.map((c) => {
    const specs = [...c.flags.flatMap(zshFlag), ZSH_SOURCE[c.arg]];
    if (c.name === "run") specs.push("'*::prompt:'");
    return `        ${allNames(c).join("|")})
          _arguments -s \\
            ${specs.filter(Boolean).join(" \\\n            ")}
          ;;`;
  }).join("\n");
  return `#compdef dollama
# zsh completion for dollama; generated by \`dollama completion zsh\`.
# Install: dollama completion zsh > "\${fpath[1]}/_dollama"  (then start a new shell),
# or add  source <(dollama completion zsh)  to ~/.zshrc after compinit.

__dollama_models() {
  local -a models
  models=(\${(f)"$(${LIST_MODELS})"})
  # compadd takes names as they are; _describe would read the ':' in "llama3.2:latest" as a
  # separator between name and description.
  compadd -a models
}

__dollama_running_models() {
  local -a models
  models=(\${(f)"$(${LIST_RUNNING})"})
  compadd -a models
}

_dollama() {
  local curcontext="$curcontext" state line
  typeset -A opt_args
  _arguments -C \\
    ${ROOT_FLAGS.flatMap(zshFlag).map((s) => s.replace(/^'\(/, "'(- * ")).join(" \\\n    ")} \\
    '1:command:->command' \\
    '*::arg:->args'
  case $state in
    command)
      local -a commands
      commands=(
${commands}
      )
      _describe -t commands 'dollama command' commands
      ;;
    args)
      case $line[1] in
${cases}
      esac
      ;;
  esac
}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _dollama "$@"
else
  compdef _dollama dollama
fi
`;
}

function fishFlag(condition: string, f: FlagSpec): string {
  let line = `complete -c dollama -n ${q(condition)} -l ${f.long}`;
  if (f.short) line += ` -s ${f.short}`;
  // A flag with known values takes the next word as one of them (`--think high` included).
  if (f.values) line += ` -x -a ${q(f.values.join(" "))}`;
  else if (f.takes === "required") line += " -r";
  return `${line} -d ${q(f.description)}`;
}

const FISH_SOURCE: Record<ArgSource, string> = {
  "local-models": "(__dollama_models)",
  "running-models": "(__dollama_running_models)",
  shells: SHELLS.join(" "),
  commands: commandWords().join(" "),
  none: "",
};

export function fishScript(): string {
  const lines: string[] = [];
  for (const f of ROOT_FLAGS) lines.push(fishFlag("__fish_use_subcommand", f));
  for (const c of COMMANDS) {
    for (const n of allNames(c)) {
      lines.push(
        `complete -c dollama -n __fish_use_subcommand -a ${q(n)} -d ${q(c.description)}`,
      );
    }
  }
  for (const c of COMMANDS) {
    const seen = `__fish_seen_subcommand_from ${allNames(c).join(" ")}`;
    for (const f of c.flags) lines.push(fishFlag(seen, f));
    if (c.arg !== "none") {
      const condition = `${seen}; and __dollama_no_argument_yet`;
      lines.push(`complete -c dollama -n ${q(condition)} -a ${q(FISH_SOURCE[c.arg])}`);
    }
  }
  return `# fish completion for dollama; generated by \`dollama completion fish\`.
# Install: dollama completion fish > ~/.config/fish/completions/dollama.fish

function __dollama_models
    ${LIST_MODELS}
end

function __dollama_running_models
    ${LIST_RUNNING}
end

# True while the subcommand has no positional argument yet (only the first one completes).
function __dollama_no_argument_yet
    set -l words (commandline -opc)
    set -l seen_command 0
    for w in $words[2..-1]
        switch $w
            case '-*'
                continue
        end
        if test $seen_command -eq 1
            return 1
        end
        set seen_command 1
    end
    return 0
end

# No file names: dollama takes model names, not paths.
complete -c dollama -f
${lines.join("\n")}
`;
}

export function completionScript(shell: string): string {
  switch (shell) {
    case "bash":
      return bashScript();
    case "zsh":
      return zshScript();
    case "fish":
      return fishScript();
    default:
      throw new CliError(`unsupported shell ${JSON.stringify(shell)} (expected bash, zsh or fish)`);
  }
}

export async function completionCommand(ctx: Context, shell: string): Promise<void> {
  await ctx.io.stdout.write(completionScript(shell));
}
