#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Starts the operating-system thread that runs a connection's loop.
enum ConnectionThread {
    static func start(_ loop: ConnectionLoop) throws(KafkaError) {
        let context = Unmanaged.passRetained(Box(loop: loop)).toOpaque()
        // Glibc's pthread_t is an integer, Musl's a pointer.
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t? = nil
        #endif
        let status = pthread_create(&thread, nil, { context in
            let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
            box.loop.run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            throw KafkaError(.ioError, detail: "could not start the connection's thread", underlying: String(cString: strerror(status)))
        }
        pthread_detach(thread)
    }

    private final class Box {
        let loop: ConnectionLoop
        init(loop: ConnectionLoop) {
            self.loop = loop
        }
    }
}
