# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_nsq_cli_global_optspecs
    string join \n color= q/quiet v/verbose context= h/help V/version
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
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -s V -l version -d 'Print version'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "dev" -d 'Run an embedded, in-memory NSQ broker for development and tests'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "publish" -d 'Publish messages to a topic (the tutorial\'s producer)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "tail" -d 'Consume messages from a topic/channel and print them (the tutorial\'s consumer)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "relay" -d 'Move messages from topics to a topic or another cluster, FINed only once the destination acknowledged them'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "lookup" -d 'Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "stats" -d 'Show depth, in-flight, requeue and timeout counts per topic and channel'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "topic" -d 'Create, delete, empty, pause or unpause a topic across the cluster'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "channel" -d 'Create, delete, empty, pause or unpause a channel across the cluster'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "node" -d 'Node operations: tombstone a topic on a node, drain a node, undrain it'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "check" -d 'Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "exporter" -d 'Serve Prometheus metrics of the whole cluster on /metrics'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "bench" -d 'Benchmark publishing and consuming against an nsqd (msg/s, MB/s, latency)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "context" -d 'Named sets of cluster settings (addresses, TLS, auth): add, ls, use, show, rm, edit'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "man" -d 'Print a man page (roff) on stdout, or write them all with --dir'
complete -c nsq-cli -n "__fish_nsq_cli_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l tcp-address -d '<addr>:<port> for nsqd\'s TCP protocol (port 0 picks a free port)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l http-address -d '<addr>:<port> for nsqd\'s HTTP API' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l lookupd-http-address -d '<addr>:<port> for the nsqlookupd HTTP API describing the node(s)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l nodes -d 'How many nsqd nodes to run (node i: the ports of --tcp-address and --http-address + 2i)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l broadcast-address -d 'Address announced to clients through the lookupd API' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l max-msg-size -d 'Maximum size of a single message in bytes' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l max-body-size -d 'Maximum size of a single command body (MPUB, IDENTIFY) in bytes' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l max-rdy-count -d 'Maximum RDY count for a client' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l max-req-timeout -d 'Maximum requeue timeout (REQ, DPUB)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l msg-timeout -d 'Default time a message may be in flight before it is requeued' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l max-msg-timeout -d 'Maximum msg_timeout a client may ask for in IDENTIFY' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l tls-cert -d 'PEM certificate served to clients that ask for TLS in IDENTIFY' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l tls-key -d 'PEM private key for --tls-cert' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l tls-root-ca-file -d 'PEM CA certificates that client certificates must chain to (require-verify)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l tls-client-auth-policy -d 'Client certificates: "require" (any) or "require-verify" (checked against --tls-root-ca-file); implies --tls-required' -r -f -a "require\t''
require-verify\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l mem-queue-size -d 'Messages kept in memory per topic and per channel; beyond it they go to disk (in --data-path, or a temporary directory removed on exit), as nsqd' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l data-path -d 'Directory for the queues beyond --mem-queue-size; on a clean stop (SIGTERM, Ctrl-C) every queued, deferred and in-flight message is saved there and restored by the next `nsq-cli dev --data-path` on it (one process at a time)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l auth-http-address -d 'Auth server asked on AUTH (GET /auth?remote_ip=&tls=&secret=), as nsqd; repeatable' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -l tls-required -d 'Refuse every command but IDENTIFY on connections not upgraded to TLS'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand dev" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l topic -d 'Topic to publish to' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -s m -l message -d 'The message to publish (otherwise read from stdin or --file)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l nsqd-tcp-address -l addr -d 'nsqd TCP address; repeat to spread messages round-robin over several nodes' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l nsqd-http-address -d 'nsqd HTTP address, used with --http; repeatable like --nsqd-tcp-address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -s f -l file -d 'Read messages from this file instead of stdin' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -s d -l delimiter -d 'Message separator in the input: any bytes, with escapes \\n \\r \\t \\0 \\\\ \\xHH' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l input-format -d 'How the input gives messages: raw (split on --delimiter) or json (lines written by tail --json or --dead-letter: "body" or "body_base64" each)' -r -f -a "raw\t'Records split on --delimiter, each one message'
json\t'One JSON object per line, as tail --json and --dead-letter write them'"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l count -d 'Publish --message N times, expanding templates ({{Count}}, {{Time}}, ...)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l rate -d 'At most N messages per second' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l defer -d 'Deliver the messages after this delay (DPUB), e.g. 30s, 5m; at most 1h (nsqd\'s default --max-req-timeout)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l batch-size -d 'Most messages per MPUB (batches are also split to fit nsqd\'s size limits)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l retry -d 'On a lost connection, reconnect up to N times and resend what was not acknowledged (at-least-once: a message may then arrive twice)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l connect-timeout -d 'Time allowed to connect to an nsqd over TCP, IDENTIFY included [default: 10s]' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l http-timeout -d 'Time allowed for each HTTP request with --http [default: 10s]' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l timeout -d 'Deprecated: sets both --connect-timeout and --http-timeout' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l max-msg-size -d 'nsqd\'s --max-msg-size, assumed when the server does not advertise it' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l max-body-size -d 'nsqd\'s --max-body-size (MPUB), assumed when the server does not advertise it' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l tls-ca -d 'PEM CA certificate(s) trusted in addition to the system roots' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l tls-cert -d 'PEM client certificate, for servers that require one (needs --tls-key)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l tls-key -d 'PEM private key of --tls-cert' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l tls-server-name -d 'Name the server certificate must carry (default: the address\'s host)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l deflate -d 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l auth-secret-file -d 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l heartbeat-interval -d 'Ask nsqd for a heartbeat every DURATION (default: nsqd\'s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l all-nodes -d 'Send every message to every node (as to_nsq does) instead of round-robin'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l http -d 'Publish through nsqd\'s HTTP API (/pub, /mpub) instead of TCP'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l whole -d 'Send all of the input as one message (binary-safe)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l json -d 'Print the summary as JSON on stdout'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l tls -d 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l tls-insecure-skip-verify -d 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -l snappy -d 'Ask nsqd for snappy compression'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand publish" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l topic -d 'Topic to consume' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l channel -d 'Channel to consume through (default: a random ephemeral channel)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l lookupd-http-address -l addr -d 'nsqlookupd HTTP address to discover nodes through (repeatable; default localhost:4161)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l nsqd-tcp-address -d 'nsqd TCP address to connect to directly (repeatable)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l map-address -d 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l http-timeout -d 'Timeout of each HTTP request' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l lookupd-poll-interval -d 'How often to ask nsqlookupd for nodes that appeared or went away' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l max-in-flight -d 'Messages held at once, spread over the connections (default 200; with --exec, --concurrency)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -s n -l count -d 'Print (or, with --exec, handle successfully) exactly N messages, then exit 0' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l idle-timeout -d 'Exit 0 once no message arrived for this long (e.g. 5s); 1 if an nsqd or nsqlookupd is unreachable then' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l format -d 'Output template: {body} {id} {attempts} {timestamp} {time} {topic} {channel} {node} ({nsqd} = {node})' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l delimiter -d 'Written after each message instead of a newline (escapes: \\n \\r \\t \\0 \\\\ \\xHH)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l exec -d 'Run CMD (through sh -c) per message, body on stdin; exit 0 FINs, non-zero requeues' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l concurrency -d 'With --exec: commands run at once' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l requeue-delay -d 'With --exec: requeue delay after a failure (default: attempts x 1s, at most 1m); at most 1h (nsqd\'s default --max-req-timeout)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l max-attempts -d 'With --exec: give up on a message after N failed tries (log it, FIN it)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l dead-letter -d 'With --exec: append messages given up on to FILE, one JSON object per line' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l dead-letter-topic -d 'With --exec: publish messages given up on to TOPIC on the nsqd they came from; FINed only once it acknowledged (requeued if the publish fails)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l tls-ca -d 'PEM CA certificate(s) trusted in addition to the system roots' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l tls-cert -d 'PEM client certificate, for servers that require one (needs --tls-key)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l tls-key -d 'PEM private key of --tls-cert' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l tls-server-name -d 'Name the server certificate must carry (default: the address\'s host)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l deflate -d 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l auth-secret-file -d 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l heartbeat-interval -d 'Ask nsqd for a heartbeat every DURATION (default: nsqd\'s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l create -d 'Create the topic and channel first (so no message published meanwhile is missed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l json -d 'One JSON object per message: id, attempts, timestamp, topic, channel, node, body'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l print-topic -d 'Print "TOPIC | " before each body, as nsq_tail does'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l requeue -d 'Print and requeue instead of FIN, so the channel keeps its messages (peek)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l tls -d 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l tls-insecure-skip-verify -d 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -l snappy -d 'Ask nsqd for snappy compression'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand tail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l topic -d 'Source topic (repeat for several; each is relayed through --channel)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l channel -d 'Channel to consume the source topics through (created if missing)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l lookupd-http-address -l addr -d 'nsqlookupd HTTP address to discover nodes through (repeatable; default localhost:4161)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l nsqd-tcp-address -d 'nsqd TCP address to connect to directly (repeatable)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l map-address -d 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l http-timeout -d 'Timeout of each HTTP request' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l lookupd-poll-interval -d 'How often to ask nsqlookupd for nodes that appeared or went away' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l to-topic -d 'Destination topic; {topic} is replaced by the source topic\'s name' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l to-nsqd-tcp-address -d 'Destination nsqd TCP address (repeatable; messages go round-robin)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l to-lookupd-http-address -d 'Destination nsqlookupd HTTP address: publish to every nsqd it lists (repeatable)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l to-context -d 'The destination\'s addresses, TLS, compression and secret file from a saved context (see `nsq-cli context`); --to-* flags given beat it' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l connect-timeout -d 'Time allowed to connect to a destination nsqd, IDENTIFY included' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l max-in-flight -d 'Messages held at once, spread over the source connections' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l batch-size -d 'Most messages per MPUB to the destination' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l rate -d 'At most N messages per second (over all source topics)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -s n -l count -d 'Relay exactly N messages (filtered ones do not count), then exit 0' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l idle-timeout -d 'Drain mode: exit 0 once no message arrived for this long (e.g. 5s); 1 if a source nsqd or nsqlookupd is unreachable then' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l filter -d 'Relay only messages whose body matches this regular expression' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l json-field -d 'Relay only JSON messages whose field PATH (dots between keys) equals VALUE (repeatable: all must hold); VALUE is JSON if it parses as JSON (42, true, null, "42"), else a string' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l tls-ca -d 'PEM CA certificate(s) trusted in addition to the system roots' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l tls-cert -d 'PEM client certificate, for servers that require one (needs --tls-key)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l tls-key -d 'PEM private key of --tls-cert' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l tls-server-name -d 'Name the server certificate must carry (default: the address\'s host)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l deflate -d 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l auth-secret-file -d 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l heartbeat-interval -d 'Ask nsqd for a heartbeat every DURATION (default: nsqd\'s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l to-tls-ca -d 'PEM CA certificate(s) trusted for the destination, besides the system roots' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l to-tls-cert -d 'PEM client certificate for the destination (needs --to-tls-key)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l to-tls-key -d 'PEM private key of --to-tls-cert' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l to-tls-server-name -d 'Name the destination\'s certificate must carry (default: the address\'s host)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l to-deflate -d 'Ask the destination nsqd for deflate compression, at LEVEL 1-9 (default 6)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l to-auth-secret-file -d 'File holding the destination\'s AUTH secret (default: the NSQ_TO_AUTH_SECRET environment variable)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l json -d 'Print the summary as JSON on stdout'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l tls -d 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l tls-insecure-skip-verify -d 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l snappy -d 'Ask nsqd for snappy compression'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l to-tls -d 'Upgrade destination connections to TLS (implied by the other --to-tls-* flags)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l to-tls-insecure-skip-verify -d 'Accept any destination certificate (for testing only)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -l to-snappy -d 'Ask the destination nsqd for snappy compression'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand relay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -l topic -d 'Topic to look up (with --channels: the topic whose channels to list)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -l lookupd-http-address -l addr -d 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -l map-address -d 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -l http-timeout -d 'Timeout of each HTTP request' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -l topics -d 'List every topic'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -l channels -d 'List the channels of -topic'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -l nodes -d 'List every nsqd node, with its topics and tombstones'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -l json -d 'Print JSON'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand lookup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l topic -d 'Only this topic' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l channel -d 'Only this channel (of --topic)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l watch -d 'Redraw every INTERVAL (default 2s, at least 100ms) until interrupted' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l sample -d 'Interval over which the rate is measured in one-shot mode (0 skips the rate)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l format -d 'Output format: table, json, or prometheus (the exporter\'s metrics, once)' -r -f -a "table\t''
json\t''
prometheus\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l lookupd-http-address -l addr -d 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l nsqd-http-address -d 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l map-address -d 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l http-timeout -d 'Timeout of each HTTP request' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l per-node -d 'Show each nsqd\'s numbers under the totals'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l json -d 'Print JSON (with --watch: one JSON document per line); same as --format json'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -l clients -d 'One row per connected client (consumers of each channel, producers of each topic)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -l lookupd-http-address -l addr -d 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -l nsqd-http-address -d 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -l map-address -d 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -l http-timeout -d 'Timeout of each HTTP request' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -s y -l yes -d 'Do not ask for confirmation of delete / empty (required when stdin is not a terminal)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -l json -d 'Print the result per node as JSON'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand topic" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -l lookupd-http-address -l addr -d 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -l nsqd-http-address -d 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -l map-address -d 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -l http-timeout -d 'Timeout of each HTTP request' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -s y -l yes -d 'Do not ask for confirmation of delete / empty (required when stdin is not a terminal)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -l json -d 'Print the result per node as JSON'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand channel" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and not __fish_seen_subcommand_from tombstone drain undrain help" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and not __fish_seen_subcommand_from tombstone drain undrain help" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and not __fish_seen_subcommand_from tombstone drain undrain help" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and not __fish_seen_subcommand_from tombstone drain undrain help" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and not __fish_seen_subcommand_from tombstone drain undrain help" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and not __fish_seen_subcommand_from tombstone drain undrain help" -f -a "tombstone" -d 'Tombstone TOPIC on NODE in every lookupd, so consumers stop finding it there'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and not __fish_seen_subcommand_from tombstone drain undrain help" -f -a "drain" -d 'Tombstone every topic of NODE in every lookupd; with --wait, wait until it holds no message'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and not __fish_seen_subcommand_from tombstone drain undrain help" -f -a "undrain" -d 'Show NODE\'s tombstones in every lookupd (nsqlookupd cannot lift them); with --wait, wait until they lapse'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and not __fish_seen_subcommand_from tombstone drain undrain help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from tombstone" -l lookupd-http-address -l addr -d 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from tombstone" -l nsqd-http-address -d 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from tombstone" -l map-address -d 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from tombstone" -l http-timeout -d 'Timeout of each HTTP request' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from tombstone" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from tombstone" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from tombstone" -l json -d 'Print the result per lookupd as JSON'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from tombstone" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from tombstone" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from tombstone" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from drain" -l timeout -d 'With --wait: give up after DURATION (exit 1, naming what is left)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from drain" -l lookupd-http-address -l addr -d 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from drain" -l nsqd-http-address -d 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from drain" -l map-address -d 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from drain" -l http-timeout -d 'Timeout of each HTTP request' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from drain" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from drain" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from drain" -l wait -d 'Wait until done (drain: NODE holds no message; undrain: no tombstone left), with progress on a terminal'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from drain" -l json -d 'Print the result as JSON'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from drain" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from drain" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from drain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from undrain" -l timeout -d 'With --wait: give up after DURATION (exit 1, naming what is left)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from undrain" -l lookupd-http-address -l addr -d 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from undrain" -l nsqd-http-address -d 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from undrain" -l map-address -d 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from undrain" -l http-timeout -d 'Timeout of each HTTP request' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from undrain" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from undrain" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from undrain" -l wait -d 'Wait until done (drain: NODE holds no message; undrain: no tombstone left), with progress on a terminal'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from undrain" -l json -d 'Print the result as JSON'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from undrain" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from undrain" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from undrain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "tombstone" -d 'Tombstone TOPIC on NODE in every lookupd, so consumers stop finding it there'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "drain" -d 'Tombstone every topic of NODE in every lookupd; with --wait, wait until it holds no message'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "undrain" -d 'Show NODE\'s tombstones in every lookupd (nsqlookupd cannot lift them); with --wait, wait until they lapse'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand node; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l topic -d 'Topic the thresholds apply to' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l channel -d 'Only this channel of --topic (default: the topic and each of its channels)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l max-depth -d 'Fail (exit 1) when a depth exceeds N' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l max-in-flight -d 'Fail (exit 1) when a channel\'s in-flight count exceeds N' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l max-timeouts -d 'Fail (exit 1) when a channel\'s timed-out count exceeds N' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l min-nodes -d 'Fail (exit 1) when fewer than N nsqd nodes are registered with the lookupds' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l grace -d 'With --orphans: fail only channels that had no client and had finished no message at two looks (/stats) DURATION apart (default 0: one look, now)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l max-requeues -d 'Fail (exit 1) when a channel\'s requeue count on a node exceeds N (counted since the channel was created on that nsqd; with --grace, the requeues between the two looks)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l max-deferred -d 'Fail (exit 1) when a channel\'s deferred count on a node exceeds N' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l lookupd-http-address -l addr -d 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l nsqd-http-address -d 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l map-address -d 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l http-timeout -d 'Timeout of each HTTP request' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l orphans -d 'Fail (exit 1) for each channel, on each node, that holds messages and has no client'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -l json -d 'Print JSON'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand exporter" -l listen -d 'Address to serve /metrics on, IP:PORT (port 0 picks a free one)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand exporter" -l lookupd-http-address -l addr -d 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand exporter" -l nsqd-http-address -d 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand exporter" -l map-address -d 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand exporter" -l http-timeout -d 'Timeout of each HTTP request' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand exporter" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand exporter" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand exporter" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand exporter" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand exporter" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l nsqd-tcp-address -l addr -d 'nsqd TCP address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l nsqd-http-address -d 'nsqd HTTP address (to create and delete the throwaway topic)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l lookupd-http-address -d 'nsqlookupd HTTP addresses to remove the throwaway topic from (repeatable)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l topic -d 'Topic (default: a throwaway bench_<random> topic for `bench`, `bench` for pub/sub)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l channel -d 'Channel for consuming' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -s n -l count -d 'Number of messages (unless --duration is given)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l duration -d 'Run for this long instead of a count (e.g. 10s)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l size -d 'Message body size in bytes' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l connections -d 'Connections (default: one per core)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l batch-size -d 'Messages per MPUB when publishing' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l max-in-flight -d 'RDY count in total, spread over the consuming connections' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l csv -d 'Append the results as CSV rows to FILE (with a header if the file is new)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l tls-ca -d 'PEM CA certificate(s) trusted in addition to the system roots' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l tls-cert -d 'PEM client certificate, for servers that require one (needs --tls-key)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l tls-key -d 'PEM private key of --tls-cert' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l tls-server-name -d 'Name the server certificate must carry (default: the address\'s host)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l deflate -d 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l auth-secret-file -d 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l heartbeat-interval -d 'Ask nsqd for a heartbeat every DURATION (default: nsqd\'s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l json -d 'Print the results as one JSON object on stdout'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l tls -d 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l tls-insecure-skip-verify -d 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -l snappy -d 'Ask nsqd for snappy compression'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -f -a "pub" -d 'Publish only: MPUB batches, pipelined, over several connections'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -f -a "sub" -d 'Consume only: FIN every message, over several connections'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and not __fish_seen_subcommand_from pub sub help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l nsqd-tcp-address -l addr -d 'nsqd TCP address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l nsqd-http-address -d 'nsqd HTTP address (to create and delete the throwaway topic)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l lookupd-http-address -d 'nsqlookupd HTTP addresses to remove the throwaway topic from (repeatable)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l topic -d 'Topic (default: a throwaway bench_<random> topic for `bench`, `bench` for pub/sub)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l channel -d 'Channel for consuming' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -s n -l count -d 'Number of messages (unless --duration is given)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l duration -d 'Run for this long instead of a count (e.g. 10s)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l size -d 'Message body size in bytes' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l connections -d 'Connections (default: one per core)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l batch-size -d 'Messages per MPUB when publishing' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l max-in-flight -d 'RDY count in total, spread over the consuming connections' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l csv -d 'Append the results as CSV rows to FILE (with a header if the file is new)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l tls-ca -d 'PEM CA certificate(s) trusted in addition to the system roots' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l tls-cert -d 'PEM client certificate, for servers that require one (needs --tls-key)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l tls-key -d 'PEM private key of --tls-cert' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l tls-server-name -d 'Name the server certificate must carry (default: the address\'s host)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l deflate -d 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l auth-secret-file -d 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l heartbeat-interval -d 'Ask nsqd for a heartbeat every DURATION (default: nsqd\'s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l json -d 'Print the results as one JSON object on stdout'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l tls -d 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l tls-insecure-skip-verify -d 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -l snappy -d 'Ask nsqd for snappy compression'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from pub" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l nsqd-tcp-address -l addr -d 'nsqd TCP address' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l nsqd-http-address -d 'nsqd HTTP address (to create and delete the throwaway topic)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l lookupd-http-address -d 'nsqlookupd HTTP addresses to remove the throwaway topic from (repeatable)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l topic -d 'Topic (default: a throwaway bench_<random> topic for `bench`, `bench` for pub/sub)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l channel -d 'Channel for consuming' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -s n -l count -d 'Number of messages (unless --duration is given)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l duration -d 'Run for this long instead of a count (e.g. 10s)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l size -d 'Message body size in bytes' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l connections -d 'Connections (default: one per core)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l batch-size -d 'Messages per MPUB when publishing' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l max-in-flight -d 'RDY count in total, spread over the consuming connections' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l csv -d 'Append the results as CSV rows to FILE (with a header if the file is new)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l tls-ca -d 'PEM CA certificate(s) trusted in addition to the system roots' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l tls-cert -d 'PEM client certificate, for servers that require one (needs --tls-key)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l tls-key -d 'PEM private key of --tls-cert' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l tls-server-name -d 'Name the server certificate must carry (default: the address\'s host)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l deflate -d 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l auth-secret-file -d 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l heartbeat-interval -d 'Ask nsqd for a heartbeat every DURATION (default: nsqd\'s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l json -d 'Print the results as one JSON object on stdout'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l tls -d 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l tls-insecure-skip-verify -d 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -l snappy -d 'Ask nsqd for snappy compression'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from sub" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from help" -f -a "pub" -d 'Publish only: MPUB batches, pipelined, over several connections'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from help" -f -a "sub" -d 'Consume only: FIN every message, over several connections'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand bench; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and not __fish_seen_subcommand_from add ls use show rm edit help" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and not __fish_seen_subcommand_from add ls use show rm edit help" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and not __fish_seen_subcommand_from add ls use show rm edit help" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and not __fish_seen_subcommand_from add ls use show rm edit help" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and not __fish_seen_subcommand_from add ls use show rm edit help" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and not __fish_seen_subcommand_from add ls use show rm edit help" -f -a "add" -d 'Save a context: the cluster\'s addresses, --map-address rules, TLS files, compression and the AUTH secret file, under one name'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and not __fish_seen_subcommand_from add ls use show rm edit help" -f -a "ls" -d 'List the contexts; the one in use is marked with `*`'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and not __fish_seen_subcommand_from add ls use show rm edit help" -f -a "use" -d 'Select the context every command uses (unless --context or NSQ_CONTEXT names another)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and not __fish_seen_subcommand_from add ls use show rm edit help" -f -a "show" -d 'Print a context\'s settings (default: the one in use) as TOML, or JSON with --json'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and not __fish_seen_subcommand_from add ls use show rm edit help" -f -a "rm" -d 'Delete a context (and its selection, if it is the selected one)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and not __fish_seen_subcommand_from add ls use show rm edit help" -f -a "edit" -d 'Open a context\'s file in $VISUAL or $EDITOR (default vi); the edit is saved only if it is valid'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and not __fish_seen_subcommand_from add ls use show rm edit help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l lookupd-http-address -d 'nsqlookupd HTTP addresses, host:port or http(s)://host:port (repeatable)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l nsqd-tcp-address -d 'nsqd TCP addresses, host:port (repeatable)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l nsqd-http-address -d 'nsqd HTTP addresses, host:port or http(s)://host:port (repeatable)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l map-address -d 'Address rewrites, FROM=TO (repeatable; see --map-address of stats)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l tls-ca -d 'PEM CA certificate(s) trusted in addition to the system roots' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l tls-cert -d 'PEM client certificate (needs --tls-key)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l tls-key -d 'PEM private key of --tls-cert' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l tls-server-name -d 'Name the server certificate must carry' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l deflate -d 'Ask nsqd for deflate compression at LEVEL 1-9 (default 6)' -r
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l auth-secret-file -d 'File holding the AUTH secret (the file\'s path is stored, never the secret)' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l tls -d 'Upgrade nsqd connections to TLS'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l snappy -d 'Ask nsqd for snappy compression'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l from-env -d 'Take the addresses not given as flags from NSQD_TCP_ADDRESS, NSQD_HTTP_ADDRESS and NSQLOOKUPD_HTTP_ADDRESS (as `nsq-cli dev -- CMD` exports them)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -l force -d 'Replace the context if it exists'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from ls" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from ls" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from ls" -l json -d 'Print a JSON array of {"name", "selected", "file"}'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from ls" -l names -d 'Print the names only, one a line (for shell completion)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from ls" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from use" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from use" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from use" -l none -d 'Select no context (commands use flags, environment and defaults only)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from use" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from use" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from show" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from show" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from show" -l json -d 'Print JSON: {"name", "selected", "file", "settings"}'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from rm" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from rm" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from rm" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from edit" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from edit" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from edit" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from edit" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from edit" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "add" -d 'Save a context: the cluster\'s addresses, --map-address rules, TLS files, compression and the AUTH secret file, under one name'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List the contexts; the one in use is marked with `*`'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "use" -d 'Select the context every command uses (unless --context or NSQ_CONTEXT names another)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a context\'s settings (default: the one in use) as TOML, or JSON with --json'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Delete a context (and its selection, if it is the selected one)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "edit" -d 'Open a context\'s file in $VISUAL or $EDITOR (default vi); the edit is saved only if it is valid'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand context; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand completions" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand completions" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand completions" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand completions" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand completions" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand man" -l dir -d 'Write every page (nsq-cli.1, nsq-cli-publish.1, ...) into DIR, created if missing, and list them on stderr' -r -F
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand man" -l color -d 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand man" -l context -d 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)' -r -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand man" -s q -l quiet -d 'Print no progress or summaries on stderr (errors are still printed)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand man" -s v -l verbose -d 'Print more detail on stderr (repeat for more)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand man" -s h -l help -d 'Print help'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "dev" -d 'Run an embedded, in-memory NSQ broker for development and tests'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "publish" -d 'Publish messages to a topic (the tutorial\'s producer)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "tail" -d 'Consume messages from a topic/channel and print them (the tutorial\'s consumer)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "relay" -d 'Move messages from topics to a topic or another cluster, FINed only once the destination acknowledged them'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "lookup" -d 'Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "stats" -d 'Show depth, in-flight, requeue and timeout counts per topic and channel'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "topic" -d 'Create, delete, empty, pause or unpause a topic across the cluster'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "channel" -d 'Create, delete, empty, pause or unpause a channel across the cluster'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "node" -d 'Node operations: tombstone a topic on a node, drain a node, undrain it'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "check" -d 'Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "exporter" -d 'Serve Prometheus metrics of the whole cluster on /metrics'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "bench" -d 'Benchmark publishing and consuming against an nsqd (msg/s, MB/s, latency)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "context" -d 'Named sets of cluster settings (addresses, TLS, auth): add, ls, use, show, rm, edit'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "man" -d 'Print a man page (roff) on stdout, or write them all with --dir'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and not __fish_seen_subcommand_from dev publish tail relay lookup stats topic channel node check exporter bench context completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and __fish_seen_subcommand_from node" -f -a "tombstone" -d 'Tombstone TOPIC on NODE in every lookupd, so consumers stop finding it there'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and __fish_seen_subcommand_from node" -f -a "drain" -d 'Tombstone every topic of NODE in every lookupd; with --wait, wait until it holds no message'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and __fish_seen_subcommand_from node" -f -a "undrain" -d 'Show NODE\'s tombstones in every lookupd (nsqlookupd cannot lift them); with --wait, wait until they lapse'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and __fish_seen_subcommand_from bench" -f -a "pub" -d 'Publish only: MPUB batches, pipelined, over several connections'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and __fish_seen_subcommand_from bench" -f -a "sub" -d 'Consume only: FIN every message, over several connections'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "add" -d 'Save a context: the cluster\'s addresses, --map-address rules, TLS files, compression and the AUTH secret file, under one name'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "ls" -d 'List the contexts; the one in use is marked with `*`'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "use" -d 'Select the context every command uses (unless --context or NSQ_CONTEXT names another)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "show" -d 'Print a context\'s settings (default: the one in use) as TOML, or JSON with --json'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "rm" -d 'Delete a context (and its selection, if it is the selected one)'
complete -c nsq-cli -n "__fish_nsq_cli_using_subcommand help; and __fish_seen_subcommand_from context" -f -a "edit" -d 'Open a context\'s file in $VISUAL or $EDITOR (default vi); the edit is saved only if it is valid'

# Context names (nsq-cli context ls --names).
complete -c nsq-cli -n '__fish_seen_subcommand_from context; and __fish_seen_subcommand_from use show rm edit' -f -a '(command nsq-cli context ls --names 2>/dev/null)'
complete -c nsq-cli -n 'contains -- (commandline -opc)[-1] --context -context --to-context -to-context' -f -a '(command nsq-cli context ls --names 2>/dev/null)'
