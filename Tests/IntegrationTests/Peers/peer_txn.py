"""Transactions with librdkafka (confluent-kafka), for the transaction interop tests.

usage:
  peer_txn.py produce BOOTSTRAP TOPIC TRANSACTIONAL_ID
      one aborted transaction (values a0..a4), then one committed (c0..c9), partition 0
  peer_txn.py consume BOOTSTRAP TOPIC COUNT
      reads COUNT records of partition 0 with isolation.level=read_committed and
      prints each value on its own line
"""
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

mode, bootstrap, topic = sys.argv[1], sys.argv[2], sys.argv[3]

if mode == "produce":
    producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": sys.argv[4]})
    producer.init_transactions(20)
    producer.begin_transaction()
    for index in range(5):
        producer.produce(topic, value=b"a%d" % index, partition=0)
    producer.flush(10)
    producer.abort_transaction(20)
    producer.begin_transaction()
    for index in range(10):
        producer.produce(topic, value=b"c%d" % index, partition=0)
    producer.commit_transaction(20)
    print("done")
else:
    count = int(sys.argv[4])
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "peer-txn-" + topic,
                         "isolation.level": "read_committed", "enable.auto.commit": False})
    consumer.assign([TopicPartition(topic, 0, 0)])
    seen = []
    deadline = time.time() + 30
    while len(seen) < count and time.time() < deadline:
        message = consumer.poll(0.5)
        if message is None or message.error():
            continue
        seen.append(message.value().decode())
    consumer.close()
    for value in seen:
        print(value)
