
use builtin;
use str;

set edit:completion:arg-completer[nsq-cli] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'nsq-cli'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'nsq-cli'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand dev 'Run an embedded, in-memory NSQ broker (nsqd + nsqlookupd HTTP API) for development and tests'
            cand publish 'Publish messages to a topic (the tutorial''s producer)'
            cand tail 'Consume messages from a topic/channel and print them (the tutorial''s consumer)'
            cand lookup 'Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes'
            cand stats 'Show depth, in-flight, requeue and timeout counts per topic and channel'
            cand topic 'Create, delete, empty, pause or unpause a topic across the cluster'
            cand channel 'Create, delete, empty, pause or unpause a channel across the cluster'
            cand node 'Node operations (tombstone a topic on a node)'
            cand check 'Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the man page (roff) on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nsq-cli;dev'= {
            cand --tcp-address '<addr>:<port> for nsqd''s TCP protocol (port 0 picks a free port)'
            cand --http-address '<addr>:<port> for nsqd''s HTTP API'
            cand --lookupd-http-address '<addr>:<port> for the nsqlookupd HTTP API describing this node'
            cand --broadcast-address 'Address announced to clients through the lookupd API'
            cand --max-msg-size 'Maximum size of a single message in bytes'
            cand --max-body-size 'Maximum size of a single command body (MPUB, IDENTIFY) in bytes'
            cand --max-rdy-count 'Maximum RDY count for a client'
            cand --max-req-timeout 'Maximum requeue timeout (REQ, DPUB)'
            cand --msg-timeout 'Default time a message may be in flight before it is requeued'
            cand --max-msg-timeout 'Maximum msg_timeout a client may ask for in IDENTIFY'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;publish'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;tail'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;lookup'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;stats'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;topic'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;channel'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;node'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;check'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;completions'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;man'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;help'= {
            cand dev 'Run an embedded, in-memory NSQ broker (nsqd + nsqlookupd HTTP API) for development and tests'
            cand publish 'Publish messages to a topic (the tutorial''s producer)'
            cand tail 'Consume messages from a topic/channel and print them (the tutorial''s consumer)'
            cand lookup 'Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes'
            cand stats 'Show depth, in-flight, requeue and timeout counts per topic and channel'
            cand topic 'Create, delete, empty, pause or unpause a topic across the cluster'
            cand channel 'Create, delete, empty, pause or unpause a channel across the cluster'
            cand node 'Node operations (tombstone a topic on a node)'
            cand check 'Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print the man page (roff) on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nsq-cli;help;dev'= {
        }
        &'nsq-cli;help;publish'= {
        }
        &'nsq-cli;help;tail'= {
        }
        &'nsq-cli;help;lookup'= {
        }
        &'nsq-cli;help;stats'= {
        }
        &'nsq-cli;help;topic'= {
        }
        &'nsq-cli;help;channel'= {
        }
        &'nsq-cli;help;node'= {
        }
        &'nsq-cli;help;check'= {
        }
        &'nsq-cli;help;completions'= {
        }
        &'nsq-cli;help;man'= {
        }
        &'nsq-cli;help;help'= {
        }
    ]
    $completions[$command]
}
