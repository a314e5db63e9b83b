import KafkaClient
import KafkaWire

/// `-Q -t topic:partition:timestamp ...`: the first offset at or after each
/// timestamp (ListOffsets). Text: `topic [partition] offset N`; with `-J`,
/// kcat's layout: `{"topic":{"topic":"topic","0":{"partition":0,"offset":N}}}`.
/// An offset of -1 means no record is that new.
struct QueryMode {
    let arguments: KcatArguments
    let properties: ClientProperties

    func run() async throws(SkcatFailure) {
        var queries: [OffsetQuery] = []
        for text in arguments.queries {
            do throws(UsageError) { queries.append(try OffsetQuery(parsing: text)) } catch { throw error.failure }
        }
        let cluster = try SkcatFailure.kafka { () throws(KafkaError) in try KafkaCluster(configuration: properties.cluster) }
        var results: [(query: OffsetQuery, offset: Int64)] = []
        do throws(KafkaError) {
            for query in queries {
                let partitions = try await OffsetLookup.partitions(cluster, topic: query.topic, only: query.partition)
                let found = try await OffsetLookup.offset(cluster, partitions[0], at: query.timestamp)
                results.append((query, found.offset))
            }
        } catch {
            await cluster.close()
            throw .kafka(error)
        }
        await cluster.close()
        let out = OutputStream(descriptor: 1)
        if arguments.json {
            var text = "{"
            let byTopic = Dictionary(grouping: results, by: { $0.query.topic })
            for (index, topic) in byTopic.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                JSONText.appendString(topic, to: &text)
                text += ":{\"topic\":"
                JSONText.appendString(topic, to: &text)
                for result in byTopic[topic] ?? [] {
                    text += ",\"\(result.query.partition)\":{\"partition\":\(result.query.partition),\"offset\":\(result.offset)}"
                }
                text += "}"
            }
            text += "}\n"
            out.write(text)
        } else {
            for result in results {
                out.write("\(result.query.topic) [\(result.query.partition)] offset \(result.offset)\n")
            }
        }
        out.flush()
    }
}
