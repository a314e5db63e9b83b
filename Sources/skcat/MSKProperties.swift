import KafkaClient
import MSKAuth

/// The Amazon MSK mechanisms skcat adds to `sasl.mechanism`, with the region
/// property they read (`sasl.aws.region`, or `aws.region`).
enum MSKProperties {
    static let regionNames = ["sasl.aws.region", "aws.region"]

    static let mechanisms: [KafkaPropertySASLMechanism] = [
        // Without a region the mechanism derives it from the broker's host name.
        KafkaPropertySASLMechanism(name: "AWS_MSK_IAM", properties: regionNames) { values throws(KafkaError) in
            MSKIAMMechanism(region: region(values))
        },
        KafkaPropertySASLMechanism(name: "OAUTHBEARER", properties: regionNames) { values throws(KafkaError) in
            guard let region = region(values) else {
                throw KafkaError(.invalidProperty, detail: "sasl.aws.region: sasl.mechanism OAUTHBEARER (MSK) needs -X sasl.aws.region=REGION",
                                 property: "sasl.aws.region")
            }
            return OAuthBearerMechanism.mskOAuthBearer(region: region)
        },
    ]

    private static func region(_ values: [String: String]) -> String? {
        regionNames.lazy.compactMap { values[$0] }.first
    }
}
