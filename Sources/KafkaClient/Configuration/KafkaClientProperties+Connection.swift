/// Properties of the cluster and its connections, shared by both clients.
extension KafkaClientProperties {
    static let connectionDefinitions: [KafkaPropertyDefinition] = [
        KafkaPropertyDefinition("bootstrap.servers", "metadata.broker.list", scope: .both) { value, properties in
            let servers = value.list
            for server in servers {
                do throws(KafkaError) { _ = try KafkaCluster.parseServer(server) } catch { throw value.invalid("\(server) is not host:port") }
            }
            properties.clusters { $0.bootstrapServers = servers }
        },
        KafkaPropertyDefinition("client.id", scope: .both) { value, properties in
            properties.clusters { $0.connection.clientId = value.text }
        },
        KafkaPropertyDefinition("metadata.max.age.ms", scope: .both) { value, properties in
            let age = try value.milliseconds(in: 1...Int(Int32.max))
            properties.clusters { $0.metadataMaxAge = age }
        },
        KafkaPropertyDefinition("allow.auto.create.topics", scope: .both) { value, properties in
            let allowed = try value.bool()
            properties.clusters { $0.allowAutoTopicCreation = allowed }
        },
        KafkaPropertyDefinition("reconnect.backoff.ms", scope: .both) { value, properties in
            let base = try value.milliseconds(in: 0...3_600_000)
            properties.clusters { $0.reconnectBackoff = ReconnectBackoff(base: base, maximum: $0.reconnectBackoff.maximum, jitter: $0.reconnectBackoff.jitter) }
        },
        KafkaPropertyDefinition("reconnect.backoff.max.ms", scope: .both) { value, properties in
            let maximum = try value.milliseconds(in: 0...3_600_000)
            properties.clusters { $0.reconnectBackoff = ReconnectBackoff(base: $0.reconnectBackoff.base, maximum: maximum, jitter: $0.reconnectBackoff.jitter) }
        },
        // Java's request.timeout.ms bounds every request; librdkafka's bounds Produce
        // requests and socket.timeout.ms the others. One connection timeout serves both.
        KafkaPropertyDefinition("request.timeout.ms", scope: .both) { value, properties in
            let timeout = try value.milliseconds(in: 1...900_000)
            properties.clusters { $0.connection.requestTimeout = timeout }
            properties.producer.requestTimeout = timeout
        },
        KafkaPropertyDefinition("socket.timeout.ms", scope: .both) { value, properties in
            let timeout = try value.milliseconds(in: 10...300_000)
            properties.clusters { $0.connection.requestTimeout = timeout }
        },
        // librdkafka's covers connecting and the ApiVersions and SASL exchange after it.
        KafkaPropertyDefinition("socket.connection.setup.timeout.ms", scope: .both) { value, properties in
            let timeout = try value.milliseconds(in: 1000...Int(Int32.max))
            properties.clusters {
                $0.connection.socket.connectTimeout = timeout
                $0.connection.setupTimeout = timeout
            }
        },
        // 0 (librdkafka) and -1 (Java) keep the operating system's size and auto-tuning.
        KafkaPropertyDefinition("socket.send.buffer.bytes", "send.buffer.bytes", scope: .both) { value, properties in
            let size = try value.int(in: -1...100_000_000)
            properties.clusters { $0.connection.socket.sendBufferSize = size > 0 ? size : nil }
        },
        KafkaPropertyDefinition("socket.receive.buffer.bytes", "receive.buffer.bytes", scope: .both) { value, properties in
            let size = try value.int(in: -1...100_000_000)
            properties.clusters { $0.connection.socket.receiveBufferSize = size > 0 ? size : nil }
        },
        KafkaPropertyDefinition("socket.nagle.disable", scope: .both) { value, properties in
            let disabled = try value.bool()
            properties.clusters { $0.connection.socket.noDelay = disabled }
        },
        KafkaPropertyDefinition("socket.keepalive.enable", scope: .both) { value, properties in
            let enabled = try value.bool()
            properties.clusters { $0.connection.socket.keepAlive = enabled }
        },
        // 0 means never close an idle connection, as in librdkafka.
        KafkaPropertyDefinition("connections.max.idle.ms", scope: .both) { value, properties in
            let idle = try value.int(in: 0...Int(Int32.max))
            properties.clusters { $0.connection.connectionsMaxIdle = idle > 0 ? .milliseconds(idle) : nil }
        },
        KafkaPropertyDefinition("receive.message.max.bytes", scope: .both) { value, properties in
            let size = try value.int(in: 1000...Int(Int32.max))
            properties.clusters { $0.connection.maxResponseSize = size }
        },
        KafkaPropertyDefinition("max.in.flight.requests.per.connection", "max.in.flight", scope: .both) { value, properties in
            let count = try value.int(in: 1...1_000_000)
            properties.clusters { $0.connection.maxInFlight = count }
            properties.producer.maxInFlightPerConnection = count
        },
    ]
}
