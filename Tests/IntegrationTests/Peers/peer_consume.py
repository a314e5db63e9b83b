"""Reads N records from partition 0 of a topic with an independent client and
prints them as JSON lines (hex keys/values/headers), for the record interop tests.

usage: peer_consume.py {confluent|kafka-python} BOOTSTRAP TOPIC COUNT
"""
import json
import sys
import time

client, bootstrap, topic, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
deadline = time.time() + 30
out = []

def hexed(b):
    return None if b is None else bytes(b).hex()

if client == "confluent":
    from confluent_kafka import Consumer, TopicPartition
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "interop-" + topic,
                         "enable.auto.commit": False, "api.version.request": True})
    consumer.assign([TopicPartition(topic, 0, 0)])
    while len(out) < count and time.time() < deadline:
        message = consumer.poll(0.5)
        if message is None or message.error():
            continue
        out.append({"offset": message.offset(), "key": hexed(message.key()), "value": hexed(message.value()),
                    "timestamp": message.timestamp()[1],
                    "headers": [[k, hexed(v)] for k, v in (message.headers() or [])]})
    consumer.close()
else:
    from kafka import KafkaConsumer, TopicPartition
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None,
                             consumer_timeout_ms=1000)
    partition = TopicPartition(topic, 0)
    consumer.assign([partition])
    consumer.seek(partition, 0)
    while len(out) < count and time.time() < deadline:
        for message in consumer:
            out.append({"offset": message.offset, "key": hexed(message.key), "value": hexed(message.value),
                        "timestamp": message.timestamp,
                        "headers": [[k, hexed(v)] for k, v in (message.headers or [])]})
            if len(out) >= count:
                break
    consumer.close()

for record in out:
    print(json.dumps(record))
