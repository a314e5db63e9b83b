// msk-iam-example: a producer and a consumer on Amazon MSK with IAM access
// control: SASL_SSL on port 9098, AWS_MSK_IAM signed with the default AWS
// credential chain (environment, profile, web identity, container, EC2).
//
//   KAFKA_BOOTSTRAP_SERVERS=b-1.mycluster.abc123.c2.kafka.eu-west-1.amazonaws.com:9098 \
//   AWS_REGION=eu-west-1 swift run msk-iam-example [topic]
import Foundation
import KafkaClient
import MSKAuth

let environment = ProcessInfo.processInfo.environment
guard let servers = environment["KAFKA_BOOTSTRAP_SERVERS"], let region = environment["AWS_REGION"] else {
    print("set KAFKA_BOOTSTRAP_SERVERS (the cluster's IAM brokers, port 9098) and AWS_REGION")
    exit(2)
}
let bootstrap = servers.split(separator: ",").map(String.init)
let topic = CommandLine.arguments.dropFirst().first ?? "msk-iam-example"
// One provider for both clients, so they share its cached credentials.
let credentials = DefaultAWSCredentialsProvider()

do {
    var producerConfiguration = KafkaProducer.Configuration(bootstrapServers: bootstrap)
    producerConfiguration.cluster.connection.tls = .default  // system trust roots: MSK's certificates are public
    producerConfiguration.cluster.connection.sasl = MSKIAMMechanism(region: region, credentialsProvider: credentials)
    let producer = try KafkaProducer(configuration: producerConfiguration)
    let report = try await producer.sendAndWait(KafkaProducerRecord(topic: topic, key: "greeting", value: "hello from Swift"))
    print("delivered to \(report.topic)-\(report.partition) at offset \(report.offset ?? -1)")
    await producer.close()

    var consumerConfiguration = KafkaConsumer.Configuration(bootstrapServers: bootstrap)
    consumerConfiguration.cluster.connection.tls = .default
    consumerConfiguration.cluster.connection.sasl = MSKIAMMechanism(region: region, credentialsProvider: credentials)
    consumerConfiguration.groupId = "msk-iam-example"
    consumerConfiguration.autoOffsetReset = .earliest
    let consumer = try KafkaConsumer(configuration: consumerConfiguration)
    try consumer.subscribe(topics: [topic])
    for try await message in consumer.messages {
        print("consumed \(message.topic)-\(message.partition)@\(message.offset): \(message.valueString ?? "null")")
        break
    }
    await consumer.close()
} catch {
    print("msk-iam-example failed: \(error)")
    exit(1)
}
