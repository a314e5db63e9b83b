/// How a `TCPSocket` connects and how long its operations may wait.
public struct TCPSocketOptions: Sendable, Hashable {
    /// How long to wait for each resolved address to accept the connection.
    public var connectTimeout: Duration = .seconds(10)
    /// How long one `receive` may wait for its bytes in total; nil waits forever.
    public var readTimeout: Duration? = .seconds(30)
    /// How long one `send` may wait for buffer space in total; nil waits forever.
    public var writeTimeout: Duration? = .seconds(30)
    /// Disables Nagle's algorithm (`TCP_NODELAY`); Kafka requests are latency-bound.
    public var noDelay: Bool = true
    /// TCP keepalive probes on idle connections (`SO_KEEPALIVE`, `socket.keepalive.enable`),
    /// so a peer that vanished without closing is noticed; off by default, as in librdkafka.
    public var keepAlive: Bool = false
    /// `SO_SNDBUF` in bytes; nil keeps the OS default (and its auto-tuning).
    public var sendBufferSize: Int? = nil
    /// `SO_RCVBUF` in bytes; nil keeps the OS default (and its auto-tuning).
    public var receiveBufferSize: Int? = nil

    /// The defaults: 10 s to connect, 30 s reads and writes, `TCP_NODELAY` on.
    public init() {}
}
