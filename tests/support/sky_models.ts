/**
 * The fake models the `run` tests share, both asked why the sky is blue: a plain one and one that
 * thinks first.
 */
export const llama = {
  name: "llama3:latest",
  reply: "The sky is blue because of Rayleigh scattering.",
};

export const qwen = {
  name: "qwen3:latest",
  capabilities: ["completion", "thinking"],
  thinking: "The user asks about the sky.",
  reply: "Rayleigh scattering.",
};
