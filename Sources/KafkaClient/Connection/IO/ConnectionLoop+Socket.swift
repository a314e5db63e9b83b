#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import KafkaWire

/// Connecting, reading and writing, with or without TLS.
extension ConnectionLoop {
    /// Opens the socket and, with TLS, completes the handshake; both block this
    /// connection's thread only, bounded by the connect and setup timeouts.
    func connect() {
        do throws(KafkaError) {
            let socket: TCPSocket
            do {
                socket = try TCPSocket.connect(host: host, port: port, options: configuration.socket)
            } catch {
                throw KafkaError(.ioError, detail: "connect failed", underlying: "\(error)")
            }
            self.socket = socket
            if let tlsContext {
                tls = try handshake(socket: socket, context: tlsContext)
            }
            logger.debug("connected", metadata: ["peer": "\(socket.remoteAddress)"])
            instruments.opened()
            perform(machine.connected(now: .now))
        } catch {
            socket?.close()
            socket = nil
            let failure = error.at(brokerId: machine.configuration.brokerId, address: machine.configuration.address)
            logger.debug("connect failed", metadata: ["reason": "\(failure)"])
            status.closed(failure)
            if failure.code == .ioError {
                perform(machine.connectFailed(failure.underlying ?? failure.detail))
            } else {
                perform(machine.connectFailed(failure.description))
            }
        }
    }

    func readFromSocket() {
        guard let socket else { return }
        var received = 0
        // One increment per wake-up rather than per read.
        defer { if received > 0 { instruments.bytesReceived.increment(by: received) } }
        do {
            // Bounded so a fast sender cannot starve writes and timers.
            for _ in 0..<64 {
                let count = try socket.readAvailable(into: readBuffer)
                guard count > 0 else { break }
                received += count
                let bytes = UnsafeRawBufferPointer(rebasing: readBuffer[..<count])
                var closedByPeer: KafkaError?
                if let tls {
                    tls.receivedCiphertext(bytes)
                    plaintext.removeAll(keepingCapacity: true)
                    closedByPeer = tls.decryptAvailable(into: &plaintext)
                    plaintext.withUnsafeBytes { inbound.append($0) }
                } else {
                    inbound.append(bytes)
                }
                // Responses decrypted before a close_notify are answers like any other:
                // delivered first, then the close is reported.
                try deliverFrames()
                if machine.isClosed { return }
                if let closedByPeer { throw closedByPeer }
            }
        } catch let error as TransportError {
            perform(machine.ioError("\(error)"))
        } catch let error as KafkaError {
            if error.code == .protocolViolation || error.code == .tlsFailed {
                status.closed(error.at(brokerId: machine.configuration.brokerId, address: machine.configuration.address))
            }
            perform(machine.ioError("\(error)"))
        } catch {
            perform(machine.ioError("\(error)"))
        }
    }

    private func deliverFrames() throws(KafkaError) {
        while !machine.isClosed, let frame = try inbound.nextFrame() {
            perform(machine.frameReceived(frame, now: .now))
        }
    }

    /// Writes what the kernel takes now; the rest waits for `POLLOUT`.
    func flushOutput() {
        guard let socket else { return }
        var sent = 0
        defer { if sent > 0 { instruments.bytesSent.increment(by: sent) } }
        do {
            if let tls {
                if !outbound.isEmpty {
                    try outbound.takeAll { (bytes) throws(KafkaError) in try tls.writePlaintext(bytes) }
                }
                if tls.hasPendingCiphertext {
                    plaintext.removeAll(keepingCapacity: true)
                    tls.takeCiphertext(into: &plaintext)
                    plaintext.withUnsafeBytes { encrypted.append($0) }
                }
                try encrypted.drain { (bytes) throws(TransportError) in
                    let written = try socket.writeAvailable(bytes)
                    sent += written
                    return written
                }
            } else {
                try outbound.drain { (bytes) throws(TransportError) in
                    let written = try socket.writeAvailable(bytes)
                    sent += written
                    return written
                }
            }
        } catch {
            perform(machine.ioError("\(error)"))
        }
    }

    func closeSocket() {
        if let tls, let socket {
            // Best effort close_notify; the peer may already be gone.
            tls.shutdown()
            plaintext.removeAll(keepingCapacity: true)
            tls.takeCiphertext(into: &plaintext)
            _ = plaintext.withUnsafeBytes { try? socket.writeAvailable($0) }
        }
        socket?.close()
        instruments.closed()
    }

    /// Runs the TLS handshake to completion, waiting with `poll(2)` up to the setup timeout.
    private func handshake(socket: TCPSocket, context: TLSContext) throws(KafkaError) -> TLSEngine {
        let engine = try TLSEngine(context: context, serverName: host)
        let deadline = ContinuousClock.now.advanced(by: configuration.setupTimeout)
        var outgoing: [UInt8] = []
        while true {
            let done = try engine.handshake()
            outgoing.removeAll(keepingCapacity: true)
            engine.takeCiphertext(into: &outgoing)
            try writeAll(outgoing, to: socket, until: deadline)
            if done { return engine }
            try waitFor(Int16(POLLIN), socket, until: deadline)
            let count: Int
            do { count = try socket.readAvailable(into: readBuffer) } catch {
                throw KafkaError(.tlsFailed, detail: "the connection closed during the TLS handshake", underlying: "\(error)")
            }
            engine.receivedCiphertext(UnsafeRawBufferPointer(rebasing: readBuffer[..<count]))
        }
    }

    private func writeAll(_ bytes: [UInt8], to socket: TCPSocket, until deadline: ContinuousClock.Instant) throws(KafkaError) {
        var offset = 0
        while offset < bytes.count {
            do {
                offset += try bytes.withUnsafeBytes { (raw) throws(TransportError) in
                    try socket.writeAvailable(UnsafeRawBufferPointer(rebasing: raw[offset...]))
                }
            } catch {
                throw KafkaError(.tlsFailed, detail: "writing the TLS handshake failed", underlying: "\(error)")
            }
            if offset < bytes.count { try waitFor(Int16(POLLOUT), socket, until: deadline) }
        }
    }

    private func waitFor(_ events: Int16, _ socket: TCPSocket, until deadline: ContinuousClock.Instant) throws(KafkaError) {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else {
                throw KafkaError(.tlsFailed, detail: "the TLS handshake did not finish within \(configuration.setupTimeout)")
            }
            var entry = pollfd(fd: socket.pollDescriptor, events: events, revents: 0)
            if poll(&entry, 1, left.int32MillisecondsRoundedUp) > 0 { return }
        }
    }
}
