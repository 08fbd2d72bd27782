
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
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand dev 'Run an embedded, in-memory NSQ broker for development and tests'
            cand publish 'Publish messages to a topic (the tutorial''s producer)'
            cand tail 'Consume messages from a topic/channel and print them (the tutorial''s consumer)'
            cand relay 'Move messages from topics to a topic or another cluster, FINed only once the destination acknowledged them'
            cand lookup 'Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes'
            cand stats 'Show depth, in-flight, requeue and timeout counts per topic and channel'
            cand topic 'Create, delete, empty, pause or unpause a topic across the cluster'
            cand channel 'Create, delete, empty, pause or unpause a channel across the cluster'
            cand node 'Node operations: tombstone a topic on a node, drain a node, undrain it'
            cand check 'Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)'
            cand exporter 'Serve Prometheus metrics of the whole cluster on /metrics'
            cand bench 'Benchmark publishing and consuming against an nsqd (msg/s, MB/s, latency)'
            cand context 'Named sets of cluster settings (addresses, TLS, auth): add, ls, use, show, rm, edit'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print a man page (roff) on stdout, or write them all with --dir'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nsq-cli;dev'= {
            cand --tcp-address '<addr>:<port> for nsqd''s TCP protocol (port 0 picks a free port)'
            cand --http-address '<addr>:<port> for nsqd''s HTTP API'
            cand --lookupd-http-address '<addr>:<port> for the nsqlookupd HTTP API describing the node(s)'
            cand --nodes 'How many nsqd nodes to run (node i: the ports of --tcp-address and --http-address + 2i)'
            cand --broadcast-address 'Address announced to clients through the lookupd API'
            cand --max-msg-size 'Maximum size of a single message in bytes'
            cand --max-body-size 'Maximum size of a single command body (MPUB, IDENTIFY) in bytes'
            cand --max-rdy-count 'Maximum RDY count for a client'
            cand --max-req-timeout 'Maximum requeue timeout (REQ, DPUB)'
            cand --msg-timeout 'Default time a message may be in flight before it is requeued'
            cand --max-msg-timeout 'Maximum msg_timeout a client may ask for in IDENTIFY'
            cand --tls-cert 'PEM certificate served to clients that ask for TLS in IDENTIFY'
            cand --tls-key 'PEM private key for --tls-cert'
            cand --tls-root-ca-file 'PEM CA certificates that client certificates must chain to (require-verify)'
            cand --tls-client-auth-policy 'Client certificates: "require" (any) or "require-verify" (checked against --tls-root-ca-file); implies --tls-required'
            cand --mem-queue-size 'Messages kept in memory per topic and per channel; beyond it they go to disk (in --data-path, or a temporary directory removed on exit), as nsqd'
            cand --data-path 'Directory for the queues beyond --mem-queue-size; on a clean stop (SIGTERM, Ctrl-C) every queued, deferred and in-flight message is saved there and restored by the next `nsq-cli dev --data-path` on it (one process at a time)'
            cand --auth-http-address 'Auth server asked on AUTH (GET /auth?remote_ip=&tls=&secret=), as nsqd; repeatable'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --tls-required 'Refuse every command but IDENTIFY on connections not upgraded to TLS'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nsq-cli;publish'= {
            cand --topic 'Topic to publish to'
            cand -m 'The message to publish (otherwise read from stdin or --file)'
            cand --message 'The message to publish (otherwise read from stdin or --file)'
            cand --nsqd-tcp-address 'nsqd TCP address; repeat to spread messages round-robin over several nodes'
            cand --addr 'nsqd TCP address; repeat to spread messages round-robin over several nodes'
            cand --nsqd-http-address 'nsqd HTTP address, used with --http; repeatable like --nsqd-tcp-address'
            cand -f 'Read messages from this file instead of stdin'
            cand --file 'Read messages from this file instead of stdin'
            cand -d 'Message separator in the input: any bytes, with escapes \n \r \t \0 \\ \xHH'
            cand --delimiter 'Message separator in the input: any bytes, with escapes \n \r \t \0 \\ \xHH'
            cand --input-format 'How the input gives messages: raw (split on --delimiter) or json (lines written by tail --json or --dead-letter: "body" or "body_base64" each)'
            cand --count 'Publish --message N times, expanding templates ({{Count}}, {{Time}}, ...)'
            cand --rate 'At most N messages per second'
            cand --defer 'Deliver the messages after this delay (DPUB), e.g. 30s, 5m; at most 1h (nsqd''s default --max-req-timeout)'
            cand --batch-size 'Most messages per MPUB (batches are also split to fit nsqd''s size limits)'
            cand --retry 'On a lost connection, reconnect up to N times and resend what was not acknowledged (at-least-once: a message may then arrive twice)'
            cand --connect-timeout 'Time allowed to connect to an nsqd over TCP, IDENTIFY included [default: 10s]'
            cand --http-timeout 'Time allowed for each HTTP request with --http [default: 10s]'
            cand --timeout 'Deprecated: sets both --connect-timeout and --http-timeout'
            cand --max-msg-size 'nsqd''s --max-msg-size, assumed when the server does not advertise it'
            cand --max-body-size 'nsqd''s --max-body-size (MPUB), assumed when the server does not advertise it'
            cand --tls-ca 'PEM CA certificate(s) trusted in addition to the system roots'
            cand --tls-cert 'PEM client certificate, for servers that require one (needs --tls-key)'
            cand --tls-key 'PEM private key of --tls-cert'
            cand --tls-server-name 'Name the server certificate must carry (default: the address''s host)'
            cand --deflate 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)'
            cand --auth-secret-file 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)'
            cand --heartbeat-interval 'Ask nsqd for a heartbeat every DURATION (default: nsqd''s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --all-nodes 'Send every message to every node (as to_nsq does) instead of round-robin'
            cand --http 'Publish through nsqd''s HTTP API (/pub, /mpub) instead of TCP'
            cand --whole 'Send all of the input as one message (binary-safe)'
            cand --json 'Print the summary as JSON on stdout'
            cand --tls 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)'
            cand --tls-insecure-skip-verify 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)'
            cand --snappy 'Ask nsqd for snappy compression'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nsq-cli;tail'= {
            cand --topic 'Topic to consume'
            cand --channel 'Channel to consume through (default: a random ephemeral channel)'
            cand --lookupd-http-address 'nsqlookupd HTTP address to discover nodes through (repeatable; default localhost:4161)'
            cand --addr 'nsqlookupd HTTP address to discover nodes through (repeatable; default localhost:4161)'
            cand --nsqd-tcp-address 'nsqd TCP address to connect to directly (repeatable)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --lookupd-poll-interval 'How often to ask nsqlookupd for nodes that appeared or went away'
            cand --max-in-flight 'Messages held at once, spread over the connections (default 200; with --exec, --concurrency)'
            cand -n 'Print (or, with --exec, handle successfully) exactly N messages, then exit 0'
            cand --count 'Print (or, with --exec, handle successfully) exactly N messages, then exit 0'
            cand --idle-timeout 'Exit 0 once no message arrived for this long (e.g. 5s); 1 if an nsqd or nsqlookupd is unreachable then'
            cand --format 'Output template: {body} {id} {attempts} {timestamp} {time} {topic} {channel} {node} ({nsqd} = {node})'
            cand --delimiter 'Written after each message instead of a newline (escapes: \n \r \t \0 \\ \xHH)'
            cand --exec 'Run CMD (through sh -c) per message, body on stdin; exit 0 FINs, non-zero requeues'
            cand --concurrency 'With --exec: commands run at once'
            cand --requeue-delay 'With --exec: requeue delay after a failure (default: attempts x 1s, at most 1m); at most 1h (nsqd''s default --max-req-timeout)'
            cand --max-attempts 'With --exec: give up on a message after N failed tries (log it, FIN it)'
            cand --dead-letter 'With --exec: append messages given up on to FILE, one JSON object per line'
            cand --dead-letter-topic 'With --exec: publish messages given up on to TOPIC on the nsqd they came from; FINed only once it acknowledged (requeued if the publish fails)'
            cand --tls-ca 'PEM CA certificate(s) trusted in addition to the system roots'
            cand --tls-cert 'PEM client certificate, for servers that require one (needs --tls-key)'
            cand --tls-key 'PEM private key of --tls-cert'
            cand --tls-server-name 'Name the server certificate must carry (default: the address''s host)'
            cand --deflate 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)'
            cand --auth-secret-file 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)'
            cand --heartbeat-interval 'Ask nsqd for a heartbeat every DURATION (default: nsqd''s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --create 'Create the topic and channel first (so no message published meanwhile is missed)'
            cand --json 'One JSON object per message: id, attempts, timestamp, topic, channel, node, body'
            cand --print-topic 'Print "TOPIC | " before each body, as nsq_tail does'
            cand --requeue 'Print and requeue instead of FIN, so the channel keeps its messages (peek)'
            cand --tls 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)'
            cand --tls-insecure-skip-verify 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)'
            cand --snappy 'Ask nsqd for snappy compression'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nsq-cli;relay'= {
            cand --topic 'Source topic (repeat for several; each is relayed through --channel)'
            cand --channel 'Channel to consume the source topics through (created if missing)'
            cand --lookupd-http-address 'nsqlookupd HTTP address to discover nodes through (repeatable; default localhost:4161)'
            cand --addr 'nsqlookupd HTTP address to discover nodes through (repeatable; default localhost:4161)'
            cand --nsqd-tcp-address 'nsqd TCP address to connect to directly (repeatable)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --lookupd-poll-interval 'How often to ask nsqlookupd for nodes that appeared or went away'
            cand --to-topic 'Destination topic; {topic} is replaced by the source topic''s name'
            cand --to-nsqd-tcp-address 'Destination nsqd TCP address (repeatable; messages go round-robin)'
            cand --to-lookupd-http-address 'Destination nsqlookupd HTTP address: publish to every nsqd it lists (repeatable)'
            cand --to-context 'The destination''s addresses, TLS, compression and secret file from a saved context (see `nsq-cli context`); --to-* flags given beat it'
            cand --connect-timeout 'Time allowed to connect to a destination nsqd, IDENTIFY included'
            cand --max-in-flight 'Messages held at once, spread over the source connections'
            cand --batch-size 'Most messages per MPUB to the destination'
            cand --rate 'At most N messages per second (over all source topics)'
            cand -n 'Relay exactly N messages (filtered ones do not count), then exit 0'
            cand --count 'Relay exactly N messages (filtered ones do not count), then exit 0'
            cand --idle-timeout 'Drain mode: exit 0 once no message arrived for this long (e.g. 5s); 1 if a source nsqd or nsqlookupd is unreachable then'
            cand --filter 'Relay only messages whose body matches this regular expression'
            cand --json-field 'Relay only JSON messages whose field PATH (dots between keys) equals VALUE (repeatable: all must hold); VALUE is JSON if it parses as JSON (42, true, null, "42"), else a string'
            cand --tls-ca 'PEM CA certificate(s) trusted in addition to the system roots'
            cand --tls-cert 'PEM client certificate, for servers that require one (needs --tls-key)'
            cand --tls-key 'PEM private key of --tls-cert'
            cand --tls-server-name 'Name the server certificate must carry (default: the address''s host)'
            cand --deflate 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)'
            cand --auth-secret-file 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)'
            cand --heartbeat-interval 'Ask nsqd for a heartbeat every DURATION (default: nsqd''s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)'
            cand --to-tls-ca 'PEM CA certificate(s) trusted for the destination, besides the system roots'
            cand --to-tls-cert 'PEM client certificate for the destination (needs --to-tls-key)'
            cand --to-tls-key 'PEM private key of --to-tls-cert'
            cand --to-tls-server-name 'Name the destination''s certificate must carry (default: the address''s host)'
            cand --to-deflate 'Ask the destination nsqd for deflate compression, at LEVEL 1-9 (default 6)'
            cand --to-auth-secret-file 'File holding the destination''s AUTH secret (default: the NSQ_TO_AUTH_SECRET environment variable)'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --json 'Print the summary as JSON on stdout'
            cand --tls 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)'
            cand --tls-insecure-skip-verify 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)'
            cand --snappy 'Ask nsqd for snappy compression'
            cand --to-tls 'Upgrade destination connections to TLS (implied by the other --to-tls-* flags)'
            cand --to-tls-insecure-skip-verify 'Accept any destination certificate (for testing only)'
            cand --to-snappy 'Ask the destination nsqd for snappy compression'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nsq-cli;lookup'= {
            cand --topic 'Topic to look up (with --channels: the topic whose channels to list)'
            cand --lookupd-http-address 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable)'
            cand --addr 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --topics 'List every topic'
            cand --channels 'List the channels of -topic'
            cand --nodes 'List every nsqd node, with its topics and tombstones'
            cand --json 'Print JSON'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nsq-cli;stats'= {
            cand --topic 'Only this topic'
            cand --channel 'Only this channel (of --topic)'
            cand --watch 'Redraw every INTERVAL (default 2s, at least 100ms) until interrupted'
            cand --sample 'Interval over which the rate is measured in one-shot mode (0 skips the rate)'
            cand --format 'Output format: table, json, or prometheus (the exporter''s metrics, once)'
            cand --lookupd-http-address 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --addr 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --nsqd-http-address 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --per-node 'Show each nsqd''s numbers under the totals'
            cand --json 'Print JSON (with --watch: one JSON document per line); same as --format json'
            cand --clients 'One row per connected client (consumers of each channel, producers of each topic)'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nsq-cli;topic'= {
            cand --lookupd-http-address 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --addr 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --nsqd-http-address 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand -y 'Do not ask for confirmation of delete / empty (required when stdin is not a terminal)'
            cand --yes 'Do not ask for confirmation of delete / empty (required when stdin is not a terminal)'
            cand --json 'Print the result per node as JSON'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nsq-cli;channel'= {
            cand --lookupd-http-address 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --addr 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --nsqd-http-address 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand -y 'Do not ask for confirmation of delete / empty (required when stdin is not a terminal)'
            cand --yes 'Do not ask for confirmation of delete / empty (required when stdin is not a terminal)'
            cand --json 'Print the result per node as JSON'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nsq-cli;node'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand tombstone 'Tombstone TOPIC on NODE in every lookupd, so consumers stop finding it there'
            cand drain 'Tombstone every topic of NODE in every lookupd; with --wait, wait until it holds no message'
            cand undrain 'Show NODE''s tombstones in every lookupd (nsqlookupd cannot lift them); with --wait, wait until they lapse'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nsq-cli;node;tombstone'= {
            cand --lookupd-http-address 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --addr 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --nsqd-http-address 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --json 'Print the result per lookupd as JSON'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;node;drain'= {
            cand --timeout 'With --wait: give up after DURATION (exit 1, naming what is left)'
            cand --lookupd-http-address 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --addr 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --nsqd-http-address 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --wait 'Wait until done (drain: NODE holds no message; undrain: no tombstone left), with progress on a terminal'
            cand --json 'Print the result as JSON'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nsq-cli;node;undrain'= {
            cand --timeout 'With --wait: give up after DURATION (exit 1, naming what is left)'
            cand --lookupd-http-address 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --addr 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --nsqd-http-address 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --wait 'Wait until done (drain: NODE holds no message; undrain: no tombstone left), with progress on a terminal'
            cand --json 'Print the result as JSON'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nsq-cli;node;help'= {
            cand tombstone 'Tombstone TOPIC on NODE in every lookupd, so consumers stop finding it there'
            cand drain 'Tombstone every topic of NODE in every lookupd; with --wait, wait until it holds no message'
            cand undrain 'Show NODE''s tombstones in every lookupd (nsqlookupd cannot lift them); with --wait, wait until they lapse'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nsq-cli;node;help;tombstone'= {
        }
        &'nsq-cli;node;help;drain'= {
        }
        &'nsq-cli;node;help;undrain'= {
        }
        &'nsq-cli;node;help;help'= {
        }
        &'nsq-cli;check'= {
            cand --topic 'Topic the thresholds apply to'
            cand --channel 'Only this channel of --topic (default: the topic and each of its channels)'
            cand --max-depth 'Fail (exit 1) when a depth exceeds N'
            cand --max-in-flight 'Fail (exit 1) when a channel''s in-flight count exceeds N'
            cand --max-timeouts 'Fail (exit 1) when a channel''s timed-out count exceeds N'
            cand --min-nodes 'Fail (exit 1) when fewer than N nsqd nodes are registered with the lookupds'
            cand --grace 'With --orphans: fail only channels that had no client and had finished no message at two looks (/stats) DURATION apart (default 0: one look, now)'
            cand --max-requeues 'Fail (exit 1) when a channel''s requeue count on a node exceeds N (counted since the channel was created on that nsqd; with --grace, the requeues between the two looks)'
            cand --max-deferred 'Fail (exit 1) when a channel''s deferred count on a node exceeds N'
            cand --lookupd-http-address 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --addr 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --nsqd-http-address 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --orphans 'Fail (exit 1) for each channel, on each node, that holds messages and has no client'
            cand --json 'Print JSON'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nsq-cli;exporter'= {
            cand --listen 'Address to serve /metrics on, IP:PORT (port 0 picks a free one)'
            cand --lookupd-http-address 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --addr 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --nsqd-http-address 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nsq-cli;bench'= {
            cand --nsqd-tcp-address 'nsqd TCP address'
            cand --addr 'nsqd TCP address'
            cand --nsqd-http-address 'nsqd HTTP address (to create and delete the throwaway topic)'
            cand --lookupd-http-address 'nsqlookupd HTTP addresses to remove the throwaway topic from (repeatable)'
            cand --topic 'Topic (default: a throwaway bench_<random> topic for `bench`, `bench` for pub/sub)'
            cand --channel 'Channel for consuming'
            cand -n 'Number of messages (unless --duration is given)'
            cand --count 'Number of messages (unless --duration is given)'
            cand --duration 'Run for this long instead of a count (e.g. 10s)'
            cand --size 'Message body size in bytes'
            cand --connections 'Connections (default: one per core)'
            cand --batch-size 'Messages per MPUB when publishing'
            cand --max-in-flight 'RDY count in total, spread over the consuming connections'
            cand --csv 'Append the results as CSV rows to FILE (with a header if the file is new)'
            cand --tls-ca 'PEM CA certificate(s) trusted in addition to the system roots'
            cand --tls-cert 'PEM client certificate, for servers that require one (needs --tls-key)'
            cand --tls-key 'PEM private key of --tls-cert'
            cand --tls-server-name 'Name the server certificate must carry (default: the address''s host)'
            cand --deflate 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)'
            cand --auth-secret-file 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)'
            cand --heartbeat-interval 'Ask nsqd for a heartbeat every DURATION (default: nsqd''s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --json 'Print the results as one JSON object on stdout'
            cand --tls 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)'
            cand --tls-insecure-skip-verify 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)'
            cand --snappy 'Ask nsqd for snappy compression'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand pub 'Publish only: MPUB batches, pipelined, over several connections'
            cand sub 'Consume only: FIN every message, over several connections'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nsq-cli;bench;pub'= {
            cand --nsqd-tcp-address 'nsqd TCP address'
            cand --addr 'nsqd TCP address'
            cand --nsqd-http-address 'nsqd HTTP address (to create and delete the throwaway topic)'
            cand --lookupd-http-address 'nsqlookupd HTTP addresses to remove the throwaway topic from (repeatable)'
            cand --topic 'Topic (default: a throwaway bench_<random> topic for `bench`, `bench` for pub/sub)'
            cand --channel 'Channel for consuming'
            cand -n 'Number of messages (unless --duration is given)'
            cand --count 'Number of messages (unless --duration is given)'
            cand --duration 'Run for this long instead of a count (e.g. 10s)'
            cand --size 'Message body size in bytes'
            cand --connections 'Connections (default: one per core)'
            cand --batch-size 'Messages per MPUB when publishing'
            cand --max-in-flight 'RDY count in total, spread over the consuming connections'
            cand --csv 'Append the results as CSV rows to FILE (with a header if the file is new)'
            cand --tls-ca 'PEM CA certificate(s) trusted in addition to the system roots'
            cand --tls-cert 'PEM client certificate, for servers that require one (needs --tls-key)'
            cand --tls-key 'PEM private key of --tls-cert'
            cand --tls-server-name 'Name the server certificate must carry (default: the address''s host)'
            cand --deflate 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)'
            cand --auth-secret-file 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)'
            cand --heartbeat-interval 'Ask nsqd for a heartbeat every DURATION (default: nsqd''s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --json 'Print the results as one JSON object on stdout'
            cand --tls 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)'
            cand --tls-insecure-skip-verify 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)'
            cand --snappy 'Ask nsqd for snappy compression'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;bench;sub'= {
            cand --nsqd-tcp-address 'nsqd TCP address'
            cand --addr 'nsqd TCP address'
            cand --nsqd-http-address 'nsqd HTTP address (to create and delete the throwaway topic)'
            cand --lookupd-http-address 'nsqlookupd HTTP addresses to remove the throwaway topic from (repeatable)'
            cand --topic 'Topic (default: a throwaway bench_<random> topic for `bench`, `bench` for pub/sub)'
            cand --channel 'Channel for consuming'
            cand -n 'Number of messages (unless --duration is given)'
            cand --count 'Number of messages (unless --duration is given)'
            cand --duration 'Run for this long instead of a count (e.g. 10s)'
            cand --size 'Message body size in bytes'
            cand --connections 'Connections (default: one per core)'
            cand --batch-size 'Messages per MPUB when publishing'
            cand --max-in-flight 'RDY count in total, spread over the consuming connections'
            cand --csv 'Append the results as CSV rows to FILE (with a header if the file is new)'
            cand --tls-ca 'PEM CA certificate(s) trusted in addition to the system roots'
            cand --tls-cert 'PEM client certificate, for servers that require one (needs --tls-key)'
            cand --tls-key 'PEM private key of --tls-cert'
            cand --tls-server-name 'Name the server certificate must carry (default: the address''s host)'
            cand --deflate 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)'
            cand --auth-secret-file 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)'
            cand --heartbeat-interval 'Ask nsqd for a heartbeat every DURATION (default: nsqd''s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --json 'Print the results as one JSON object on stdout'
            cand --tls 'Upgrade connections to TLS; the server certificate is verified against the system roots and --tls-ca (implied by the other --tls-* flags)'
            cand --tls-insecure-skip-verify 'Accept any server certificate (for testing only: anyone on the path can read and change the traffic)'
            cand --snappy 'Ask nsqd for snappy compression'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;bench;help'= {
            cand pub 'Publish only: MPUB batches, pipelined, over several connections'
            cand sub 'Consume only: FIN every message, over several connections'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nsq-cli;bench;help;pub'= {
        }
        &'nsq-cli;bench;help;sub'= {
        }
        &'nsq-cli;bench;help;help'= {
        }
        &'nsq-cli;context'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Save a context: the cluster''s addresses, --map-address rules, TLS files, compression and the AUTH secret file, under one name'
            cand ls 'List the contexts; the one in use is marked with `*`'
            cand use 'Select the context every command uses (unless --context or NSQ_CONTEXT names another)'
            cand show 'Print a context''s settings (default: the one in use) as TOML, or JSON with --json'
            cand rm 'Delete a context (and its selection, if it is the selected one)'
            cand edit 'Open a context''s file in $VISUAL or $EDITOR (default vi); the edit is saved only if it is valid'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nsq-cli;context;add'= {
            cand --lookupd-http-address 'nsqlookupd HTTP addresses, host:port or http(s)://host:port (repeatable)'
            cand --nsqd-tcp-address 'nsqd TCP addresses, host:port (repeatable)'
            cand --nsqd-http-address 'nsqd HTTP addresses, host:port or http(s)://host:port (repeatable)'
            cand --map-address 'Address rewrites, FROM=TO (repeatable; see --map-address of stats)'
            cand --tls-ca 'PEM CA certificate(s) trusted in addition to the system roots'
            cand --tls-cert 'PEM client certificate (needs --tls-key)'
            cand --tls-key 'PEM private key of --tls-cert'
            cand --tls-server-name 'Name the server certificate must carry'
            cand --deflate 'Ask nsqd for deflate compression at LEVEL 1-9 (default 6)'
            cand --auth-secret-file 'File holding the AUTH secret (the file''s path is stored, never the secret)'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --tls 'Upgrade nsqd connections to TLS'
            cand --snappy 'Ask nsqd for snappy compression'
            cand --from-env 'Take the addresses not given as flags from NSQD_TCP_ADDRESS, NSQD_HTTP_ADDRESS and NSQLOOKUPD_HTTP_ADDRESS (as `nsq-cli dev -- CMD` exports them)'
            cand --force 'Replace the context if it exists'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;context;ls'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --json 'Print a JSON array of {"name", "selected", "file"}'
            cand --names 'Print the names only, one a line (for shell completion)'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;context;use'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --none 'Select no context (commands use flags, environment and defaults only)'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;context;show'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand --json 'Print JSON: {"name", "selected", "file", "settings"}'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;context;rm'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;context;edit'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;context;help'= {
            cand add 'Save a context: the cluster''s addresses, --map-address rules, TLS files, compression and the AUTH secret file, under one name'
            cand ls 'List the contexts; the one in use is marked with `*`'
            cand use 'Select the context every command uses (unless --context or NSQ_CONTEXT names another)'
            cand show 'Print a context''s settings (default: the one in use) as TOML, or JSON with --json'
            cand rm 'Delete a context (and its selection, if it is the selected one)'
            cand edit 'Open a context''s file in $VISUAL or $EDITOR (default vi); the edit is saved only if it is valid'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nsq-cli;context;help;add'= {
        }
        &'nsq-cli;context;help;ls'= {
        }
        &'nsq-cli;context;help;use'= {
        }
        &'nsq-cli;context;help;show'= {
        }
        &'nsq-cli;context;help;rm'= {
        }
        &'nsq-cli;context;help;edit'= {
        }
        &'nsq-cli;context;help;help'= {
        }
        &'nsq-cli;completions'= {
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;man'= {
            cand --dir 'Write every page (nsq-cli.1, nsq-cli-publish.1, ...) into DIR, created if missing, and list them on stderr'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --context 'Take the flags not given from context CONTEXT (see `nsq-cli context`; default: the selected one)'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'nsq-cli;help'= {
            cand dev 'Run an embedded, in-memory NSQ broker for development and tests'
            cand publish 'Publish messages to a topic (the tutorial''s producer)'
            cand tail 'Consume messages from a topic/channel and print them (the tutorial''s consumer)'
            cand relay 'Move messages from topics to a topic or another cluster, FINed only once the destination acknowledged them'
            cand lookup 'Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes'
            cand stats 'Show depth, in-flight, requeue and timeout counts per topic and channel'
            cand topic 'Create, delete, empty, pause or unpause a topic across the cluster'
            cand channel 'Create, delete, empty, pause or unpause a channel across the cluster'
            cand node 'Node operations: tombstone a topic on a node, drain a node, undrain it'
            cand check 'Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)'
            cand exporter 'Serve Prometheus metrics of the whole cluster on /metrics'
            cand bench 'Benchmark publishing and consuming against an nsqd (msg/s, MB/s, latency)'
            cand context 'Named sets of cluster settings (addresses, TLS, auth): add, ls, use, show, rm, edit'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print a man page (roff) on stdout, or write them all with --dir'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'nsq-cli;help;dev'= {
        }
        &'nsq-cli;help;publish'= {
        }
        &'nsq-cli;help;tail'= {
        }
        &'nsq-cli;help;relay'= {
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
            cand tombstone 'Tombstone TOPIC on NODE in every lookupd, so consumers stop finding it there'
            cand drain 'Tombstone every topic of NODE in every lookupd; with --wait, wait until it holds no message'
            cand undrain 'Show NODE''s tombstones in every lookupd (nsqlookupd cannot lift them); with --wait, wait until they lapse'
        }
        &'nsq-cli;help;node;tombstone'= {
        }
        &'nsq-cli;help;node;drain'= {
        }
        &'nsq-cli;help;node;undrain'= {
        }
        &'nsq-cli;help;check'= {
        }
        &'nsq-cli;help;exporter'= {
        }
        &'nsq-cli;help;bench'= {
            cand pub 'Publish only: MPUB batches, pipelined, over several connections'
            cand sub 'Consume only: FIN every message, over several connections'
        }
        &'nsq-cli;help;bench;pub'= {
        }
        &'nsq-cli;help;bench;sub'= {
        }
        &'nsq-cli;help;context'= {
            cand add 'Save a context: the cluster''s addresses, --map-address rules, TLS files, compression and the AUTH secret file, under one name'
            cand ls 'List the contexts; the one in use is marked with `*`'
            cand use 'Select the context every command uses (unless --context or NSQ_CONTEXT names another)'
            cand show 'Print a context''s settings (default: the one in use) as TOML, or JSON with --json'
            cand rm 'Delete a context (and its selection, if it is the selected one)'
            cand edit 'Open a context''s file in $VISUAL or $EDITOR (default vi); the edit is saved only if it is valid'
        }
        &'nsq-cli;help;context;add'= {
        }
        &'nsq-cli;help;context;ls'= {
        }
        &'nsq-cli;help;context;use'= {
        }
        &'nsq-cli;help;context;show'= {
        }
        &'nsq-cli;help;context;rm'= {
        }
        &'nsq-cli;help;context;edit'= {
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
