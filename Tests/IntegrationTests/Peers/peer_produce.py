"""Produces COUNT keyed records with headers to partition 0 of TOPIC with
confluent-kafka (librdkafka), using the given compression codec, for the
record interop tests. Record i has key "k-i", value "v-i-" + "x" * (i % 50),
header ("h", "i") and timestamp BASE_TS + i.

usage: peer_produce.py BOOTSTRAP TOPIC COUNT CODEC BASE_TS
"""
import sys

from confluent_kafka import Producer

bootstrap, topic, count, codec, base = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
producer = Producer({"bootstrap.servers": bootstrap, "compression.codec": codec, "linger.ms": 50,
                     "enable.idempotence": True, "acks": "all"})
failures = []
for i in range(count):
    producer.produce(topic, partition=0, key=b"k-%d" % i, value=b"v-%d-" % i + b"x" * (i % 50),
                     headers=[("h", str(i).encode())], timestamp=base + i,
                     on_delivery=lambda err, msg: failures.append(err) if err else None)
remaining = producer.flush(30)
if remaining or failures:
    sys.exit("not delivered: %d pending, errors %s" % (remaining, failures[:3]))
