import KafkaWire

/// The producer's properties.
extension KafkaClientProperties {
    static let producerDefinitions: [KafkaPropertyDefinition] = [
        KafkaPropertyDefinition("acks", "request.required.acks", scope: .producer) { value, properties in
            properties.producer.acks = try value.choice(["all": .all, "-1": .all, "1": .leader, "0": KafkaProducer.Acks.none])
        },
        KafkaPropertyDefinition("enable.idempotence", scope: .producer) { value, properties in
            properties.producer.enableIdempotence = try value.bool()
        },
        KafkaPropertyDefinition("linger.ms", "queue.buffering.max.ms", scope: .producer) { value, properties in
            properties.producer.linger = try value.milliseconds(in: 0...900_000)
        },
        KafkaPropertyDefinition("batch.size", scope: .producer) { value, properties in
            properties.producer.batchSize = try value.int(in: 1...Int(Int32.max))
        },
        KafkaPropertyDefinition("batch.num.messages", scope: .producer) { value, properties in
            properties.producer.maxBatchRecords = try value.int(in: 1...1_000_000)
        },
        KafkaPropertyDefinition("buffer.memory", scope: .producer) { value, properties in
            properties.producer.bufferMemory = try value.int(in: 1...Int.max)
        },
        KafkaPropertyDefinition("queue.buffering.max.kbytes", scope: .producer) { value, properties in
            properties.producer.bufferMemory = try value.int(in: 1...Int(Int32.max)) * 1024
        },
        KafkaPropertyDefinition("queue.buffering.max.messages", scope: .producer) { value, properties in
            properties.producer.maxBufferedRecords = try value.int(in: 1...Int(Int32.max))
        },
        KafkaPropertyDefinition("compression.type", "compression.codec", scope: .producer) { value, properties in
            properties.producer.compression = try value.choice([
                "none": KafkaCompressionCodec.none, "gzip": .gzip, "snappy": .snappy, "lz4": .lz4, "zstd": .zstd,
            ])
        },
        // -1 is librdkafka's "the codec's default".
        KafkaPropertyDefinition("compression.level", scope: .producer) { value, properties in
            let level = try value.int(in: -1...22)
            properties.producer.compressionLevel = level >= 0 ? level : nil
        },
        KafkaPropertyDefinition("delivery.timeout.ms", "message.timeout.ms", scope: .producer) { value, properties in
            properties.producer.deliveryTimeout = try value.milliseconds(in: 1...Int(Int32.max))
        },
        KafkaPropertyDefinition("retries", "message.send.max.retries", scope: .producer) { value, properties in
            properties.producer.retries = try value.int(in: 0...Int(Int32.max))
        },
        KafkaPropertyDefinition("retry.backoff.ms", scope: .producer) { value, properties in
            properties.producer.retryBackoff = try value.milliseconds(in: 1...300_000)
        },
        KafkaPropertyDefinition("retry.backoff.max.ms", scope: .producer) { value, properties in
            properties.producer.retryBackoffMax = try value.milliseconds(in: 1...300_000)
        },
        // librdkafka's message.max.bytes caps a request as Java's max.request.size does.
        KafkaPropertyDefinition("max.request.size", "message.max.bytes", scope: .producer) { value, properties in
            properties.producer.maxRequestSize = try value.int(in: 1000...1_000_000_000)
        },
        // Only the partitioner that matches Java's: murmur2 for keys, sticky for the rest.
        KafkaPropertyDefinition("partitioner", scope: .producer) { value, properties in
            properties.producer.partitioner = try value.choice(["murmur2_random": Partitioner.default])
        },
        KafkaPropertyDefinition("partitioner.adaptive.partitioning.enable", scope: .producer) { value, properties in
            properties.producer.adaptivePartitioning = try value.bool()
        },
        KafkaPropertyDefinition("partitioner.availability.timeout.ms", scope: .producer) { value, properties in
            properties.producer.partitionerAvailabilityTimeout = try value.milliseconds(in: 0...Int(Int32.max))
        },
        KafkaPropertyDefinition("partitioner.ignore.keys", scope: .producer) { value, properties in
            properties.producer.partitionerIgnoresKeys = try value.bool()
        },
        KafkaPropertyDefinition("transactional.id", scope: .producer) { value, properties in
            guard !value.text.isEmpty else { throw value.invalid("must not be empty") }
            properties.producer.transactionalId = value.text
        },
        KafkaPropertyDefinition("transaction.timeout.ms", scope: .producer) { value, properties in
            properties.producer.transactionTimeout = try value.milliseconds(in: 1000...Int(Int32.max))
        },
        KafkaPropertyDefinition("max.block.ms", scope: .producer) { value, properties in
            properties.producer.maxBlock = try value.milliseconds(in: 0...Int(Int32.max))
        },
    ]

    /// Idempotence against the settings it needs, as the Java client decides: asked for
    /// explicitly, a conflicting setting is an error; left at its default, it is turned
    /// off instead (`acks=1` alone gives a plain at-least-once producer).
    mutating func finishProducer() throws(KafkaError) {
        var conflict: (property: String, value: String, reason: String)?
        if producer.acks != .all {
            conflict = ("acks", "\(producer.acks.rawValue)", "idempotence needs acks=all")
        } else if producer.retries == 0 {
            conflict = ("retries", "0", "idempotence needs retries above 0")
        } else if producer.maxInFlightPerConnection > 5 {
            conflict = ("max.in.flight.requests.per.connection", "\(producer.maxInFlightPerConnection)", "idempotence allows at most 5")
        }
        if producer.transactionalId != nil, isGiven("enable.idempotence"), !producer.enableIdempotence {
            throw KafkaError(.invalidProperty, detail: "enable.idempotence=\"false\": transactional.id requires idempotence",
                             property: "enable.idempotence")
        }
        guard let conflict else { return }
        if isGiven("enable.idempotence") && producer.enableIdempotence || producer.transactionalId != nil {
            throw KafkaError(.invalidProperty, detail: "\(conflict.property)=\"\(conflict.value)\": \(conflict.reason)"
                             + (producer.transactionalId != nil ? " (transactional.id requires idempotence)" : ""),
                             property: conflict.property)
        }
        producer.enableIdempotence = false
    }
}
