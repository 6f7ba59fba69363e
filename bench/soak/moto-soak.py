"""bench:soak's moto: bench/collect/moto-indexed.py (moto with its stream repair and an index for
GetMetricData), plus two repairs of moto's cost, not of its answers, without which a day of a
fleet's table makes every call slower than the clients' timeout:

- Query: moto (5.x) sorts every item of the table on each Query (`Table.all_items`), then filters
  them by partition (or by the index's hash key) and sorts what is left again. A Query here hands
  it only the partition's items (a table query), or, unsorted, the items holding the index's hash
  key value (an index query): moto still runs its own filter and its second sort, which decides
  the order (keys are unique), so the answers are the same.
- TransactWriteItems: moto deep-copies every table a transaction names before running it, to put
  the copy back if it is cancelled. Here it copies only the items the transaction writes (and
  notes the stream's length); a cancelled transaction puts those items back and drops the stream
  records it added: the same state moto's copy would restore.

- Answers: moto's serializer writes each attribute value of an item by asking the value, through
  its chain of aliases, for each of the ten members of DynamoDB's AttributeValue shape (S, N, B,
  SS, …, BOOL). An attribute value holds one of them: here only that one is asked for, written by
  moto's own code; the nine others would have written nothing.

`python3 bench/soak/check-moto-soak.py` runs one seeded sequence of writes and reads on both
servers and checks that every answer is the same.

Run as `python3 moto-soak.py -H 127.0.0.1 -p 5005`, the same arguments as moto_server.
"""
import copy
import os
import runpy
import sys
import threading

import moto.dynamodb.models as dynamodb_models
from moto.core.serialize import BaseJSONSerializer
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.server import main

runpy.run_path(
    os.path.join(os.path.dirname(__file__), "..", "collect", "moto-indexed.py"),
    run_name="moto_indexed",
)

# --- Query -----------------------------------------------------------------------------------
_local = threading.local()
_all_items = Table.all_items
_query = Table.query


def _holds(item, name, value):
    held = item.attrs.get(name)
    return held is not None and held == value


def all_items(self):
    scope = getattr(_local, "scope", None)
    if scope is None or scope[0] is not self:
        return _all_items(self)
    _, index_name, hash_key, conditions = scope
    if index_name:
        # Only the items moto's own loop would keep: those holding the index's hash key values.
        return [
            item
            for part in self.items.values()
            for item in (part.values() if self.range_key_attr else [part])
            if all(_holds(item, name, value) for name, value in conditions)
        ]
    part = self.items.get(hash_key)
    if part is None:
        return []
    return list(part.values()) if self.range_key_attr else [part]


def query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
          scan_index_forward, projection_expressions, index_name=None, *args, **kwargs):
    _local.scope = (self, index_name, hash_key, kwargs.get("hash_key_conditions") or [])
    try:
        return _query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
                      scan_index_forward, projection_expressions, index_name, *args, **kwargs)
    finally:
        _local.scope = None


Table.all_items = all_items
Table.query = query


# --- TransactWriteItems ------------------------------------------------------------------------
class _CopyButNotTables:
    """Stands in for the `copy` module in moto's dynamodb models: a table is not copied (the
    transaction below keeps what it needs to put back); anything else is, as before."""

    def deepcopy(self, x, memo=None):
        if isinstance(x, Table):
            return x
        return copy.deepcopy(x, memo)

    def __getattr__(self, name):
        return getattr(copy, name)


dynamodb_models.copy = _CopyButNotTables()
_transact = DynamoDBBackend.transact_write_items  # the stream repair's wrapper


def _key_of(table, op_type, op):
    if op_type == "Put":
        attrs = op["Item"]
        hash_key = DynamoType(attrs[table.hash_key_attr])
        range_key = DynamoType(attrs[table.range_key_attr]) if table.range_key_attr else None
    else:
        key = op["Key"]
        hash_key = DynamoType(key[table.hash_key_attr])
        range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
    return hash_key, range_key


def _current(table, hash_key, range_key):
    part = table.items.get(hash_key)
    if part is None:
        return None
    return part.get(range_key) if table.range_key_attr else part


def transact_write_items(self, transact_items):
    saved = []  # (table, hash, range, copy of the item or None)
    streams = {}
    for entry in transact_items:
        try:
            op_type, op = next(iter(entry.items()))
            table = self.tables.get(op.get("TableName"))
            if table is None:
                continue
            hash_key, range_key = _key_of(table, op_type, op)
        except Exception:
            continue  # moto rejects it below, before writing anything of it
        item = _current(table, hash_key, range_key)
        saved.append((table, hash_key, range_key, copy.deepcopy(item) if item is not None else None))
        if table.stream_shard is not None and table.name not in streams:
            streams[table.name] = (table.stream_shard, len(table.stream_shard.items))
    try:
        return _transact(self, transact_items)
    except BaseException:
        # Cancelled: put back what the transaction wrote, first item first (moto's own copy).
        for table, hash_key, range_key, item in reversed(saved):
            if table.range_key_attr:
                part = table.items[hash_key]
                if item is None:
                    part.pop(range_key, None)
                    if not part:
                        del table.items[hash_key]
                else:
                    part[range_key] = item
            elif item is None:
                table.items.pop(hash_key, None)
            else:
                table.items[hash_key] = item
        for shard, length in streams.values():
            del shard.items[length:]
        raise


DynamoDBBackend.transact_write_items = transact_write_items

# --- Answers -----------------------------------------------------------------------------------
_serialize_structure = BaseJSONSerializer._serialize_type_structure


def _serialize_type_structure(self, serialized, value, shape, key):
    if shape.name == "AttributeValue" and isinstance(value, dict) and len(value) == 1:
        (member_key,) = value
        member_shape = shape.members.get(member_key)
        if member_shape is not None and not shape.is_document_type:
            wrapper = self.MAP_TYPE() if key else serialized
            member_shape.parent = shape
            self._serialize_structure_member(wrapper, value, member_shape, member_key)
            if key:
                self._default_serialize(serialized, wrapper, shape, key)
            return
    _serialize_structure(self, serialized, value, shape, key)


BaseJSONSerializer._serialize_type_structure = _serialize_type_structure

if __name__ == "__main__":
    main(sys.argv[1:])
