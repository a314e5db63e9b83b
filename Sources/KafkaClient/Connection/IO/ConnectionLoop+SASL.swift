/// Running the configured SASL mechanism for the state machine's exchange.
extension ConnectionLoop {
    /// Mechanisms may fetch tokens or credentials, so they start in a task; the
    /// result comes back through the mailbox.
    func startSaslMechanism() {
        guard let mechanism = configuration.sasl else {
            perform(machine.saslMechanismFailed("no SASL mechanism is configured"))
            return
        }
        let context = SASLBrokerContext(host: host, port: port, brokerId: machine.configuration.brokerId)
        let mailbox = self.mailbox
        saslSession = nil
        Task {
            do {
                let (session, first) = try await mechanism.authenticate(with: context)
                _ = mailbox.post(.saslStarted(session, firstMessage: first))
            } catch {
                _ = mailbox.post(.saslFailed("\(mechanism.name) could not start: \(error)"))
            }
        }
    }

    /// Gives the broker's reply to the session, on this thread (SCRAM's key
    /// derivation happens once per exchange and takes milliseconds).
    func continueSaslMechanism(_ serverMessage: [UInt8]) {
        guard var session = saslSession else {
            perform(machine.saslMechanismFailed("a SASL reply arrived with no session"))
            return
        }
        do {
            let step = try session.challenge(serverMessage)
            saslSession = session
            switch step {
            case .respond(let message):
                perform(machine.saslMessageReady(message, now: .now))
            case .done:
                saslSession = nil
                logger.debug("SASL authentication succeeded", metadata: ["mechanism": "\(configuration.sasl?.name ?? "")"])
                perform(machine.saslMechanismCompleted(now: .now))
            }
        } catch {
            saslSession = nil
            perform(machine.saslMechanismFailed("\(error)"))
        }
    }
}
