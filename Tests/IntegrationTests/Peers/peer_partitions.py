"""Produces one record per key with librdkafka (confluent-kafka) using the
murmur2_random partitioner and prints "key partition" per delivery report, so
tests can compare our partitioner with librdkafka's choices.

usage: peer_partitions.py BOOTSTRAP TOPIC COUNT
"""
import sys

from confluent_kafka import Producer

bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
producer = Producer({"bootstrap.servers": bootstrap, "partitioner": "murmur2_random", "linger.ms": 5})
chosen = {}


def report(error, message):
    if error is None:
        chosen[message.key().decode()] = message.partition()


for index in range(count):
    producer.produce(topic, key=f"key-{index}".encode(), value=b"v", on_delivery=report)
    if index % 1000 == 0:
        producer.poll(0)
producer.flush(60)
for key, partition in chosen.items():
    print(key, partition)
