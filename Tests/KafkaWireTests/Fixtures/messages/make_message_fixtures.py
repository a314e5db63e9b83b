#!/usr/bin/env python3
"""Writes golden Kafka message fixtures with kafka-python, an independent encoder.

Each fixture is <Message>-v<version>.json holding the API key, version, whether
the version is flexible, the encoded body (hex), the encoded header (hex) with its
fields, and the body's field values keyed by the Kafka spec's field names.
Bytes values appear as {"hex": "..."}; UUIDs as their canonical string.

    pip install kafka-python==3.0.12
    python3 make_message_fixtures.py [output-dir]   # default: this script's folder
"""
import json
import os
import sys
import uuid

import kafka
from kafka.protocol.consumer.fetch import FetchRequest, FetchResponse
from kafka.protocol.consumer.group import (JoinGroupRequest, JoinGroupResponse, OffsetCommitRequest,
                                           OffsetCommitResponse, SyncGroupRequest, SyncGroupResponse)
from kafka.protocol.metadata.api_versions import ApiVersionsRequest, ApiVersionsResponse
from kafka.protocol.metadata.metadata import MetadataRequest, MetadataResponse
from kafka.protocol.producer.produce import ProduceRequest, ProduceResponse
from kafka.record.default_records import DefaultRecordBatchBuilder

TOPIC_ID = uuid.UUID("5f0c8ad2-3b51-4f3e-9d7a-21c4b6e0f9a1")


def record_batch():
    """A real v2 record batch (two records, one with a header) as the records field."""
    builder = DefaultRecordBatchBuilder(magic=2, compression_type=0, is_transactional=0,
                                        producer_id=-1, producer_epoch=-1, base_sequence=-1,
                                        batch_size=1 << 20)
    builder.append(0, timestamp=1_700_000_000_000, key=b"k1", value=b"v1", headers=[])
    builder.append(1, timestamp=1_700_000_000_005, key=None, value=b"second",
                   headers=[("h", b"x")])
    return bytes(builder.build())


def field_values(obj, struct, version):
    """The fields present in `version`, keyed by spec name, recursively."""
    out = {}
    for field in struct.fields.values():
        if not field.for_version_q(version):
            continue
        value = getattr(obj, field.name)
        if field.is_struct_array():
            value = None if value is None else [field_values(v, field, version) for v in value]
        elif field.is_struct():
            value = None if value is None else field_values(value, field, version)
        name = field._name
        if name == "authorized_operations":
            # kafka-python renames the spec's int32 *AuthorizedOperations fields; null encodes INT32_MIN.
            name = "TopicAuthorizedOperations" if struct.name == "topics" else "ClusterAuthorizedOperations"
            value = -2147483648 if value is None else value
        out[name] = plain(value)
    return out


def plain(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"hex": bytes(value).hex()}
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def fixture(message, version, correlation_id=0x1234, client_id="golden-client"):
    cls = type(message)
    body = bytes(message.encode(version=version))
    # Headers attach after the version is set: encode(version=) on a response with a header fails.
    message.with_header(correlation_id=correlation_id, client_id=client_id)
    with_header = bytes(message.encode(header=True))
    header = with_header[: len(with_header) - len(body)]
    assert with_header.endswith(body)
    decoded = cls.decode(body, version=version)
    decoded._header = None  # decode() leaves the header slot unset, which encode() reads
    assert bytes(decoded.encode(version=version)) == body, "kafka-python does not round-trip itself"
    header_fields = {"CorrelationId": correlation_id}
    if cls.is_request():
        header_fields.update(RequestApiKey=cls.API_KEY, RequestApiVersion=version, ClientId=client_id)
    return {
        "api_key": cls.API_KEY,
        "name": cls.name,
        "type": cls.type,
        "version": version,
        "flexible": cls.flexible_version_q(version),
        "header_hex": header.hex(),
        "header": header_fields,
        "body_hex": body.hex(),
        "fields": field_values(message, cls._struct, version),
    }


def api_versions():
    keys = ApiVersionsResponse.ApiVersion
    yield ApiVersionsRequest(version=0), 0
    yield ApiVersionsRequest(version=3, client_software_name="swift-kafka-native",
                             client_software_version="0.1.0"), 3
    listed = [keys(api_key=0, min_version=0, max_version=11), keys(api_key=1, min_version=4, max_version=17),
              keys(api_key=18, min_version=0, max_version=4)]
    yield ApiVersionsResponse(version=0, error_code=0, api_keys=listed), 0
    yield ApiVersionsResponse(version=3, error_code=0, api_keys=listed, throttle_time_ms=25), 3


def metadata():
    topic = MetadataRequest.MetadataRequestTopic
    yield MetadataRequest(version=1, topics=[topic(name="orders"), topic(name="payments")]), 1
    yield MetadataRequest(version=4, topics=None, allow_auto_topic_creation=False), 4
    yield MetadataRequest(version=9, topics=[topic(name="orders")], allow_auto_topic_creation=True,
                          include_topic_authorized_operations=True), 9
    yield MetadataRequest(version=12, topics=[topic(topic_id=TOPIC_ID, name=None)]), 12

    broker = MetadataResponse.MetadataResponseBroker
    rtopic = MetadataResponse.MetadataResponseTopic
    partition = rtopic.MetadataResponsePartition

    def topics(version):
        return [
            rtopic(error_code=0, name="orders", topic_id=TOPIC_ID, is_internal=False,
                   partitions=[partition(error_code=0, partition_index=0, leader_id=1, leader_epoch=5,
                                         replica_nodes=[1, 2], isr_nodes=[1, 2], offline_replicas=[]),
                               partition(error_code=6, partition_index=1, leader_id=-1, leader_epoch=-1,
                                         replica_nodes=[2], isr_nodes=[], offline_replicas=[2])]),
            rtopic(error_code=3, name="missing", topic_id=uuid.UUID(int=0), is_internal=False, partitions=[]),
        ]
    brokers = [broker(node_id=1, host="broker-1.example", port=9092, rack=None),
               broker(node_id=2, host="broker-2.example", port=9094, rack="use1-az2")]
    yield MetadataResponse(version=1, brokers=brokers, controller_id=1, topics=topics(1)), 1
    yield MetadataResponse(version=9, throttle_time_ms=0, brokers=brokers, cluster_id="cluster-a",
                           controller_id=2, topics=topics(9)), 9
    yield MetadataResponse(version=12, throttle_time_ms=10, brokers=brokers, cluster_id=None,
                           controller_id=1, topics=topics(12)), 12


def produce(records):
    tdata = ProduceRequest.TopicProduceData
    pdata = tdata.PartitionProduceData
    for version, txn in ((3, None), (9, "txn-1")):
        yield ProduceRequest(version=version, transactional_id=txn, acks=-1, timeout_ms=30000,
                             topic_data=[tdata(name="orders", partition_data=[
                                 pdata(index=0, records=records), pdata(index=3, records=None)])]), version
    tresp = ProduceResponse.TopicProduceResponse
    presp = tresp.PartitionProduceResponse
    err = presp.BatchIndexAndErrorMessage
    for version in (3, 9):
        parts = [presp(index=0, error_code=0, base_offset=42, log_append_time_ms=-1, log_start_offset=0,
                       record_errors=[], error_message=None),
                 presp(index=3, error_code=87, base_offset=-1, log_append_time_ms=-1, log_start_offset=-1,
                       record_errors=[err(batch_index=1, batch_index_error_message="bad record")],
                       error_message="INVALID_RECORD")]
        yield ProduceResponse(version=version, responses=[tresp(name="orders", partition_responses=parts)],
                              throttle_time_ms=7), version


def fetch(records):
    ftopic = FetchRequest.FetchTopic
    fpart = ftopic.FetchPartition
    forgotten = FetchRequest.ForgottenTopic
    yield FetchRequest(version=4, replica_id=-1, max_wait_ms=500, min_bytes=1, max_bytes=52428800,
                       isolation_level=1,
                       topics=[ftopic(topic="orders", partitions=[
                           fpart(partition=0, fetch_offset=100, partition_max_bytes=1048576)])]), 4
    yield FetchRequest(version=12, cluster_id="cluster-a", replica_id=-1, max_wait_ms=500, min_bytes=1,
                       max_bytes=52428800, isolation_level=0, session_id=12, session_epoch=3,
                       topics=[ftopic(topic="orders", partitions=[
                           fpart(partition=0, current_leader_epoch=5, fetch_offset=100, last_fetched_epoch=4,
                                 log_start_offset=-1, partition_max_bytes=1048576)])],
                       forgotten_topics_data=[forgotten(topic="old", partitions=[1, 2])], rack_id="use1-az1"), 12
    rtopic = FetchResponse.FetchableTopicResponse
    rpart = rtopic.PartitionData
    aborted = rpart.AbortedTransaction
    for version in (4, 12):
        parts = [rpart(partition_index=0, error_code=0, high_watermark=102, last_stable_offset=102,
                       log_start_offset=0, aborted_transactions=[aborted(producer_id=9, first_offset=90)],
                       preferred_read_replica=-1, records=records),
                 rpart(partition_index=1, error_code=1, high_watermark=-1, last_stable_offset=-1,
                       log_start_offset=-1, aborted_transactions=None, preferred_read_replica=-1,
                       records=None)]
        yield FetchResponse(version=version, throttle_time_ms=0, error_code=0, session_id=12,
                            responses=[rtopic(topic="orders", partitions=parts)]), version


def join_group():
    proto = JoinGroupRequest.JoinGroupRequestProtocol
    protocols = [proto(name="range", metadata=bytes.fromhex("0000000000010006") + b"orders" + b"\xff\xff\xff\xff"),
                 proto(name="cooperative-sticky", metadata=b"\x00\x01")]
    yield JoinGroupRequest(version=0, group_id="group-a", session_timeout_ms=6000, member_id="",
                           protocol_type="consumer", protocols=protocols), 0
    yield JoinGroupRequest(version=5, group_id="group-a", session_timeout_ms=6000, rebalance_timeout_ms=30000,
                           member_id="m-1", group_instance_id="instance-1", protocol_type="consumer",
                           protocols=protocols), 5
    yield JoinGroupRequest(version=6, group_id="group-a", session_timeout_ms=6000, rebalance_timeout_ms=30000,
                           member_id="m-1", group_instance_id=None, protocol_type="consumer",
                           protocols=protocols), 6
    member = JoinGroupResponse.JoinGroupResponseMember
    for version in (0, 6):
        members = [member(member_id="m-1", group_instance_id=None, metadata=b"\x00\x01\x02"),
                   member(member_id="m-2", group_instance_id=None, metadata=b"")]
        yield JoinGroupResponse(version=version, throttle_time_ms=0, error_code=0, generation_id=3,
                                protocol_name="range", leader="m-1", member_id="m-1", members=members), version


def sync_group():
    assignment = SyncGroupRequest.SyncGroupRequestAssignment
    assignments = [assignment(member_id="m-1", assignment=b"\x00\x01\x00\x00\x00\x01"),
                   assignment(member_id="m-2", assignment=b"")]
    yield SyncGroupRequest(version=0, group_id="group-a", generation_id=3, member_id="m-1",
                           assignments=assignments), 0
    yield SyncGroupRequest(version=4, group_id="group-a", generation_id=3, member_id="m-1",
                           group_instance_id="instance-1", assignments=assignments), 4
    yield SyncGroupRequest(version=5, group_id="group-a", generation_id=3, member_id="m-1",
                           group_instance_id=None, protocol_type="consumer", protocol_name="range",
                           assignments=[]), 5
    yield SyncGroupResponse(version=0, error_code=27, assignment=b""), 0
    yield SyncGroupResponse(version=5, throttle_time_ms=1, error_code=0, protocol_type="consumer",
                            protocol_name="range", assignment=b"\x00\x01\x00\x00"), 5


def offset_commit():
    topic = OffsetCommitRequest.OffsetCommitRequestTopic
    part = topic.OffsetCommitRequestPartition
    yield OffsetCommitRequest(version=2, group_id="group-a", generation_id_or_member_epoch=3, member_id="m-1",
                              retention_time_ms=-1,
                              topics=[topic(name="orders", partitions=[
                                  part(partition_index=0, committed_offset=102, committed_metadata="meta"),
                                  part(partition_index=1, committed_offset=7, committed_metadata=None)])]), 2
    yield OffsetCommitRequest(version=8, group_id="group-a", generation_id_or_member_epoch=3, member_id="m-1",
                              group_instance_id=None,
                              topics=[topic(name="orders", partitions=[
                                  part(partition_index=0, committed_offset=102, committed_leader_epoch=5,
                                       committed_metadata="")])]), 8
    rtopic = OffsetCommitResponse.OffsetCommitResponseTopic
    rpart = rtopic.OffsetCommitResponsePartition
    for version in (2, 8):
        yield OffsetCommitResponse(version=version, throttle_time_ms=0, topics=[rtopic(name="orders", partitions=[
            rpart(partition_index=0, error_code=0), rpart(partition_index=1, error_code=25)])]), version


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    records = record_batch()
    written = 0
    for source in (api_versions(), metadata(), produce(records), fetch(records), join_group(),
                   sync_group(), offset_commit()):
        for message, version in source:
            data = fixture(message, version)
            data["generator"] = "kafka-python " + kafka.__version__
            name = f"{data['name']}-v{version}.json"
            with open(os.path.join(out_dir, name), "w") as f:
                json.dump(data, f, indent=1, sort_keys=True)
                f.write("\n")
            written += 1
    print(f"wrote {written} fixtures to {out_dir}")


if __name__ == "__main__":
    main()
