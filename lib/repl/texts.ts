/** The REPL's fixed texts, byte for byte as the official client prints them (docs/repl.md, Slash commands). */

export function helpText(multimodal: boolean, windows = false): string {
  const file = windows ? "\\path\\to\\file" : "/path/to/file";
  return "Available Commands:\n" +
    "  /set            Set session variables\n" +
    "  /show           Show model information\n" +
    "  /load <model>   Load a session or model\n" +
    "  /save <model>   Save your current session\n" +
    "  /clear          Clear session context\n" +
    "  /bye            Exit\n" +
    "  /?, /help       Help for a command\n" +
    "  /? shortcuts    Help for keyboard shortcuts\n" +
    "\n" +
    'Use """ to begin a multi-line message.\n' +
    (multimodal ? `Use ${file} to include .jpg, .png, .webp images, or .wav audio files.\n` : "") +
    "\n";
}

export const SET_HELP = "Available Commands:\n" +
  "  /set parameter ...     Set a parameter\n" +
  "  /set system <string>   Set system message\n" +
  "  /set history           Enable history\n" +
  "  /set nohistory         Disable history\n" +
  "  /set wordwrap          Enable wordwrap\n" +
  "  /set nowordwrap        Disable wordwrap\n" +
  "  /set format json       Enable JSON mode\n" +
  "  /set noformat          Disable formatting\n" +
  "  /set verbose           Show LLM stats\n" +
  "  /set quiet             Disable LLM stats\n" +
  "  /set think             Enable thinking\n" +
  "  /set nothink           Disable thinking\n" +
  "  /set hidethinking      Hide thinking output\n" +
  "  /set nohidethinking    Show thinking output\n" +
  "  /set nostream          Print each answer once, complete\n" +
  "  /set stream            Stream answers as they arrive\n" +
  "\n";

export const SHORTCUTS_HELP = "Available keyboard shortcuts:\n" +
  "  Ctrl + a            Move to the beginning of the line (Home)\n" +
  "  Ctrl + e            Move to the end of the line (End)\n" +
  "   Alt + b            Move back (left) one word\n" +
  "   Alt + f            Move forward (right) one word\n" +
  "  Ctrl + k            Delete the sentence after the cursor\n" +
  "  Ctrl + u            Delete the sentence before the cursor\n" +
  "  Ctrl + w            Delete the word before the cursor\n" +
  "\n" +
  "  Ctrl + l            Clear the screen\n" +
  "  Ctrl + g            Open default editor to compose a prompt\n" +
  "  Ctrl + c            Stop the model from responding\n" +
  "  Ctrl + d            Exit ollama (/bye)\n" +
  "\n";

export const SHOW_HELP = "Available Commands:\n" +
  "  /show info         Show details for this model\n" +
  "  /show license      Show model license\n" +
  "  /show modelfile    Show Modelfile for this model\n" +
  "  /show parameters   Show parameters for this model\n" +
  "  /show system       Show system message\n" +
  "  /show template     Show prompt template\n" +
  "\n";

export const PARAMETER_HELP = "Available Parameters:\n" +
  "  /set parameter seed <int>             Random number seed\n" +
  "  /set parameter num_predict <int>      Max number of tokens to predict\n" +
  "  /set parameter top_k <int>            Pick from top k num of tokens\n" +
  "  /set parameter top_p <float>          Pick token based on sum of probabilities\n" +
  "  /set parameter min_p <float>          Pick token based on top token probability * min_p\n" +
  "  /set parameter num_ctx <int>          Set the context size\n" +
  "  /set parameter temperature <float>    Set creativity level\n" +
  "  /set parameter repeat_penalty <float> How strongly to penalize repetitions\n" +
  "  /set parameter repeat_last_n <int>    Set how far back to look for repetitions\n" +
  "  /set parameter num_gpu <int>          The number of layers to send to the GPU\n" +
  "  /set parameter stop <string> <string> ...   Set the stop parameters\n" +
  "\n";

export const EXIT_HINT = "Use Ctrl + d or /bye to exit.\n";
export const PLACEHOLDER = "Send a message (/? for help)";
