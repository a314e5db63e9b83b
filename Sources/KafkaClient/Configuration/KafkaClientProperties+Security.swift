/// `security.protocol`, `sasl.*` and `ssl.*`: gathered while reading, since
/// they only make sense together (a key without its certificate, a mechanism
/// without credentials), and resolved once at the end.
struct KafkaSecurityProperties: Sendable {
    var securityProtocol: SecurityProtocol = .plaintext
    /// librdkafka's default; Kerberos is not supported, so SASL needs a mechanism named.
    var mechanism = "GSSAPI"
    /// `sasl.username`, `sasl.password` and the extension mechanisms' properties.
    var sasl: [String: String] = [:]
    var tls = KafkaTLSConfiguration()
    var certificateGiven = false
    var keyGiven = false

    /// The TLS settings and SASL mechanism the properties amount to.
    func resolve(saslMechanisms: [KafkaPropertySASLMechanism]) throws(KafkaError) -> (tls: KafkaTLSConfiguration?, sasl: (any SASLMechanism)?) {
        var tls: KafkaTLSConfiguration?
        if securityProtocol == .ssl || securityProtocol == .saslSSL {
            guard certificateGiven == keyGiven else {
                let missing = certificateGiven ? "ssl.key.location" : "ssl.certificate.location"
                throw KafkaError(.invalidProperty, detail: "\(missing): a client certificate and its key go together",
                                 property: missing)
            }
            tls = self.tls
        }
        guard securityProtocol == .saslPlaintext || securityProtocol == .saslSSL else { return (tls, nil) }
        return (tls, try mechanism(saslMechanisms))
    }

    private func mechanism(_ extensions: [KafkaPropertySASLMechanism]) throws(KafkaError) -> any SASLMechanism {
        switch mechanism {
        case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
            guard let username = sasl["sasl.username"], let password = sasl["sasl.password"] else {
                let missing = sasl["sasl.username"] == nil ? "sasl.username" : "sasl.password"
                throw KafkaError(.invalidProperty, detail: "\(missing): sasl.mechanism \(mechanism) needs sasl.username and sasl.password",
                                 property: missing)
            }
            switch mechanism {
            case "PLAIN": return PlainMechanism.plain(username: username, password: password)
            case "SCRAM-SHA-256": return SCRAMMechanism.scramSHA256(username: username, password: password)
            default: return SCRAMMechanism.scramSHA512(username: username, password: password)
            }
        default:
            if let offered = extensions.first(where: { $0.name == mechanism }) { return try offered.make(sasl) }
            let known = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] + extensions.map(\.name)
            throw KafkaError(.invalidProperty, detail: "sasl.mechanism=\"\(mechanism)\": expected one of \(known.joined(separator: ", "))",
                             property: "sasl.mechanism")
        }
    }
}

extension KafkaClientProperties {
    static let securityDefinitions: [KafkaPropertyDefinition] = [
        KafkaPropertyDefinition("security.protocol", scope: .both) { value, properties in
            properties.security.securityProtocol = try value.choice([
                "plaintext": .plaintext, "ssl": .ssl, "sasl_plaintext": .saslPlaintext, "sasl_ssl": .saslSSL,
            ])
        },
        KafkaPropertyDefinition("sasl.mechanism", "sasl.mechanisms", scope: .both) { value, properties in
            properties.security.mechanism = value.text.trimmed.uppercased()
        },
        KafkaPropertyDefinition("sasl.username", scope: .both) { value, properties in
            properties.security.sasl["sasl.username"] = value.text
        },
        KafkaPropertyDefinition("sasl.password", scope: .both) { value, properties in
            properties.security.sasl["sasl.password"] = value.text
        },
        // librdkafka's "probe" looks for the system's CA bundle, which OpenSSL's default paths are.
        KafkaPropertyDefinition("ssl.ca.location", scope: .both) { value, properties in
            properties.security.tls.trustRoots = value.text == "probe" ? .system : .pemFile(value.text)
        },
        KafkaPropertyDefinition("ssl.ca.pem", scope: .both) { value, properties in
            properties.security.tls.trustRoots = .pem(value.text)
        },
        KafkaPropertyDefinition("ssl.certificate.location", scope: .both) { value, properties in
            properties.security.tls.certificateChain = .file(value.text)
            properties.security.certificateGiven = true
        },
        KafkaPropertyDefinition("ssl.certificate.pem", scope: .both) { value, properties in
            properties.security.tls.certificateChain = .pem(value.text)
            properties.security.certificateGiven = true
        },
        KafkaPropertyDefinition("ssl.key.location", scope: .both) { value, properties in
            properties.security.tls.privateKey = .file(value.text)
            properties.security.keyGiven = true
        },
        KafkaPropertyDefinition("ssl.key.pem", scope: .both) { value, properties in
            properties.security.tls.privateKey = .pem(value.text)
            properties.security.keyGiven = true
        },
        KafkaPropertyDefinition("ssl.key.password", scope: .both) { value, properties in
            properties.security.tls.privateKeyPassword = value.text
        },
        KafkaPropertyDefinition("ssl.cipher.suites", scope: .both) { value, properties in
            properties.security.tls.cipherSuites = value.text
        },
        // Turning verification off wins over the host name setting, whichever comes first.
        KafkaPropertyDefinition("enable.ssl.certificate.verification", scope: .both) { value, properties in
            if try !value.bool() {
                properties.security.tls.certificateVerification = .noVerification
            } else if properties.security.tls.certificateVerification == .noVerification {
                properties.security.tls.certificateVerification = .fullVerification
            }
        },
        KafkaPropertyDefinition("ssl.endpoint.identification.algorithm", scope: .both) { value, properties in
            let checksHost = try value.choice(["https": true, "none": false, "": false])
            guard properties.security.tls.certificateVerification != .noVerification else { return }
            properties.security.tls.certificateVerification = checksHost ? .fullVerification : .noHostnameVerification
        },
    ]
}
