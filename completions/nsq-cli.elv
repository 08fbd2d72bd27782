
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
            cand dev 'Run an embedded, in-memory NSQ broker for development and tests'
            cand publish 'Publish messages to a topic (the tutorial''s producer)'
            cand tail 'Consume messages from a topic/channel and print them (the tutorial''s consumer)'
            cand lookup 'Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes'
            cand stats 'Show depth, in-flight, requeue and timeout counts per topic and channel'
            cand topic 'Create, delete, empty, pause or unpause a topic across the cluster'
            cand channel 'Create, delete, empty, pause or unpause a channel across the cluster'
            cand node 'Node operations (tombstone a topic on a node)'
            cand check 'Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)'
            cand bench 'Benchmark publishing and consuming against an nsqd (msg/s, MB/s, latency)'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand man 'Print a man page (roff) on stdout, or write them all with --dir'
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
            cand --tls-cert 'PEM certificate served to clients that ask for TLS in IDENTIFY'
            cand --tls-key 'PEM private key for --tls-cert'
            cand --tls-root-ca-file 'PEM CA certificates that client certificates must chain to (require-verify)'
            cand --tls-client-auth-policy 'Client certificates: "require" (any) or "require-verify" (checked against --tls-root-ca-file); implies --tls-required'
            cand --mem-queue-size 'Messages kept in memory per topic and per channel; beyond it they go to disk (in --data-path, or a temporary directory removed on exit), as nsqd'
            cand --data-path 'Directory for the queues beyond --mem-queue-size; on a clean stop (SIGTERM, Ctrl-C) every queued, deferred and in-flight message is saved there and restored by the next `nsq-cli dev --data-path` on it (one process at a time)'
            cand --auth-http-address 'Auth server asked on AUTH (GET /auth?remote_ip=&tls=&secret=), as nsqd; repeatable'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
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
            cand --idle-timeout 'Exit 0 once no message arrived for this long (e.g. 5s)'
            cand --format 'Output template: {body} {id} {attempts} {timestamp} {time} {topic} {channel} {node} ({nsqd} = {node})'
            cand --delimiter 'Written after each message instead of a newline (escapes: \n \r \t \0 \\ \xHH)'
            cand --exec 'Run CMD (through sh -c) per message, body on stdin; exit 0 FINs, non-zero requeues'
            cand --concurrency 'With --exec: commands run at once'
            cand --requeue-delay 'With --exec: requeue delay after a failure (default: attempts x 1s, at most 1m); at most 1h (nsqd''s default --max-req-timeout)'
            cand --max-attempts 'With --exec: give up on a message after N failed tries (log it, FIN it)'
            cand --dead-letter 'With --exec: append messages given up on to FILE, one JSON object per line'
            cand --tls-ca 'PEM CA certificate(s) trusted in addition to the system roots'
            cand --tls-cert 'PEM client certificate, for servers that require one (needs --tls-key)'
            cand --tls-key 'PEM private key of --tls-cert'
            cand --tls-server-name 'Name the server certificate must carry (default: the address''s host)'
            cand --deflate 'Ask nsqd for deflate compression, at LEVEL 1-9 (default 6; nsqd caps it at its --max-deflate-level)'
            cand --auth-secret-file 'File holding the AUTH secret, sent when nsqd requires authentication (default: the NSQ_AUTH_SECRET environment variable)'
            cand --heartbeat-interval 'Ask nsqd for a heartbeat every DURATION (default: nsqd''s, 30s); a connection silent for two intervals is dead and dropped. nsqd accepts 1s up to its --max-heartbeat-interval (60s by default)'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
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
        &'nsq-cli;lookup'= {
            cand --topic 'Topic to look up (with --channels: the topic whose channels to list)'
            cand --lookupd-http-address 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable)'
            cand --addr 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
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
            cand --lookupd-http-address 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --addr 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --nsqd-http-address 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --per-node 'Show each nsqd''s numbers under the totals'
            cand --json 'Print JSON (with --watch: one JSON document per line)'
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
            cand --lookupd-http-address 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --addr 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --nsqd-http-address 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Print the result per lookupd as JSON'
            cand -q 'Print no progress or summaries on stderr (errors are still printed)'
            cand --quiet 'Print no progress or summaries on stderr (errors are still printed)'
            cand -v 'Print more detail on stderr (repeat for more)'
            cand --verbose 'Print more detail on stderr (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'nsq-cli;check'= {
            cand --topic 'Topic the thresholds apply to'
            cand --channel 'Only this channel of --topic (default: the topic and each of its channels)'
            cand --max-depth 'Fail (exit 1) when a depth exceeds N'
            cand --max-in-flight 'Fail (exit 1) when a channel''s in-flight count exceeds N'
            cand --max-timeouts 'Fail (exit 1) when a channel''s timed-out count exceeds N'
            cand --lookupd-http-address 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --addr 'nsqlookupd HTTP address, host:port or http(s)://host:port (repeatable; default localhost:4161 unless --nsqd-http-address is given)'
            cand --nsqd-http-address 'nsqd HTTP address, host:port or http(s)://host:port (repeatable; used together with the nodes the lookupds know)'
            cand --map-address 'Rewrite an address announced by nsqlookupd, FROM=TO (repeatable): `nsqd=127.0.0.1` maps every port of host nsqd, `nsqd:4151=localhost:14151` one address'
            cand --http-timeout 'Timeout of each HTTP request'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --json 'Print JSON'
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
            cand --dir 'Write every page (nsq-cli.1, nsq-cli-publish.1, ...) into DIR, created if missing, and list them on stderr'
            cand --color 'When to use colours: auto (on a terminal, unless NO_COLOR is set), always, never'
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
            cand lookup 'Ask nsqlookupd which nsqd nodes hold a topic, and list topics, channels, nodes'
            cand stats 'Show depth, in-flight, requeue and timeout counts per topic and channel'
            cand topic 'Create, delete, empty, pause or unpause a topic across the cluster'
            cand channel 'Create, delete, empty, pause or unpause a channel across the cluster'
            cand node 'Node operations (tombstone a topic on a node)'
            cand check 'Health checks for CI and alerting (exit 0 healthy, 1 threshold crossed, 2 unreachable)'
            cand bench 'Benchmark publishing and consuming against an nsqd (msg/s, MB/s, latency)'
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
        &'nsq-cli;help;bench'= {
            cand pub 'Publish only: MPUB batches, pipelined, over several connections'
            cand sub 'Consume only: FIN every message, over several connections'
        }
        &'nsq-cli;help;bench;pub'= {
        }
        &'nsq-cli;help;bench;sub'= {
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
