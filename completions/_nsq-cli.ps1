
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'nsq-cli' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'nsq-cli'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'nsq-cli' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('dev', 'dev', [CompletionResultType]::ParameterValue, 'Run an embedded, in-memory NSQ broker for development and tests')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Publish messages to a topic (the tutorial''s producer)')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Consume messages from a topic/channel and print them (the tutorial''s consumer)')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Move messages from topics to a topic or another cluster, FINed only once the destination acknowledged them')
            [CompletionResult]::new('lookup', 'lookup', [CompletionResultType]::ParameterValue, 'Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show depth, in-flight, requeue and timeout counts per topic and channel')
            [CompletionResult]::new('topic', 'topic', [CompletionResultType]::ParameterValue, 'Create, delete, empty, pause or unpause a topic across the cluster')
            [CompletionResult]::new('channel', 'channel', [CompletionResultType]::ParameterValue, 'Create, delete, empty, pause or unpause a channel across the cluster')
            [CompletionResult]::new('node', 'node', [CompletionResultType]::ParameterValue, 'Node operations: tombstone a topic on a node, drain a node, undrain it')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)')
            [CompletionResult]::new('exporter', 'exporter', [CompletionResultType]::ParameterValue, 'Serve Prometheus metrics of the whole cluster on /metrics')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Benchmark publishing and consuming against an nsqd (msg/s, MB/s, latency)')
            [CompletionResult]::new('context', 'context', [CompletionResultType]::ParameterValue, 'Named sets of cluster settings (addresses, TLS, auth): add, ls, use, show, rm, edit')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a man page (roff) on stdout, or write them all with --dir')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nsq-cli;dev' {
            [CompletionResult]::new('--tcp-address', '--tcp-address', [CompletionResultType]::ParameterName, '<addr>:<port> for nsqd''s TCP protocol (port 0 picks a free port)')
            [CompletionResult]::new('--http-address', '--http-address', [CompletionResultType]::ParameterName, '<addr>:<port> for nsqd''s HTTP API')
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, '<addr>:<port> for the nsqlookupd HTTP API describing the node(s)')
            [CompletionResult]::new('--nodes', '--nodes', [CompletionResultType]::ParameterName, 'How many nsqd nodes to run (node i: the ports of --tcp-address and --http-address + 2i)')
            [CompletionResult]::new('--broadcast-address', '--broadcast-address', [CompletionResultType]::ParameterName, 'Address announced to clients through the lookupd API')
            [CompletionResult]::new('--max-msg-size', '--max-msg-size', [CompletionResultType]::ParameterName, 'Maximum size of a single message in bytes')
            [CompletionResult]::new('--max-body-size', '--max-body-size', [CompletionResultType]::ParameterName, 'Maximum size of a single command body (MPUB, IDENTIFY) in bytes')
            [CompletionResult]::new('--max-rdy-count', '--max-rdy-count', [CompletionResultType]::ParameterName, 'Maximum RDY count for a client')
            [CompletionResult]::new('--max-req-timeout', '--max-req-timeout', [CompletionResultType]::ParameterName, 'Maximum requeue timeout (REQ, DPUB)')
            [CompletionResult]::new('--msg-timeout', '--msg-timeout', [CompletionResultType]::ParameterName, 'Default time a message may be in flight before it is requeued')
            [CompletionResult]::new('--max-msg-timeout', '--max-msg-timeout', [CompletionResultType]::ParameterName, 'Maximum msg_timeout a client may ask for in IDENTIFY')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'PEM certificate served to clients that ask for TLS in IDENTIFY')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'PEM private key for --tls-cert')
            [CompletionResult]::new('--tls-root-ca-file', '--tls-root-ca-file', [CompletionResultType]::ParameterName, 'PEM CA certificates that client certificates must chain to (require-verify)')
            [CompletionResult]::new('--tls-client-auth-policy', '--tls-client-auth-policy', [CompletionResultType]::ParameterName, 'Client certificates: "require" (any) or "require-verify" (checked against --tls-root-ca-file); implies --tls-required')
            [CompletionResult]::new('--mem-queue-size', '--mem-queue-size', [CompletionResultType]::ParameterName, 'Messages kept in memory per topic and per channel; beyond it they go to disk (in --data-path, or a temporary directory removed on exit), as nsqd')
            [CompletionResult]::new('--data-path', '--data-path', [CompletionResultType]::ParameterName, 'Directory for the queues beyond --mem-queue-size; on a clean stop (SIGTERM, Ctrl-C) every queued, deferred and in-flight message is saved there and restored by the next `nsq-cli dev --data-path` on it (one process at a time)')
            [CompletionResult]::new('--auth-http-address', '--auth-http-address', [CompletionResultType]::ParameterName, 'Auth server asked on AUTH (GET /auth?remote_ip=&tls=&secret=), as nsqd; repeatable')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--tls-required', '--tls-required', [CompletionResultType]::ParameterName, 'Refuse every command but IDENTIFY on connections not upgraded to TLS')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nsq-cli;publish' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic to publish to')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'The message to publish (otherwise read from stdin or --file)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'The message to publish (otherwise read from stdin or --file)')
            [CompletionResult]::new('--nsqd-tcp-address', '--nsqd-tcp-address', [CompletionResultType]::ParameterName, 'nsqd TCP address; repeat to spread messages round-robin over several nodes')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqd TCP address; repeat to spread messages round-robin over several nodes')
            [CompletionResult]::new('--nsqd-http-address', '--nsqd-http-address', [CompletionResultType]::ParameterName, 'nsqd HTTP address, used with --http; repeatable like --nsqd-tcp-address')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Read messages from this file instead of stdin')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Read messages from this file instead of stdin')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Message separator in the input: any bytes, with escapes \n \r \t \0 \\ \xHH')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Message separator in the input: any bytes, with escapes \n \r \t \0 \\ \xHH')
            [CompletionResult]::new('--input-format', '--input-format', [CompletionResultType]::ParameterName, 'How the input gives messages: raw (split on --delimiter) or json (lines written by tail --json or --dead-letter: "body" or "body_base64" each)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Publish --message N times, expanding templates ({{Count}}, {{Time}}, ...)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'At most N messages per second')
            [CompletionResult]::new('--defer', '--defer', [CompletionResultType]::ParameterName, 'Deliver the messages after this delay (DPUB), e.g. 30s, 5m; at most 1h (nsqd''s default --max-req-timeout)')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Most messages per MPUB (batches are also split to fit nsqd''s size limits)')
            [CompletionResult]::new('--retry', '--retry', [CompletionResultType]::ParameterName, 'On a lost connection, reconnect up to N times and resend what was not acknowledged (at-least-once: a message may then arrive twice)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time allowed to connect to an nsqd over TCP, IDENTIFY included [default: 10s]')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Time allowed for each HTTP request with --http [default: 10s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deprecated: sets both --connect-timeout and --http-timeout')
            [CompletionResult]::new('--max-msg-size', '--max-msg-size', [CompletionResultType]::ParameterName, 'nsqd''s --max-msg-size, assumed when the server does not advertise it')
            [CompletionResult]::new('--max-body-size', '--max-body-size', [CompletionResultType]::ParameterName, 'nsqd''s --max-body-size (MPUB), assumed when the server does not advertise it')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'PEM CA certificate(s) trusted in addition to the system roots')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'PEM client certificate, for servers that require one (needs --tls-key)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server certificate must carry (default: the address''s host)')
            [CompletionResult]::new('--deflate', '--deflate', [CompletionResultType]::ParameterName, 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)')
            [CompletionResult]::new('--auth-secret-file', '--auth-secret-file', [CompletionResultType]::ParameterName, 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)')
            [CompletionResult]::new('--heartbeat-interval', '--heartbeat-interval', [CompletionResultType]::ParameterName, 'Ask nsqd for a heartbeat every DURATION (default: nsqd''s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--all-nodes', '--all-nodes', [CompletionResultType]::ParameterName, 'Send every message to every node (as to_nsq does) instead of round-robin')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'Publish through nsqd''s HTTP API (/pub, /mpub) instead of TCP')
            [CompletionResult]::new('--whole', '--whole', [CompletionResultType]::ParameterName, 'Send all of the input as one message (binary-safe)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the summary as JSON on stdout')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)')
            [CompletionResult]::new('--tls-insecure-skip-verify', '--tls-insecure-skip-verify', [CompletionResultType]::ParameterName, 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)')
            [CompletionResult]::new('--snappy', '--snappy', [CompletionResultType]::ParameterName, 'Ask nsqd for snappy compression')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nsq-cli;tail' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic to consume')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Channel to consume through (default: a random ephemeral channel)')
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address to discover nodes through (repeatable; default localhost:4161)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address to discover nodes through (repeatable; default localhost:4161)')
            [CompletionResult]::new('--nsqd-tcp-address', '--nsqd-tcp-address', [CompletionResultType]::ParameterName, 'nsqd TCP address to connect to directly (repeatable)')
            [CompletionResult]::new('--map-address', '--map-address', [CompletionResultType]::ParameterName, 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request')
            [CompletionResult]::new('--lookupd-poll-interval', '--lookupd-poll-interval', [CompletionResultType]::ParameterName, 'How often to ask nsqlookupd for nodes that appeared or went away')
            [CompletionResult]::new('--max-in-flight', '--max-in-flight', [CompletionResultType]::ParameterName, 'Messages held at once, spread over the connections (default 200; with --exec, --concurrency)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Print (or, with --exec, handle successfully) exactly N messages, then exit 0')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Print (or, with --exec, handle successfully) exactly N messages, then exit 0')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Exit 0 once no message arrived for this long (e.g. 5s); 1 if an nsqd or nsqlookupd is unreachable then')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output template: {body} {id} {attempts} {timestamp} {time} {topic} {channel} {node} ({nsqd} = {node})')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'Written after each message instead of a newline (escapes: \n \r \t \0 \\ \xHH)')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Run CMD (through sh -c) per message, body on stdin; exit 0 FINs, non-zero requeues')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'With --exec: commands run at once')
            [CompletionResult]::new('--requeue-delay', '--requeue-delay', [CompletionResultType]::ParameterName, 'With --exec: requeue delay after a failure (default: attempts x 1s, at most 1m); at most 1h (nsqd''s default --max-req-timeout)')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'With --exec: give up on a message after N failed tries (log it, FIN it)')
            [CompletionResult]::new('--dead-letter', '--dead-letter', [CompletionResultType]::ParameterName, 'With --exec: append messages given up on to FILE, one JSON object per line')
            [CompletionResult]::new('--dead-letter-topic', '--dead-letter-topic', [CompletionResultType]::ParameterName, 'With --exec: publish messages given up on to TOPIC on the nsqd they came from; FINed only once it acknowledged (requeued if the publish fails)')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'PEM CA certificate(s) trusted in addition to the system roots')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'PEM client certificate, for servers that require one (needs --tls-key)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server certificate must carry (default: the address''s host)')
            [CompletionResult]::new('--deflate', '--deflate', [CompletionResultType]::ParameterName, 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)')
            [CompletionResult]::new('--auth-secret-file', '--auth-secret-file', [CompletionResultType]::ParameterName, 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)')
            [CompletionResult]::new('--heartbeat-interval', '--heartbeat-interval', [CompletionResultType]::ParameterName, 'Ask nsqd for a heartbeat every DURATION (default: nsqd''s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create the topic and channel first (so no message published meanwhile is missed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object per message: id, attempts, timestamp, topic, channel, node, body')
            [CompletionResult]::new('--print-topic', '--print-topic', [CompletionResultType]::ParameterName, 'Print "TOPIC | " before each body, as nsq_tail does')
            [CompletionResult]::new('--requeue', '--requeue', [CompletionResultType]::ParameterName, 'Print and requeue instead of FIN, so the channel keeps its messages (peek)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)')
            [CompletionResult]::new('--tls-insecure-skip-verify', '--tls-insecure-skip-verify', [CompletionResultType]::ParameterName, 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)')
            [CompletionResult]::new('--snappy', '--snappy', [CompletionResultType]::ParameterName, 'Ask nsqd for snappy compression')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nsq-cli;relay' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Source topic (repeat for several; each is relayed through --channel)')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Channel to consume the source topics through (created if missing)')
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address to discover nodes through (repeatable; default localhost:4161)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address to discover nodes through (repeatable; default localhost:4161)')
            [CompletionResult]::new('--nsqd-tcp-address', '--nsqd-tcp-address', [CompletionResultType]::ParameterName, 'nsqd TCP address to connect to directly (repeatable)')
            [CompletionResult]::new('--map-address', '--map-address', [CompletionResultType]::ParameterName, 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request')
            [CompletionResult]::new('--lookupd-poll-interval', '--lookupd-poll-interval', [CompletionResultType]::ParameterName, 'How often to ask nsqlookupd for nodes that appeared or went away')
            [CompletionResult]::new('--to-topic', '--to-topic', [CompletionResultType]::ParameterName, 'Destination topic; {topic} is replaced by the source topic''s name')
            [CompletionResult]::new('--to-nsqd-tcp-address', '--to-nsqd-tcp-address', [CompletionResultType]::ParameterName, 'Destination nsqd TCP address (repeatable; messages go round-robin)')
            [CompletionResult]::new('--to-lookupd-http-address', '--to-lookupd-http-address', [CompletionResultType]::ParameterName, 'Destination nsqlookupd HTTP address: publish to every nsqd it lists (repeatable)')
            [CompletionResult]::new('--to-context', '--to-context', [CompletionResultType]::ParameterName, 'The destination''s addresses, TLS, compression and secret file from a saved context (see `nsq-cli context`); --to-* flags given beat it')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time allowed to connect to a destination nsqd, IDENTIFY included')
            [CompletionResult]::new('--max-in-flight', '--max-in-flight', [CompletionResultType]::ParameterName, 'Messages held at once, spread over the source connections')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Most messages per MPUB to the destination')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'At most N messages per second (over all source topics)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Relay exactly N messages (filtered ones do not count), then exit 0')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Relay exactly N messages (filtered ones do not count), then exit 0')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Drain mode: exit 0 once no message arrived for this long (e.g. 5s); 1 if a source nsqd or nsqlookupd is unreachable then')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Relay only messages whose body matches this regular expression')
            [CompletionResult]::new('--json-field', '--json-field', [CompletionResultType]::ParameterName, 'Relay only JSON messages whose field PATH (dots between keys) equals VALUE (repeatable: all must hold); VALUE is JSON if it parses as JSON (42, true, null, "42"), else a string')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'PEM CA certificate(s) trusted in addition to the system roots')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'PEM client certificate, for servers that require one (needs --tls-key)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server certificate must carry (default: the address''s host)')
            [CompletionResult]::new('--deflate', '--deflate', [CompletionResultType]::ParameterName, 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)')
            [CompletionResult]::new('--auth-secret-file', '--auth-secret-file', [CompletionResultType]::ParameterName, 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)')
            [CompletionResult]::new('--heartbeat-interval', '--heartbeat-interval', [CompletionResultType]::ParameterName, 'Ask nsqd for a heartbeat every DURATION (default: nsqd''s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)')
            [CompletionResult]::new('--to-tls-ca', '--to-tls-ca', [CompletionResultType]::ParameterName, 'PEM CA certificate(s) trusted for the destination, besides the system roots')
            [CompletionResult]::new('--to-tls-cert', '--to-tls-cert', [CompletionResultType]::ParameterName, 'PEM client certificate for the destination (needs --to-tls-key)')
            [CompletionResult]::new('--to-tls-key', '--to-tls-key', [CompletionResultType]::ParameterName, 'PEM private key of --to-tls-cert')
            [CompletionResult]::new('--to-tls-server-name', '--to-tls-server-name', [CompletionResultType]::ParameterName, 'Name the destination''s certificate must carry (default: the address''s host)')
            [CompletionResult]::new('--to-deflate', '--to-deflate', [CompletionResultType]::ParameterName, 'Ask the destination nsqd for deflate compression, at LEVEL 1-9 (default 6)')
            [CompletionResult]::new('--to-auth-secret-file', '--to-auth-secret-file', [CompletionResultType]::ParameterName, 'File holding the destination''s AUTH secret (default: the NSQ_TO_AUTH_SECRET environment variable)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the summary as JSON on stdout')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)')
            [CompletionResult]::new('--tls-insecure-skip-verify', '--tls-insecure-skip-verify', [CompletionResultType]::ParameterName, 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)')
            [CompletionResult]::new('--snappy', '--snappy', [CompletionResultType]::ParameterName, 'Ask nsqd for snappy compression')
            [CompletionResult]::new('--to-tls', '--to-tls', [CompletionResultType]::ParameterName, 'Upgrade destination connections to TLS (implied by the other --to-tls-* flags)')
            [CompletionResult]::new('--to-tls-insecure-skip-verify', '--to-tls-insecure-skip-verify', [CompletionResultType]::ParameterName, 'Accept any destination certificate (for testing only)')
            [CompletionResult]::new('--to-snappy', '--to-snappy', [CompletionResultType]::ParameterName, 'Ask the destination nsqd for snappy compression')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nsq-cli;lookup' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic to look up (with --channels: the topic whose channels to list)')
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable)')
            [CompletionResult]::new('--map-address', '--map-address', [CompletionResultType]::ParameterName, 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--topics', '--topics', [CompletionResultType]::ParameterName, 'List every topic')
            [CompletionResult]::new('--channels', '--channels', [CompletionResultType]::ParameterName, 'List the channels of -topic')
            [CompletionResult]::new('--nodes', '--nodes', [CompletionResultType]::ParameterName, 'List every nsqd node, with its topics and tombstones')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nsq-cli;stats' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Only this topic')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Only this channel (of --topic)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Redraw every INTERVAL (default 2s, at least 100ms) until interrupted')
            [CompletionResult]::new('--sample', '--sample', [CompletionResultType]::ParameterName, 'Interval over which the rate is measured in one-shot mode (0 skips the rate)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: table, json, or prometheus (the exporter''s metrics, once)')
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--nsqd-http-address', '--nsqd-http-address', [CompletionResultType]::ParameterName, 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)')
            [CompletionResult]::new('--map-address', '--map-address', [CompletionResultType]::ParameterName, 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--per-node', '--per-node', [CompletionResultType]::ParameterName, 'Show each nsqd''s numbers under the totals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (with --watch: one JSON document per line); same as --format json')
            [CompletionResult]::new('--clients', '--clients', [CompletionResultType]::ParameterName, 'One row per connected client (consumers of each channel, producers of each topic)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nsq-cli;topic' {
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--nsqd-http-address', '--nsqd-http-address', [CompletionResultType]::ParameterName, 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)')
            [CompletionResult]::new('--map-address', '--map-address', [CompletionResultType]::ParameterName, 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation of delete / empty (required when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation of delete / empty (required when stdin is not a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result per node as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nsq-cli;channel' {
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--nsqd-http-address', '--nsqd-http-address', [CompletionResultType]::ParameterName, 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)')
            [CompletionResult]::new('--map-address', '--map-address', [CompletionResultType]::ParameterName, 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation of delete / empty (required when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation of delete / empty (required when stdin is not a terminal)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result per node as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nsq-cli;node' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('tombstone', 'tombstone', [CompletionResultType]::ParameterValue, 'Tombstone TOPIC on NODE in every lookupd, so consumers stop finding it there')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Tombstone every topic of NODE in every lookupd; with --wait, wait until it holds no message')
            [CompletionResult]::new('undrain', 'undrain', [CompletionResultType]::ParameterValue, 'Show NODE''s tombstones in every lookupd (nsqlookupd cannot lift them); with --wait, wait until they lapse')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nsq-cli;node;tombstone' {
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--nsqd-http-address', '--nsqd-http-address', [CompletionResultType]::ParameterName, 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)')
            [CompletionResult]::new('--map-address', '--map-address', [CompletionResultType]::ParameterName, 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result per lookupd as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nsq-cli;node;drain' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --wait: give up after DURATION (exit 1, naming what is left)')
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--nsqd-http-address', '--nsqd-http-address', [CompletionResultType]::ParameterName, 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)')
            [CompletionResult]::new('--map-address', '--map-address', [CompletionResultType]::ParameterName, 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until done (drain: NODE holds no message; undrain: no tombstone left), with progress on a terminal')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nsq-cli;node;undrain' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --wait: give up after DURATION (exit 1, naming what is left)')
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--nsqd-http-address', '--nsqd-http-address', [CompletionResultType]::ParameterName, 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)')
            [CompletionResult]::new('--map-address', '--map-address', [CompletionResultType]::ParameterName, 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until done (drain: NODE holds no message; undrain: no tombstone left), with progress on a terminal')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the result as JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nsq-cli;node;help' {
            [CompletionResult]::new('tombstone', 'tombstone', [CompletionResultType]::ParameterValue, 'Tombstone TOPIC on NODE in every lookupd, so consumers stop finding it there')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Tombstone every topic of NODE in every lookupd; with --wait, wait until it holds no message')
            [CompletionResult]::new('undrain', 'undrain', [CompletionResultType]::ParameterValue, 'Show NODE''s tombstones in every lookupd (nsqlookupd cannot lift them); with --wait, wait until they lapse')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nsq-cli;node;help;tombstone' {
            break
        }
        'nsq-cli;node;help;drain' {
            break
        }
        'nsq-cli;node;help;undrain' {
            break
        }
        'nsq-cli;node;help;help' {
            break
        }
        'nsq-cli;check' {
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic the thresholds apply to')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Only this channel of --topic (default: the topic and each of its channels)')
            [CompletionResult]::new('--max-depth', '--max-depth', [CompletionResultType]::ParameterName, 'Fail (exit 1) when a depth exceeds N')
            [CompletionResult]::new('--max-in-flight', '--max-in-flight', [CompletionResultType]::ParameterName, 'Fail (exit 1) when a channel''s in-flight count exceeds N')
            [CompletionResult]::new('--max-timeouts', '--max-timeouts', [CompletionResultType]::ParameterName, 'Fail (exit 1) when a channel''s timed-out count exceeds N')
            [CompletionResult]::new('--min-nodes', '--min-nodes', [CompletionResultType]::ParameterName, 'Fail (exit 1) when fewer than N nsqd nodes are registered with the lookupds')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'With --orphans: fail only channels that had no client and had finished no message at two looks (/stats) DURATION apart (default 0: one look, now)')
            [CompletionResult]::new('--max-requeues', '--max-requeues', [CompletionResultType]::ParameterName, 'Fail (exit 1) when a channel''s requeue count on a node exceeds N (counted since the channel was created on that nsqd; with --grace, the requeues between the two looks)')
            [CompletionResult]::new('--max-deferred', '--max-deferred', [CompletionResultType]::ParameterName, 'Fail (exit 1) when a channel''s deferred count on a node exceeds N')
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--nsqd-http-address', '--nsqd-http-address', [CompletionResultType]::ParameterName, 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)')
            [CompletionResult]::new('--map-address', '--map-address', [CompletionResultType]::ParameterName, 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--orphans', '--orphans', [CompletionResultType]::ParameterName, 'Fail (exit 1) for each channel, on each node, that holds messages and has no client')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nsq-cli;exporter' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to serve /metrics on, IP:PORT (port 0 picks a free one)')
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)')
            [CompletionResult]::new('--nsqd-http-address', '--nsqd-http-address', [CompletionResultType]::ParameterName, 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)')
            [CompletionResult]::new('--map-address', '--map-address', [CompletionResultType]::ParameterName, 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address')
            [CompletionResult]::new('--http-timeout', '--http-timeout', [CompletionResultType]::ParameterName, 'Timeout of each HTTP request')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'nsq-cli;bench' {
            [CompletionResult]::new('--nsqd-tcp-address', '--nsqd-tcp-address', [CompletionResultType]::ParameterName, 'nsqd TCP address')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqd TCP address')
            [CompletionResult]::new('--nsqd-http-address', '--nsqd-http-address', [CompletionResultType]::ParameterName, 'nsqd HTTP address (to create and delete the throwaway topic)')
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP addresses to remove the throwaway topic from (repeatable)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic (default: a throwaway bench_<random> topic for `bench`, `bench` for pub/sub)')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Channel for consuming')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Number of messages (unless --duration is given)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Number of messages (unless --duration is given)')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Run for this long instead of a count (e.g. 10s)')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Message body size in bytes')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Connections (default: one per core)')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Messages per MPUB when publishing')
            [CompletionResult]::new('--max-in-flight', '--max-in-flight', [CompletionResultType]::ParameterName, 'RDY count in total, spread over the consuming connections')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Append the results as CSV rows to FILE (with a header if the file is new)')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'PEM CA certificate(s) trusted in addition to the system roots')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'PEM client certificate, for servers that require one (needs --tls-key)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server certificate must carry (default: the address''s host)')
            [CompletionResult]::new('--deflate', '--deflate', [CompletionResultType]::ParameterName, 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)')
            [CompletionResult]::new('--auth-secret-file', '--auth-secret-file', [CompletionResultType]::ParameterName, 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)')
            [CompletionResult]::new('--heartbeat-interval', '--heartbeat-interval', [CompletionResultType]::ParameterName, 'Ask nsqd for a heartbeat every DURATION (default: nsqd''s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the results as one JSON object on stdout')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)')
            [CompletionResult]::new('--tls-insecure-skip-verify', '--tls-insecure-skip-verify', [CompletionResultType]::ParameterName, 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)')
            [CompletionResult]::new('--snappy', '--snappy', [CompletionResultType]::ParameterName, 'Ask nsqd for snappy compression')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('pub', 'pub', [CompletionResultType]::ParameterValue, 'Publish only: MPUB batches, pipelined, over several connections')
            [CompletionResult]::new('sub', 'sub', [CompletionResultType]::ParameterValue, 'Consume only: FIN every message, over several connections')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nsq-cli;bench;pub' {
            [CompletionResult]::new('--nsqd-tcp-address', '--nsqd-tcp-address', [CompletionResultType]::ParameterName, 'nsqd TCP address')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqd TCP address')
            [CompletionResult]::new('--nsqd-http-address', '--nsqd-http-address', [CompletionResultType]::ParameterName, 'nsqd HTTP address (to create and delete the throwaway topic)')
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP addresses to remove the throwaway topic from (repeatable)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic (default: a throwaway bench_<random> topic for `bench`, `bench` for pub/sub)')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Channel for consuming')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Number of messages (unless --duration is given)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Number of messages (unless --duration is given)')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Run for this long instead of a count (e.g. 10s)')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Message body size in bytes')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Connections (default: one per core)')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Messages per MPUB when publishing')
            [CompletionResult]::new('--max-in-flight', '--max-in-flight', [CompletionResultType]::ParameterName, 'RDY count in total, spread over the consuming connections')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Append the results as CSV rows to FILE (with a header if the file is new)')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'PEM CA certificate(s) trusted in addition to the system roots')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'PEM client certificate, for servers that require one (needs --tls-key)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server certificate must carry (default: the address''s host)')
            [CompletionResult]::new('--deflate', '--deflate', [CompletionResultType]::ParameterName, 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)')
            [CompletionResult]::new('--auth-secret-file', '--auth-secret-file', [CompletionResultType]::ParameterName, 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)')
            [CompletionResult]::new('--heartbeat-interval', '--heartbeat-interval', [CompletionResultType]::ParameterName, 'Ask nsqd for a heartbeat every DURATION (default: nsqd''s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the results as one JSON object on stdout')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)')
            [CompletionResult]::new('--tls-insecure-skip-verify', '--tls-insecure-skip-verify', [CompletionResultType]::ParameterName, 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)')
            [CompletionResult]::new('--snappy', '--snappy', [CompletionResultType]::ParameterName, 'Ask nsqd for snappy compression')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nsq-cli;bench;sub' {
            [CompletionResult]::new('--nsqd-tcp-address', '--nsqd-tcp-address', [CompletionResultType]::ParameterName, 'nsqd TCP address')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'nsqd TCP address')
            [CompletionResult]::new('--nsqd-http-address', '--nsqd-http-address', [CompletionResultType]::ParameterName, 'nsqd HTTP address (to create and delete the throwaway topic)')
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP addresses to remove the throwaway topic from (repeatable)')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic (default: a throwaway bench_<random> topic for `bench`, `bench` for pub/sub)')
            [CompletionResult]::new('--channel', '--channel', [CompletionResultType]::ParameterName, 'Channel for consuming')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Number of messages (unless --duration is given)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Number of messages (unless --duration is given)')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Run for this long instead of a count (e.g. 10s)')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Message body size in bytes')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Connections (default: one per core)')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Messages per MPUB when publishing')
            [CompletionResult]::new('--max-in-flight', '--max-in-flight', [CompletionResultType]::ParameterName, 'RDY count in total, spread over the consuming connections')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Append the results as CSV rows to FILE (with a header if the file is new)')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'PEM CA certificate(s) trusted in addition to the system roots')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'PEM client certificate, for servers that require one (needs --tls-key)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server certificate must carry (default: the address''s host)')
            [CompletionResult]::new('--deflate', '--deflate', [CompletionResultType]::ParameterName, 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)')
            [CompletionResult]::new('--auth-secret-file', '--auth-secret-file', [CompletionResultType]::ParameterName, 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)')
            [CompletionResult]::new('--heartbeat-interval', '--heartbeat-interval', [CompletionResultType]::ParameterName, 'Ask nsqd for a heartbeat every DURATION (default: nsqd''s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the results as one JSON object on stdout')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)')
            [CompletionResult]::new('--tls-insecure-skip-verify', '--tls-insecure-skip-verify', [CompletionResultType]::ParameterName, 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)')
            [CompletionResult]::new('--snappy', '--snappy', [CompletionResultType]::ParameterName, 'Ask nsqd for snappy compression')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nsq-cli;bench;help' {
            [CompletionResult]::new('pub', 'pub', [CompletionResultType]::ParameterValue, 'Publish only: MPUB batches, pipelined, over several connections')
            [CompletionResult]::new('sub', 'sub', [CompletionResultType]::ParameterValue, 'Consume only: FIN every message, over several connections')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nsq-cli;bench;help;pub' {
            break
        }
        'nsq-cli;bench;help;sub' {
            break
        }
        'nsq-cli;bench;help;help' {
            break
        }
        'nsq-cli;context' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Save a context: the cluster''s addresses, --map-address rules, TLS files, compression and the AUTH secret file, under one name')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the contexts; the one in use is marked with `*`')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Select the context every command uses (unless --context or NSQ_CONTEXT names another)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a context''s settings (default: the one in use) as TOML, or JSON with --json')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a context (and its selection, if it is the selected one)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Open a context''s file in $VISUAL or $EDITOR (default vi); the edit is saved only if it is valid')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nsq-cli;context;add' {
            [CompletionResult]::new('--lookupd-http-address', '--lookupd-http-address', [CompletionResultType]::ParameterName, 'nsqlookupd HTTP addresses, host:port or http(s)://host:port (repeatable)')
            [CompletionResult]::new('--nsqd-tcp-address', '--nsqd-tcp-address', [CompletionResultType]::ParameterName, 'nsqd TCP addresses, host:port (repeatable)')
            [CompletionResult]::new('--nsqd-http-address', '--nsqd-http-address', [CompletionResultType]::ParameterName, 'nsqd HTTP addresses, host:port or http(s)://host:port (repeatable)')
            [CompletionResult]::new('--map-address', '--map-address', [CompletionResultType]::ParameterName, 'Address rewrites, FROM=TO (repeatable; see --map-address of stats)')
            [CompletionResult]::new('--tls-ca', '--tls-ca', [CompletionResultType]::ParameterName, 'PEM CA certificate(s) trusted in addition to the system roots')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'PEM client certificate (needs --tls-key)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'PEM private key of --tls-cert')
            [CompletionResult]::new('--tls-server-name', '--tls-server-name', [CompletionResultType]::ParameterName, 'Name the server certificate must carry')
            [CompletionResult]::new('--deflate', '--deflate', [CompletionResultType]::ParameterName, 'Ask nsqd for deflate compression at LEVEL 1-9 (default 6)')
            [CompletionResult]::new('--auth-secret-file', '--auth-secret-file', [CompletionResultType]::ParameterName, 'File holding the AUTH secret (the file''s path is stored, never the secret)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Upgrade nsqd connections to TLS')
            [CompletionResult]::new('--snappy', '--snappy', [CompletionResultType]::ParameterName, 'Ask nsqd for snappy compression')
            [CompletionResult]::new('--from-env', '--from-env', [CompletionResultType]::ParameterName, 'Take the addresses not given as flags from NSQD_TCP_ADDRESS, NSQD_HTTP_ADDRESS and NSQLOOKUPD_HTTP_ADDRESS (as `nsq-cli dev -- CMD` exports them)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the context if it exists')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nsq-cli;context;ls' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON array of {"name", "selected", "file"}')
            [CompletionResult]::new('--names', '--names', [CompletionResultType]::ParameterName, 'Print the names only, one a line (for shell completion)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nsq-cli;context;use' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--none', '--none', [CompletionResultType]::ParameterName, 'Select no context (commands use flags, environment and defaults only)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nsq-cli;context;show' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: {"name", "selected", "file", "settings"}')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nsq-cli;context;rm' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nsq-cli;context;edit' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nsq-cli;context;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Save a context: the cluster''s addresses, --map-address rules, TLS files, compression and the AUTH secret file, under one name')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the contexts; the one in use is marked with `*`')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Select the context every command uses (unless --context or NSQ_CONTEXT names another)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a context''s settings (default: the one in use) as TOML, or JSON with --json')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a context (and its selection, if it is the selected one)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Open a context''s file in $VISUAL or $EDITOR (default vi); the edit is saved only if it is valid')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nsq-cli;context;help;add' {
            break
        }
        'nsq-cli;context;help;ls' {
            break
        }
        'nsq-cli;context;help;use' {
            break
        }
        'nsq-cli;context;help;show' {
            break
        }
        'nsq-cli;context;help;rm' {
            break
        }
        'nsq-cli;context;help;edit' {
            break
        }
        'nsq-cli;context;help;help' {
            break
        }
        'nsq-cli;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nsq-cli;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write every page (nsq-cli.1, nsq-cli-publish.1, ...) into DIR, created if missing, and list them on stderr')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print no progress or summaries on stderr (errors are still printed)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'nsq-cli;help' {
            [CompletionResult]::new('dev', 'dev', [CompletionResultType]::ParameterValue, 'Run an embedded, in-memory NSQ broker for development and tests')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Publish messages to a topic (the tutorial''s producer)')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Consume messages from a topic/channel and print them (the tutorial''s consumer)')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Move messages from topics to a topic or another cluster, FINed only once the destination acknowledged them')
            [CompletionResult]::new('lookup', 'lookup', [CompletionResultType]::ParameterValue, 'Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show depth, in-flight, requeue and timeout counts per topic and channel')
            [CompletionResult]::new('topic', 'topic', [CompletionResultType]::ParameterValue, 'Create, delete, empty, pause or unpause a topic across the cluster')
            [CompletionResult]::new('channel', 'channel', [CompletionResultType]::ParameterValue, 'Create, delete, empty, pause or unpause a channel across the cluster')
            [CompletionResult]::new('node', 'node', [CompletionResultType]::ParameterValue, 'Node operations: tombstone a topic on a node, drain a node, undrain it')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)')
            [CompletionResult]::new('exporter', 'exporter', [CompletionResultType]::ParameterValue, 'Serve Prometheus metrics of the whole cluster on /metrics')
            [CompletionResult]::new('bench', 'bench', [CompletionResultType]::ParameterValue, 'Benchmark publishing and consuming against an nsqd (msg/s, MB/s, latency)')
            [CompletionResult]::new('context', 'context', [CompletionResultType]::ParameterValue, 'Named sets of cluster settings (addresses, TLS, auth): add, ls, use, show, rm, edit')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a man page (roff) on stdout, or write them all with --dir')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'nsq-cli;help;dev' {
            break
        }
        'nsq-cli;help;publish' {
            break
        }
        'nsq-cli;help;tail' {
            break
        }
        'nsq-cli;help;relay' {
            break
        }
        'nsq-cli;help;lookup' {
            break
        }
        'nsq-cli;help;stats' {
            break
        }
        'nsq-cli;help;topic' {
            break
        }
        'nsq-cli;help;channel' {
            break
        }
        'nsq-cli;help;node' {
            [CompletionResult]::new('tombstone', 'tombstone', [CompletionResultType]::ParameterValue, 'Tombstone TOPIC on NODE in every lookupd, so consumers stop finding it there')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Tombstone every topic of NODE in every lookupd; with --wait, wait until it holds no message')
            [CompletionResult]::new('undrain', 'undrain', [CompletionResultType]::ParameterValue, 'Show NODE''s tombstones in every lookupd (nsqlookupd cannot lift them); with --wait, wait until they lapse')
            break
        }
        'nsq-cli;help;node;tombstone' {
            break
        }
        'nsq-cli;help;node;drain' {
            break
        }
        'nsq-cli;help;node;undrain' {
            break
        }
        'nsq-cli;help;check' {
            break
        }
        'nsq-cli;help;exporter' {
            break
        }
        'nsq-cli;help;bench' {
            [CompletionResult]::new('pub', 'pub', [CompletionResultType]::ParameterValue, 'Publish only: MPUB batches, pipelined, over several connections')
            [CompletionResult]::new('sub', 'sub', [CompletionResultType]::ParameterValue, 'Consume only: FIN every message, over several connections')
            break
        }
        'nsq-cli;help;bench;pub' {
            break
        }
        'nsq-cli;help;bench;sub' {
            break
        }
        'nsq-cli;help;context' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Save a context: the cluster''s addresses, --map-address rules, TLS files, compression and the AUTH secret file, under one name')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the contexts; the one in use is marked with `*`')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Select the context every command uses (unless --context or NSQ_CONTEXT names another)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a context''s settings (default: the one in use) as TOML, or JSON with --json')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Delete a context (and its selection, if it is the selected one)')
            [CompletionResult]::new('edit', 'edit', [CompletionResultType]::ParameterValue, 'Open a context''s file in $VISUAL or $EDITOR (default vi); the edit is saved only if it is valid')
            break
        }
        'nsq-cli;help;context;add' {
            break
        }
        'nsq-cli;help;context;ls' {
            break
        }
        'nsq-cli;help;context;use' {
            break
        }
        'nsq-cli;help;context;show' {
            break
        }
        'nsq-cli;help;context;rm' {
            break
        }
        'nsq-cli;help;context;edit' {
            break
        }
        'nsq-cli;help;completions' {
            break
        }
        'nsq-cli;help;man' {
            break
        }
        'nsq-cli;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
