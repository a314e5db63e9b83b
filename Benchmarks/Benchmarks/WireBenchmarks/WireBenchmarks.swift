// Microbenchmarks for the protocol layer's hot paths: CRC32C, record batch
// encode/decode and the compression codecs. Each benchmark names the bytes it
// processes per iteration, so throughput is size / time per iteration.
import Benchmark
import KafkaWire

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 3,
        maxDuration: .seconds(2),
        maxIterations: 10_000
    )

    for size in [1 << 10, 64 << 10, 16 << 20] {
        let bytes = BenchmarkData.random(count: size)
        Benchmark("CRC32C \(BenchmarkData.label(size))") { benchmark in
            for _ in benchmark.scaledIterations {
                bytes.withUnsafeBytes { blackHole(CRC32C.checksum($0)) }
            }
        }
    }

    for recordSize in [100, 1024] {
        let count = recordSize == 100 ? 10_000 : 1_000
        let values = BenchmarkData.recordValues(count: count, size: recordSize)
        let encoded = BenchmarkData.encodeBatch(values)
        let label = "\(count) x \(recordSize) B records (\(BenchmarkData.label(encoded.count)))"
        Benchmark("RecordBatch encode \(label), fresh buffer") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(BenchmarkData.encodeBatch(values))
            }
        }
        // What a producer that recycles sent batches' buffers pays.
        Benchmark("RecordBatch encode \(label), reused buffer") { benchmark in
            var buffer: [UInt8] = []
            for _ in benchmark.scaledIterations {
                buffer = BenchmarkData.encodeBatch(values, reusing: consume buffer)
                blackHole(buffer.count)
            }
        }
        Benchmark("RecordBatch decode \(label)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try RecordBatch.decode(encoded))
            }
        }
    }

    let text = BenchmarkData.recordLikeText(count: 1 << 20)
    for codec in CompressionCodec.allCases where codec != .none {
        let compressed = try! codec.compress(text)
        Benchmark("\(codec) compress 1 MiB (ratio \(compressed.count * 100 / text.count)%)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try codec.compress(text))
            }
        }
        Benchmark("\(codec) decompress to 1 MiB") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try codec.decompress(compressed, limit: text.count))
            }
        }
    }
}
