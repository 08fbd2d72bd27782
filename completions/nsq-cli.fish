# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_nsq_cli_global_optspecs
    string join \n color= q/quiet v/verbose h/help V/version
end

function __fish_nsq_cli_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_nsq_cli_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_nsq_cli_using_subcommand
    set -l cmd (__fish_nsq_cli_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -s V -l version -d 'Print version'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "dev" -d 'Run an embedded, in-memory NSQ broker (nsqd + nsqlookupd HTTP API) for development and tests'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "publish" -d 'Publish messages to a topic (the tutorial\'s producer)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "tail" -d 'Consume messages from a topic/channel and print them (the tutorial\'s consumer)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "lookup" -d 'Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "stats" -d 'Show depth, in-flight, requeue and timeout counts per topic and channel'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "topic" -d 'Create, delete, empty, pause or unpause a topic across the cluster'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "channel" -d 'Create, delete, empty, pause or unpause a channel across the cluster'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "node" -d 'Node operations (tombstone a topic on a node)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "check" -d 'Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "man" -d 'Print the man page (roff) on stdout'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l tcp-address -d '<addr>:<port> for nsqd\'s TCP protocol (port 0 picks a free port)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l http-address -d '<addr>:<port> for nsqd\'s HTTP API' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l lookupd-http-address -d '<addr>:<port> for the nsqlookupd HTTP API describing this node' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l broadcast-address -d 'Address announced to clients through the lookupd API' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l max-msg-size -d 'Maximum size of a single message in bytes' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l max-body-size -d 'Maximum size of a single command body (MPUB, IDENTIFY) in bytes' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l max-rdy-count -d 'Maximum RDY count for a client' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l max-req-timeout -d 'Maximum requeue timeout (REQ, DPUB)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l msg-timeout -d 'Default time a message may be in flight before it is requeued' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l max-msg-timeout -d 'Maximum msg_timeout a client may ask for in IDENTIFY' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand completions" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand completions" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand completions" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand completions" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand man" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand man" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand man" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand man" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail lookup stats topic channel node check completions man help" -f -a "dev" -d 'Run an embedded, in-memory NSQ broker (nsqd + nsqlookupd HTTP API) for development and tests'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail lookup stats topic channel node check completions man help" -f -a "publish" -d 'Publish messages to a topic (the tutorial\'s producer)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail lookup stats topic channel node check completions man help" -f -a "tail" -d 'Consume messages from a topic/channel and print them (the tutorial\'s consumer)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail lookup stats topic channel node check completions man help" -f -a "lookup" -d 'Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail lookup stats topic channel node check completions man help" -f -a "stats" -d 'Show depth, in-flight, requeue and timeout counts per topic and channel'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail lookup stats topic channel node check completions man help" -f -a "topic" -d 'Create, delete, empty, pause or unpause a topic across the cluster'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail lookup stats topic channel node check completions man help" -f -a "channel" -d 'Create, delete, empty, pause or unpause a channel across the cluster'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail lookup stats topic channel node check completions man help" -f -a "node" -d 'Node operations (tombstone a topic on a node)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail lookup stats topic channel node check completions man help" -f -a "check" -d 'Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail lookup stats topic channel node check completions man help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail lookup stats topic channel node check completions man help" -f -a "man" -d 'Print the man page (roff) on stdout'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail lookup stats topic channel node check completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
