"""moto_server with one repair: a cancelled TransactWriteItems keeps the table's stream shard.

When a transaction fails, moto (5.x) puts back a deep copy of each table it touched. The copy
carries a new stream shard object, while every shard iterator already handed out (the one
serverless-offline-dynamodb-streams polls with, for instance) still points at the old one: from
then on no stream consumer sees another record. DynamoDB does not behave so. This puts the original
shard back on the restored table, holding the restored records (so a rolled-back write leaves no
record). Run as `python3 moto-server.py -H 127.0.0.1 -p 5005`, the same arguments as moto_server.
"""
import sys

from moto.dynamodb.models import DynamoDBBackend
from moto.server import main

_transact_write_items = DynamoDBBackend.transact_write_items


def _keeping_stream_shards(self, transact_items):
    shards = {name: table.stream_shard for name, table in self.tables.items()}
    try:
        return _transact_write_items(self, transact_items)
    finally:
        for name, shard in shards.items():
            table = self.tables.get(name)
            if shard is None or table is None or table.stream_shard is shard:
                continue
            if table.stream_shard is not None:
                shard.items[:] = table.stream_shard.items
            shard.table = table
            table.stream_shard = shard


DynamoDBBackend.transact_write_items = _keeping_stream_shards

if __name__ == "__main__":
    main(sys.argv[1:])
