/// The consumer's properties.
extension KafkaClientProperties {
    static let consumerDefinitions: [KafkaPropertyDefinition] = [
        KafkaPropertyDefinition("group.id", scope: .consumer) { value, properties in
            properties.consumer.groupId = value.text.isEmpty ? nil : value.text
        },
        KafkaPropertyDefinition("group.instance.id", scope: .consumer) { value, properties in
            properties.consumer.groupInstanceId = value.text.isEmpty ? nil : value.text
        },
        KafkaPropertyDefinition("group.protocol", scope: .consumer) { value, properties in
            properties.consumer.groupProtocol = try value.choice(["classic": .classic, "consumer": KafkaGroupProtocol.consumer])
        },
        // librdkafka's older smallest/largest and kcat's beginning/end mean the same.
        KafkaPropertyDefinition("auto.offset.reset", scope: .consumer) { value, properties in
            properties.consumer.autoOffsetReset = try value.choice([
                "earliest": .earliest, "smallest": .earliest, "beginning": .earliest,
                "latest": .latest, "largest": .latest, "end": .latest, "error": KafkaAutoOffsetReset.error,
            ])
        },
        KafkaPropertyDefinition("enable.auto.commit", scope: .consumer) { value, properties in
            properties.consumer.enableAutoCommit = try value.bool()
        },
        KafkaPropertyDefinition("auto.commit.interval.ms", scope: .consumer) { value, properties in
            properties.consumer.autoCommitInterval = try value.milliseconds(in: 1...86_400_000)
        },
        KafkaPropertyDefinition("session.timeout.ms", scope: .consumer) { value, properties in
            properties.consumer.sessionTimeout = try value.milliseconds(in: 1...3_600_000)
        },
        KafkaPropertyDefinition("heartbeat.interval.ms", scope: .consumer) { value, properties in
            properties.consumer.heartbeatInterval = try value.milliseconds(in: 1...3_600_000)
        },
        KafkaPropertyDefinition("max.poll.interval.ms", scope: .consumer) { value, properties in
            properties.consumer.rebalanceTimeout = try value.milliseconds(in: 1...86_400_000)
        },
        KafkaPropertyDefinition("partition.assignment.strategy", scope: .consumer) { value, properties in
            let assignors = try value.list.map { name throws -> any KafkaPartitionAssignor in
                // librdkafka's names, and the Java class names people copy from Java configurations.
                switch name {
                case "range", "org.apache.kafka.clients.consumer.RangeAssignor": RangeAssignor()
                case "roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor": RoundRobinAssignor()
                case "cooperative-sticky", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor": CooperativeStickyAssignor()
                default: throw value.invalid("expected range, roundrobin or cooperative-sticky, not \"\(name)\"")
                }
            }
            guard !assignors.isEmpty else { throw value.invalid("expected at least one assignor") }
            properties.consumer.partitionAssignors = assignors
        },
        KafkaPropertyDefinition("isolation.level", scope: .consumer) { value, properties in
            properties.consumer.isolationLevel = try value.choice([
                "read_uncommitted": .readUncommitted, "read_committed": KafkaIsolationLevel.readCommitted,
            ])
        },
        KafkaPropertyDefinition("fetch.min.bytes", scope: .consumer) { value, properties in
            properties.consumer.fetchMinBytes = try value.int32(in: 1...100_000_000)
        },
        KafkaPropertyDefinition("fetch.max.wait.ms", "fetch.wait.max.ms", scope: .consumer) { value, properties in
            properties.consumer.fetchMaxWait = try value.milliseconds(in: 0...300_000)
        },
        KafkaPropertyDefinition("fetch.max.bytes", scope: .consumer) { value, properties in
            properties.consumer.fetchMaxBytes = try value.int32(in: 0...Int32.max)
        },
        KafkaPropertyDefinition("max.partition.fetch.bytes", "fetch.message.max.bytes", scope: .consumer) { value, properties in
            properties.consumer.maxPartitionFetchBytes = try value.int32(in: 1...Int32.max)
        },
        KafkaPropertyDefinition("queued.max.messages.kbytes", scope: .consumer) { value, properties in
            properties.consumer.maxPrefetchBytes = try value.int(in: 1...2_097_151) * 1024
        },
        KafkaPropertyDefinition("client.rack", scope: .consumer) { value, properties in
            properties.consumer.clientRack = value.text.isEmpty ? nil : value.text
        },
        KafkaPropertyDefinition("check.crcs", scope: .consumer) { value, properties in
            properties.consumer.checkCRCs = try value.bool()
        },
    ]

    /// A session timeout below the default heartbeat interval would expire between
    /// heartbeats; unless the interval was given too, it follows at a third of the
    /// session, the ratio Kafka recommends.
    mutating func finishConsumer() {
        guard isGiven("session.timeout.ms"), !isGiven("heartbeat.interval.ms") else { return }
        let third = consumer.sessionTimeout / 3
        if third < consumer.heartbeatInterval { consumer.heartbeatInterval = max(.milliseconds(1), third) }
    }
}
