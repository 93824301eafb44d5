/**
 * Shell completion scripts, generated from the option and command tables
 * (options.ts), so that a new command or option completes without anyone
 * writing it twice. Bash: `complete -F` with a function that knows each
 * command's options, which options take a value and what kind of value.
 *
 * @module
 */

import {
  COMMANDS,
  type CommandSpec,
  type OptionName,
  OPTIONS,
  type OptionSpec,
} from "./options.ts";

/** The shells {@link completionScript} writes for. */
export const COMPLETION_SHELLS = ["bash"] as const;

/** One of {@link COMPLETION_SHELLS}. */
export type CompletionShell = typeof COMPLETION_SHELLS[number];

/**
 * What a value (an option's `value`, a command's `args`, brackets dropped)
 * completes to, as `compgen` arguments; a kind not listed completes to
 * nothing (a port, a serial number, seconds: nothing to offer).
 */
const VALUE_COMPLETIONS: Readonly<Record<string, string>> = {
  FILE: "-f",
  CMD: "-f", // a script's path, as a rule
  GROUP: "-g",
  COMMAND: `-W "${COMMANDS.filter((c) => c.name).map((c) => c.name).join(" ")}"`,
  SHELL: `-W "${COMPLETION_SHELLS.join(" ")}"`,
};

/** The placeholder's kind: `[COMMAND]` is `COMMAND`. */
const kindOf = (placeholder: string) => placeholder.replace(/^\[|\]$/g, "");

/** The flags of an option (`--table`, `-t`); none for a config-only one. */
function flagsOf(name: OptionName): string[] {
  const spec: OptionSpec = OPTIONS[name];
  if (spec.configOnly) return [];
  return [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])];
}

/** The flags a command takes on the command line, `--help` first. */
function commandFlags(command: CommandSpec): string[] {
  return (["help", ...command.options] as OptionName[]).flatMap(flagsOf);
}

/** `compgen` on the word being completed, into COMPREPLY. */
const reply = (compgen: string) => `COMPREPLY=($(compgen ${compgen} -- "$cur"))`;

/** The bash script. */
function bashScript(): string {
  const names = COMMANDS.filter((c) => c.name).map((c) => c.name);
  // Options that take a value, grouped by what the value completes to.
  const valued = new Map<string, string[]>();
  for (const name of Object.keys(OPTIONS) as OptionName[]) {
    const spec: OptionSpec = OPTIONS[name];
    if (spec.type !== "string" || spec.configOnly) continue;
    const compgen = VALUE_COMPLETIONS[kindOf(spec.value ?? "")] ?? "";
    valued.set(compgen, [...(valued.get(compgen) ?? []), ...flagsOf(name)]);
  }
  const valueCases = [...valued].map(([compgen, flags]) => {
    const action = compgen ? `      ${filenames(compgen)}${reply(compgen)}\n` : "";
    return `    ${flags.join("|")})\n${action}      return ;;`;
  });
  const optionCases = COMMANDS.map((c) =>
    `      ${c.name || '""'}) ${reply(`-W "${commandFlags(c).join(" ")}"`)} ;;`
  );
  const argumentCases = COMMANDS.filter((c) => c.args && VALUE_COMPLETIONS[kindOf(c.args)]).map(
    (c) => {
      const compgen = VALUE_COMPLETIONS[kindOf(c.args!)];
      return `    ${c.name}) ${filenames(compgen)}${reply(compgen)} ;;`;
    },
  );
  return `# bash completion for tripplite, written by \`tripplite completions bash\`
# from its option table. Install:
#   tripplite completions bash | sudo tee /usr/share/bash-completion/completions/tripplite
_tripplite() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} command=""
  COMPREPLY=()
  # --name=VALUE: bash splits it at the "=" (COMP_WORDBREAKS)
  if [[ $cur == "=" ]]; then
    cur=""
  elif [[ $prev == "=" ]] && ((COMP_CWORD > 2)); then
    prev=\${COMP_WORDS[COMP_CWORD-2]}
  fi
  # the command is the first word, when it is one
  if ((COMP_CWORD > 1)); then
    case \${COMP_WORDS[1]} in
      ${names.join("|")}) command=\${COMP_WORDS[1]} ;;
    esac
  fi
  case $prev in
${valueCases.join("\n")}
  esac
  if [[ $cur == -* ]]; then
    case $command in
${optionCases.join("\n")}
    esac
    return
  fi
  if ((COMP_CWORD == 1)); then
    ${reply(`-W "${names.join(" ")}"`)}
    return
  fi
  case $command in
${argumentCases.join("\n")}
  esac
}
complete -F _tripplite tripplite
`;
}

/** File names get a "/" after a directory and are quoted as bash quotes them. */
function filenames(compgen: string): string {
  return compgen === "-f" ? "compopt -o filenames 2>/dev/null; " : "";
}

/**
 * The completion script for `shell`, to be sourced by it (or installed where
 * it loads completions from).
 *
 * @example
 * ```ts
 * import { completionScript } from "./completions.ts";
 * console.log(completionScript("bash").split("\n")[0]); // # bash completion for tripplite, ...
 * ```
 */
export function completionScript(shell: CompletionShell): string {
  switch (shell) {
    case "bash":
      return bashScript();
  }
}
