"""Joins a consumer group with librdkafka (confluent-kafka), subscribed to TOPIC,
and prints the partitions it owns each time they change ("assigned t:p t:p ...")
until SECONDS pass, then closes (leaving the group). STRATEGY is librdkafka's
partition.assignment.strategy (default range; cooperative-sticky rebalances
incrementally, so the owned set is tracked across callbacks).

usage: peer_group_consume.py BOOTSTRAP TOPIC GROUP SECONDS [STRATEGY]
"""
import sys
import time

from confluent_kafka import Consumer

bootstrap, topic, group, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
strategy = sys.argv[5] if len(sys.argv) > 5 else "range"
consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "session.timeout.ms": 6000,
                     "heartbeat.interval.ms": 500, "partition.assignment.strategy": strategy,
                     "enable.auto.commit": False, "auto.offset.reset": "earliest"})
owned = set()


def show():
    print("assigned " + " ".join("%s:%d" % p for p in sorted(owned)), flush=True)


def on_assign(_, partitions):
    owned.update((p.topic, p.partition) for p in partitions)
    show()


def on_revoke(_, partitions):
    owned.difference_update((p.topic, p.partition) for p in partitions)
    show()


consumer.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke, on_lost=on_revoke)
deadline = time.time() + seconds
while time.time() < deadline:
    consumer.poll(0.2)
consumer.close()
