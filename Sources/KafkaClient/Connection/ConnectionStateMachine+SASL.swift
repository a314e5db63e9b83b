import KafkaWire

/// SASL: SaslHandshake picks the mechanism, then SaslAuthenticate round trips
/// carry the mechanism's messages. The mechanism itself lives outside the
/// machine: the machine asks for its messages (`startSaslMechanism`,
/// `continueSaslMechanism`) and the I/O layer reports them back.
extension ConnectionStateMachine {
    mutating func startAuthentication(_ table: ApiVersionTable, mechanism: String, isReauthentication: Bool,
                                      now: ContinuousClock.Instant) -> [Action] {
        let version: Int16
        do {
            // SaslAuthenticate (v1+ handshake) is required: raw v0 token framing is not supported.
            version = try table.version(apiKey: .saslHandshake, clientVersions: 1...SaslHandshakeRequest.validVersions.upperBound)
            _ = try table.version(for: SaslAuthenticateRequest.self)
        } catch {
            return failAll(error)
        }
        let id = sendControl(.saslHandshake, version: version, now: now)
        state = .authenticating(table, .handshake(correlationId: id), isReauthentication: isReauthentication)
        return [.sendSaslHandshake(version: version, correlationId: id, mechanism: mechanism)]
    }

    mutating func saslHandshakeReceived(_ frame: [UInt8], version: Int16, table: ApiVersionTable,
                                        isReauthentication: Bool) -> [Action] {
        let response: SaslHandshakeResponse
        do {
            response = try SaslHandshakeResponse.decodeFrame(frame, version: version).body
        } catch {
            return failAll(violation("undecodable SaslHandshake response: \(error)", apiKey: .saslHandshake))
        }
        let code = KafkaErrorCode(response.errorCode)
        guard !code.isError else {
            let offered = response.mechanisms.joined(separator: ", ")
            return failAll(KafkaError(.authenticationFailed,
                                           detail: "mechanism \(configuration.saslMechanism ?? "?") rejected; the broker offers [\(offered)]",
                                           apiKey: .saslHandshake, brokerErrorCode: code))
        }
        state = .authenticating(table, .mechanism, isReauthentication: isReauthentication)
        return [.startSaslMechanism(brokerMechanisms: response.mechanisms)]
    }

    /// The mechanism produced its next message: send it in SaslAuthenticate.
    package mutating func saslMessageReady(_ authBytes: [UInt8], now: ContinuousClock.Instant) -> [Action] {
        guard case .authenticating(let table, .mechanism, let reauth) = state else {
            return failAll(error(.authenticationFailed, "SASL message produced outside an exchange", apiKey: .saslAuthenticate))
        }
        let version: Int16
        do {
            version = try table.version(for: SaslAuthenticateRequest.self)
        } catch {
            return failAll(error)
        }
        let id = sendControl(.saslAuthenticate, version: version, now: now)
        state = .authenticating(table, .authenticate(correlationId: id), isReauthentication: reauth)
        return [.sendSaslAuthenticate(version: version, correlationId: id, authBytes: authBytes)]
    }

    mutating func saslAuthenticateReceived(_ frame: [UInt8], version: Int16, table: ApiVersionTable,
                                           isReauthentication: Bool) -> [Action] {
        let response: SaslAuthenticateResponse
        do {
            response = try SaslAuthenticateResponse.decodeFrame(frame, version: version).body
        } catch {
            return failAll(violation("undecodable SaslAuthenticate response: \(error)", apiKey: .saslAuthenticate))
        }
        let code = KafkaErrorCode(response.errorCode)
        guard !code.isError else {
            return failAll(KafkaError(.authenticationFailed, detail: response.errorMessage ?? code.message,
                                           apiKey: .saslAuthenticate, brokerErrorCode: code))
        }
        sessionLifetimeMs = response.sessionLifetimeMs
        state = .authenticating(table, .mechanism, isReauthentication: isReauthentication)
        return [.continueSaslMechanism(authBytes: response.authBytes)]
    }

    /// The mechanism accepted the broker's last reply: the session is authenticated.
    package mutating func saslMechanismCompleted(now: ContinuousClock.Instant) -> [Action] {
        guard case .authenticating(let table, .mechanism, _) = state else {
            return failAll(error(.authenticationFailed, "SASL completed outside an exchange", apiKey: .saslAuthenticate))
        }
        var actions: [Action] = []
        reauthenticationDeadline = nil
        if sessionLifetimeMs > 0 {
            let deadline = now.advanced(by: Self.reauthenticationDelay(sessionLifetimeMs: sessionLifetimeMs, using: &jitter))
            reauthenticationDeadline = deadline
            actions.append(.scheduleReauthentication(at: deadline))
        }
        sessionLifetimeMs = 0
        return actions + becomeReady(table, now: now)
    }

    /// The mechanism rejected the broker's reply (or failed to produce a message).
    package mutating func saslMechanismFailed(_ message: String) -> [Action] {
        failAll(error(.authenticationFailed, message, apiKey: .saslAuthenticate))
    }

    /// Re-authenticates (KIP-368): requests already written complete normally,
    /// while new ones queue until the exchange finishes.
    package mutating func reauthenticationDue(now: ContinuousClock.Instant) -> [Action] {
        guard case .ready(let table) = state, let mechanism = configuration.saslMechanism else { return [] }
        reauthenticationDeadline = nil
        return startAuthentication(table, mechanism: mechanism, isReauthentication: true, now: now)
    }

    /// A random 85-95% of the session lifetime, as the Java client does, so many
    /// connections do not re-authenticate at once and none hits the expiry.
    static func reauthenticationDelay(sessionLifetimeMs: Int64, using generator: inout some RandomNumberGenerator) -> Duration {
        let fraction = Double.random(in: 0.85...0.95, using: &generator)
        return .milliseconds(Int64(Double(sessionLifetimeMs) * fraction))
    }
}
