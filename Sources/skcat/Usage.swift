/// The `-h` text.
enum Usage {
    static let text = """
    Usage: skcat <options> [file1 file2 .. | topic1 topic2 ..]
    kcat-compatible Kafka client on swift-kafka-native.

    Modes:
      -P                 Producer: records from stdin (one per line) or files
      -C                 Consumer
      -G <group>         High-level consumer in group <group>: topics follow the options
      -L                 Metadata list
      -Q                 Offsets for times: -t topic:partition:timestamp_ms (repeatable)
      msk-token          skcat msk-token --region R [--host H] [--time T]: MSK IAM payload and token
      admin              skcat admin topics|groups|configs ... (skcat admin --help)
      lineage            skcat lineage CORRELATION_ID [--topic T] [-J]: a flow's events, hops and latencies

    General:
      -b <brokers,..>    Bootstrap brokers (host:port,...)
      -t <topic>         Topic
      -p <partition>     Partition (consumer: default all)
      -X <prop=value>    Client property, librdkafka's (or Java's) name: acks, linger.ms,
                         enable.idempotence, group.id, security.protocol, sasl.*, ssl.*, ...
                         Unknown ones are an error. sasl.aws.region for MSK mechanisms.
      -X list            List the properties taken
      -X dump            Print the properties given and exit
      -X debug=...       Debug log, as -v
      -q                 Quiet: no informational messages on stderr
      -v                 Verbose: debug logs on stderr
      -h                 This help; -V the version

    Producer:
      -K <delim>         Key delimiter: key<delim>value
      -D <delim>         Record delimiter (default \\n)
      -H <name=value>    Header for every record (repeatable)
      -z <codec>         none, gzip, snappy, lz4, zstd
      -l                 Files: one record per line (default one per file)

    Consumer:
      -o <offset>        beginning (default), end, stored, N, -N (N before the end), s@<ms>
      -c <count>         Exit after <count> records
      -e                 Exit when every partition reached its end
      -f <format>        %t topic %p partition %o offset %k key %K key length %s value
                         %S value length %R value length as binary int32 %h headers
                         %T timestamp (ms) %% percent; \\n \\r \\t escapes
      -J                 JSON envelope per record (also for -L and -Q)
      -K <delim>         Print the key and <delim> before the value
      -D <delim>         Delimiter after each value (default \\n)

    Exit codes: 0 ok, 1 Kafka or runtime error, 2 usage error.
    """
}
