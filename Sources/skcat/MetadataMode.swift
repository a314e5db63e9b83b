import KafkaClient
import KafkaWire

/// `-L`: brokers, topics and partitions in kcat's text layout, or its JSON (`-J`).
struct MetadataMode {
    let arguments: KcatArguments
    let properties: ClientProperties

    func run() async throws(SkcatFailure) {
        let cluster = try SkcatFailure.kafka { () throws(KafkaError) in try KafkaCluster(configuration: properties.cluster) }
        let metadata: ClusterMetadata
        do throws(KafkaError) {
            metadata = try await cluster.refreshMetadata(topics: arguments.topic.map { [$0] })
        } catch {
            await cluster.close()
            throw .kafka(error)
        }
        await cluster.close()
        let out = OutputStream(descriptor: 1)
        out.write(arguments.json ? Self.json(metadata, topic: arguments.topic) : Self.text(metadata, topic: arguments.topic))
        out.flush()
    }

    private static func sortedTopics(_ metadata: ClusterMetadata) -> [TopicMetadata] {
        metadata.topics.values.sorted { $0.name < $1.name }
    }

    static func text(_ metadata: ClusterMetadata, topic: String?) -> String {
        var out = "Metadata for \(topic ?? "all topics") (from broker -1: bootstrap):\n"
        out += " \(metadata.brokers.count) brokers:\n"
        for broker in metadata.brokers.values.sorted(by: { $0.nodeId < $1.nodeId }) {
            let controller = broker.nodeId == metadata.controllerId ? " (controller)" : ""
            out += "  broker \(broker.nodeId) at \(broker.host):\(broker.port)\(controller)\n"
        }
        let topics = sortedTopics(metadata)
        out += " \(topics.count) topics:\n"
        for entry in topics {
            let error = entry.error.isError ? " \(entry.error)" : ""
            out += "  topic \"\(entry.name)\" with \(entry.partitions.count) partitions:\(error)\n"
            for partition in entry.partitions.sorted(by: { $0.partition < $1.partition }) {
                let replicas = partition.replicas.map(String.init).joined(separator: ",")
                let isrs = partition.inSyncReplicas.map(String.init).joined(separator: ",")
                let error = partition.error.isError ? ", \(partition.error)" : ""
                out += "    partition \(partition.partition), leader \(partition.leaderId), replicas: \(replicas), isrs: \(isrs)\(error)\n"
            }
        }
        return out
    }

    static func json(_ metadata: ClusterMetadata, topic: String?) -> String {
        var out = "{\"originating_broker\":{\"id\":-1,\"name\":\"bootstrap\"},\"query\":{\"topic\":"
        JSONText.appendString(topic ?? "*", to: &out)
        out += "},\"controllerid\":\(metadata.controllerId ?? -1),\"brokers\":["
        for (index, broker) in metadata.brokers.values.sorted(by: { $0.nodeId < $1.nodeId }).enumerated() {
            if index > 0 { out += "," }
            out += "{\"id\":\(broker.nodeId),\"name\":"
            JSONText.appendString("\(broker.host):\(broker.port)", to: &out)
            out += "}"
        }
        out += "],\"topics\":["
        for (index, entry) in sortedTopics(metadata).enumerated() {
            if index > 0 { out += "," }
            out += "{\"topic\":"
            JSONText.appendString(entry.name, to: &out)
            if entry.error.isError {
                out += ",\"error\":"
                JSONText.appendString("\(entry.error)", to: &out)
            }
            out += ",\"partitions\":["
            for (position, partition) in entry.partitions.sorted(by: { $0.partition < $1.partition }).enumerated() {
                if position > 0 { out += "," }
                out += "{\"partition\":\(partition.partition)"
                if partition.error.isError {
                    out += ",\"error\":"
                    JSONText.appendString("\(partition.error)", to: &out)
                }
                out += ",\"leader\":\(partition.leaderId),\"replicas\":["
                out += partition.replicas.map { "{\"id\":\($0)}" }.joined(separator: ",")
                out += "],\"isrs\":["
                out += partition.inSyncReplicas.map { "{\"id\":\($0)}" }.joined(separator: ",")
                out += "]}"
            }
            out += "]}"
        }
        out += "]}\n"
        return out
    }
}
