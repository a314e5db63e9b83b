#!/usr/bin/env python3
"""Writes record-batch fixtures with kafka-python's builders (an independent implementation).

Run from this folder:  python3 make_record_fixtures.py
Needs: pip install kafka-python python-snappy lz4 zstandard xxhash
Each NAME.bin gets a NAME.json sidecar with the records the Swift decoder must yield.
"""
import json
import struct

from kafka.record.default_records import DefaultRecordBatchBuilder
from kafka.record.legacy_records import LegacyRecordBatchBuilder
from kafka.record.memory_records import MemoryRecords

CODECS = {"none": 0, "gzip": 1, "snappy": 2, "lz4": 3, "zstd": 4}
BASE_TS = 1_700_000_000_000


def hexor(b):
    return None if b is None else bytes(b).hex()


def sample_records(count):
    """Repetitive values so every codec actually shrinks the batch (kafka-python keeps the
    batch uncompressed otherwise)."""
    out = []
    for i in range(count):
        key = None if i % 5 == 3 else b"key-%d" % i
        value = None if i % 7 == 4 else (b"value-%d-" % i) + b"abcdefgh" * (i % 9 + 4)
        headers = [] if i % 3 else [("h%d" % i, b"hv" * (i % 4)), ("trace", None)]
        out.append((i, BASE_TS + i * 17 - (i % 4) * 5, key, value, headers))
    return out


def v2_batch(codec, records, base_offset, leader_epoch, producer=None, transactional=False):
    pid, epoch, seq = producer if producer else (-1, -1, -1)
    b = DefaultRecordBatchBuilder(magic=2, compression_type=CODECS[codec],
                                  is_transactional=transactional, producer_id=pid,
                                  producer_epoch=epoch, base_sequence=seq, batch_size=1 << 20)
    for off, ts, key, value, headers in records:
        assert b.append(off, ts, key, value, headers) is not None
    buf = bytearray(b.build())
    # Base offset and leader epoch are assigned by the broker and sit outside the CRC.
    struct.pack_into(">q", buf, 0, base_offset)
    struct.pack_into(">i", buf, 12, leader_epoch)
    assert (buf[22] & 7) == CODECS[codec], "kafka-python kept the batch uncompressed"
    return bytes(buf)


def legacy_set(magic, codec, records, first_offset):
    b = LegacyRecordBatchBuilder(magic=magic, compression_type=CODECS[codec], batch_size=1 << 20)
    for i, (_, ts, key, value, _) in enumerate(records):
        # v0 inner offsets are absolute; v1 inner offsets are relative (0..n-1) in a wrapper.
        off = first_offset + i if (magic == 0 or codec == "none") else i
        assert b.append(off, ts, key, value) is not None
    buf = bytearray(b.build())
    if codec != "none":
        # The broker stamps the wrapper with the last inner offset (not covered by the CRC).
        struct.pack_into(">q", buf, 0, first_offset + len(records) - 1)
    return bytes(buf)


def expected_from_kafka_python(data):
    """Reads the fixture back with kafka-python so the sidecar reflects its view."""
    batches = []
    mr = MemoryRecords(data)
    while True:
        batch = mr.next_batch()
        if batch is None:
            break
        recs = []
        for r in batch:
            recs.append({
                "offset": r.offset,
                "timestamp": r.timestamp,
                "key": hexor(r.key),
                "value": hexor(r.value),
                "headers": [[k, hexor(v)] for k, v in r.headers],
            })
        batches.append({"magic": batch.magic, "records": recs})
    return batches


def write(name, data, meta):
    with open(name + ".bin", "wb") as f:
        f.write(data)
    meta = dict(meta)
    meta["batches"] = expected_from_kafka_python(data)
    with open(name + ".json", "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)


def main():
    records = sample_records(25)
    for codec in CODECS:
        data = v2_batch(codec, records, base_offset=1000, leader_epoch=7,
                        producer=(4242, 3, 100), transactional=(codec == "zstd"))
        write("v2_" + codec, data, {"codec": codec, "baseOffset": 1000, "partitionLeaderEpoch": 7,
                                    "producerId": 4242, "producerEpoch": 3, "baseSequence": 100,
                                    "transactional": codec == "zstd"})
    # The uncompressed batch with no producer state, for byte-for-byte encoder comparison.
    plain = v2_batch("none", records[:10], base_offset=0, leader_epoch=0)
    write("v2_plain", plain, {"codec": "none", "baseOffset": 0, "partitionLeaderEpoch": 0,
                              "producerId": -1, "producerEpoch": -1, "baseSequence": -1,
                              "transactional": False})
    for magic in (0, 1):
        # Magic 0 with lz4 uses the pre-KIP-57 (Kafka 0.8/0.9) faulty header checksum.
        for codec in ("none", "gzip", "snappy", "lz4"):
            data = legacy_set(magic, codec, records[:12], first_offset=500)
            write("legacy_v%d_%s" % (magic, codec), data, {"codec": codec, "magic": magic})
    # A fetch-style blob: several batches of mixed magic, then a truncated batch.
    blob = (legacy_set(1, "gzip", records[:4], first_offset=10)
            + v2_batch("none", records[4:9], base_offset=14, leader_epoch=1)
            + v2_batch("lz4", records[9:20], base_offset=19, leader_epoch=1))
    tail = v2_batch("snappy", records[20:], base_offset=30, leader_epoch=1)
    write("fetch_blob", blob + tail[: len(tail) // 2], {"codec": "mixed", "completeBytes": len(blob)})


def zstd_frames():
    """zstd frames without a content size, and with one that lies (the decoder must not trust it)."""
    import zstandard
    data = b"kafka zstd frame " * 4096
    with open("zstd_no_content_size.bin", "wb") as f:
        f.write(zstandard.ZstdCompressor(write_content_size=False).compress(data))
    frame = bytearray(zstandard.ZstdCompressor(write_content_size=True, write_checksum=False).compress(data))
    # Frame header: magic (4), descriptor (1); with single-segment set and FCS
    # field size code 2 the size is a 4-byte little-endian value right after.
    descriptor = frame[4]
    assert descriptor >> 6 == 2 and descriptor & 0x20, "unexpected zstd frame header layout"
    struct.pack_into("<I", frame, 5, 16)
    with open("zstd_lying_content_size.bin", "wb") as f:
        f.write(bytes(frame))
    with open("zstd_frames.json", "w") as f:
        json.dump({"decompressedSize": len(data), "pattern": "kafka zstd frame ", "lyingContentSize": 16}, f, indent=1)


if __name__ == "__main__":
    zstd_frames()
    main()
