//! Dynamic completion of context names, added to clap's generated scripts:
//! the names come from `nsq-cli context ls --names` when the user presses TAB,
//! after `--context`, `relay --to-context` and after `context use|show|rm|edit`. bash, zsh and fish
//! allow it; the PowerShell and elvish scripts are left as generated.

use clap_complete::Shell;

/// The command that lists the names (stderr dropped: no context dir is no names).
const LIST: &str = "command nsq-cli context ls --names 2>/dev/null";

/// `script` (clap's, for `shell`) with context names completed.
pub fn with_context_names(shell: Shell, script: String) -> String {
    match shell {
        Shell::Bash => bash(script),
        Shell::Zsh => zsh(script),
        Shell::Fish => fish(script),
        _ => script,
    }
}

/// A function in front of clap's `_nsq__cli`, registered in its place.
///
/// clap_complete (4.6) spells the case labels of subcommands `nsq__subcmd__cli__...`
/// while its dispatch loop sets `nsq__cli__...` (clap-rs/clap#6421: a bin name with
/// a hyphen), so no subcommand's flags would ever complete; the labels are respelled
/// as the loop spells them.
fn bash(script: String) -> String {
    let script = script.replace("nsq__subcmd__cli__", "nsq__cli__");
    let hook = format!(
        r#"# Context names (nsq-cli context ls --names) after --context, --to-context and context use|show|rm|edit.
_nsq__cli_contexts() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local prev2=""
    if [[ $COMP_CWORD -ge 2 ]]; then
        prev2="${{COMP_WORDS[COMP_CWORD-2]}}"
    fi
    if [[ $prev == "=" ]]; then
        prev="$prev2"
        [[ $cur == "=" ]] && cur=""
    fi
    if [[ $prev =~ ^--?(to-)?context$ ]] ||
        [[ $prev2 == context && $prev =~ ^(use|show|rm|edit)$ && $cur != -* ]]; then
        COMPREPLY=( $(compgen -W "$({LIST})" -- "$cur") )
        return 0
    fi
    _nsq__cli "$@"
}}

"#
    );
    let script = script.replace("complete -F _nsq__cli ", "complete -F _nsq__cli_contexts ");
    match script.rfind("if [[ \"${BASH_VERSINFO") {
        Some(at) => format!("{}{hook}{}", &script[..at], &script[at..]),
        None => script + &hook,
    }
}

/// clap's value completer of --context, --to-context and of the CONTEXT operands replaced by
/// a function listing the names.
fn zsh(script: String) -> String {
    let hook = format!(
        "(( $+functions[_nsq_cli_contexts] )) ||\n_nsq_cli_contexts() {{\n    \
         local -a names\n    names=(${{(f)\"$({LIST})\"}})\n    \
         _describe -t contexts 'nsq-cli context' names\n}}\n\n"
    );
    let script: String = script
        .lines()
        .map(|l| {
            let is_context = l.starts_with("'--context=[")
                || l.starts_with("'--to-context=[")
                || l.starts_with("':context-name -- ")
                || l.starts_with("'::context-name -- ");
            match l.strip_suffix(":_default' \\") {
                Some(head) if is_context => format!("{head}:_nsq_cli_contexts' \\\n"),
                _ => format!("{l}\n"),
            }
        })
        .collect();
    match script.rfind("if [ \"$funcstack[1]\" = \"_nsq-cli\" ]") {
        Some(at) => format!("{}{hook}{}", &script[..at], &script[at..]),
        None => script + &hook,
    }
}

/// clap's `-l context` / `-l to-context` lines complete the names (fish takes an
/// option's argument only from its own line), and a rule of our own covers the
/// single-dash forms fish does not know as options, the flags before any
/// subcommand (where clap's condition does not hold) and the CONTEXT operands.
fn fish(script: String) -> String {
    let names = format!("-f -a '({LIST})'");
    let script: String = script
        .lines()
        .map(|l| {
            if l.contains(" -l context ") || l.contains(" -l to-context ") {
                format!("{l} {names}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    format!(
        "{script}\n# Context names (nsq-cli context ls --names).\n\
         complete -c nsq-cli -n '__fish_seen_subcommand_from context; and __fish_seen_subcommand_from use show rm edit' {names}\n\
         complete -c nsq-cli -n 'contains -- (commandline -opc)[-1] --context -context --to-context -to-context' {names}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zsh_completes_the_context_operands_and_flag_only() {
        let s = "x\n'--context=[Take]:CONTEXT:_default' \\\n':context-name -- c:_default' \\\n\
                 '--tls-ca=[f]:FILE:_default' \\\nif [ \"$funcstack[1]\" = \"_nsq-cli\" ]; then\n";
        let z = zsh(s.to_string());
        assert!(
            z.contains("'--context=[Take]:CONTEXT:_nsq_cli_contexts' \\\n"),
            "{z}"
        );
        assert!(
            z.contains("':context-name -- c:_nsq_cli_contexts' \\\n"),
            "{z}"
        );
        assert!(z.contains("'--tls-ca=[f]:FILE:_default' \\\n"), "{z}");
        let t = zsh("'--to-context=[D]:NAME:_default' \\\n".to_string());
        assert!(
            t.starts_with("'--to-context=[D]:NAME:_nsq_cli_contexts' \\\n"),
            "{t}"
        );
        assert!(z.find("_nsq_cli_contexts() {").unwrap() < z.find("if [ \"$funcstack").unwrap());
    }

    #[test]
    fn fish_completes_names_after_both_context_flags_only() {
        let f = fish(
            "complete -c nsq-cli -n \"x relay\" -l to-context -d 'D' -r\n\
             complete -c nsq-cli -n \"x\" -l context -d 'C' -r\n\
             complete -c nsq-cli -n \"x\" -l tls-ca -d 'T' -r -F\n"
                .to_string(),
        );
        let names = format!("-f -a '({LIST})'");
        let lines: Vec<&str> = f.lines().collect();
        assert!(
            lines[0].ends_with(&format!("-l to-context -d 'D' -r {names}")),
            "{f}"
        );
        assert!(
            lines[1].ends_with(&format!("-l context -d 'C' -r {names}")),
            "{f}"
        );
        assert!(lines[2].ends_with("-l tls-ca -d 'T' -r -F"), "{f}");
    }
}
