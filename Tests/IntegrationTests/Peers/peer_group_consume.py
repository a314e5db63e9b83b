"""Joins a consumer group with librdkafka (confluent-kafka), subscribed to TOPIC,
and prints its assignment each time it changes ("assigned t:p t:p ...") until
SECONDS pass, then closes (leaving the group).

usage: peer_group_consume.py BOOTSTRAP TOPIC GROUP SECONDS
"""
import sys
import time

from confluent_kafka import Consumer

bootstrap, topic, group, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "session.timeout.ms": 6000,
                     "heartbeat.interval.ms": 500, "partition.assignment.strategy": "range",
                     "enable.auto.commit": False, "auto.offset.reset": "earliest"})


def on_assign(_, partitions):
    print("assigned " + " ".join("%s:%d" % (p.topic, p.partition) for p in partitions), flush=True)


consumer.subscribe([topic], on_assign=on_assign)
deadline = time.time() + seconds
while time.time() < deadline:
    consumer.poll(0.2)
consumer.close()
