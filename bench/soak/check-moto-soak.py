"""Checks bench/soak/moto-soak.py: the same answers as moto with its stream repair alone.

Starts both servers, runs one seeded sequence of writes on a table shaped as vigia's (pk, sk, gsi1
with gsi1pk/gsi1sk, a stream): puts, updates, deletes, transactions that succeed and transactions
cancelled by a condition (with writes before the failing check), and compares after each step the
answers of table and index queries (forward, backward, ranges, pages of 7) and the stream records.
Run: python3 bench/soak/check-moto-soak.py
"""
import os, random, socket, subprocess, sys, time
import boto3

here = os.path.dirname(os.path.abspath(__file__))


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def start(script):
    port = free_port()
    p = subprocess.Popen([sys.executable, script, "-H", "127.0.0.1", "-p", str(port)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            boto3.client("dynamodb", endpoint_url=url, region_name="us-east-1",
                         aws_access_key_id="x", aws_secret_access_key="x").list_tables()
            return p, url
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"{script} did not start")


procs = [start(os.path.join(here, "..", "..", "scripts", "lib", "moto-server.py")),
         start(os.path.join(here, "moto-soak.py"))]
kw = dict(region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
dbs = [boto3.client("dynamodb", endpoint_url=u, **kw) for _, u in procs]
streams = [boto3.client("dynamodbstreams", endpoint_url=u, **kw) for _, u in procs]
try:
    for db in dbs:
        db.create_table(
            TableName="t", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ["pk", "sk", "gsi1pk", "gsi1sk"]],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[{"IndexName": "gsi1", "Projection": {"ProjectionType": "ALL"},
                                     "KeySchema": [{"AttributeName": "gsi1pk", "KeyType": "HASH"}, {"AttributeName": "gsi1sk", "KeyType": "RANGE"}]}],
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    rnd = random.Random(7)
    pks = [f"SVC#{i}" for i in range(6)] + ["AUTOPILOT"]
    kinds = ["SAMPLE", "DECISION", "ANOMALY"]

    def item():
        pk, kind = rnd.choice(pks), rnd.choice(kinds)
        at = f"2026-12-02T{rnd.randint(0, 23):02}:{rnd.randint(0, 59):02}"
        it = {"pk": {"S": pk}, "sk": {"S": f"{kind}#{at}"}, "v": {"N": str(rnd.randint(0, 9))}}
        if kind != "SAMPLE":
            it["gsi1pk"] = {"S": kind}; it["gsi1sk"] = {"S": f"{at}#{pk}"}
        return it

    def key(it):
        return {"pk": it["pk"], "sk": it["sk"]}

    def run(ops):
        out = []
        for db in dbs:
            try:
                for name, args in ops:
                    getattr(db, name)(**args)
                out.append("ok")
            except db.exceptions.ClientError as e:
                out.append(e.response["Error"]["Code"])
        return out

    def read(db, st):
        res = []
        for pk in pks:
            for fwd in (True, False):
                res.append(db.query(TableName="t", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": pk}}, ScanIndexForward=fwd)["Items"])
            res.append(db.query(TableName="t", KeyConditionExpression="pk = :p AND begins_with(sk, :s)", ExpressionAttributeValues={":p": {"S": pk}, ":s": {"S": "DECISION#"}})["Items"])
        for kind in kinds:
            for fwd in (True, False):
                args = dict(TableName="t", IndexName="gsi1", KeyConditionExpression="gsi1pk = :k AND gsi1sk > :a",
                            ExpressionAttributeValues={":k": {"S": kind}, ":a": {"S": "2026-12-02T06"}}, ScanIndexForward=fwd, Limit=7)
                while True:
                    page = db.query(**args)
                    res.append(page["Items"])
                    if "LastEvaluatedKey" not in page:
                        break
                    args["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        arn = db.describe_table(TableName="t")["Table"]["LatestStreamArn"]
        shard = st.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        it = st.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        recs = st.get_records(ShardIterator=it, Limit=1000)["Records"]
        res.append([(r["eventName"], r["dynamodb"]["Keys"], r["dynamodb"].get("NewImage"), r["dynamodb"].get("OldImage"), r["dynamodb"]["SequenceNumber"]) for r in recs])
        return res

    written = []
    steps = cancelled = 0
    for step in range(300):
        r = rnd.random()
        if r < 0.4:
            it = item(); written.append(it)
            ops = [("put_item", {"TableName": "t", "Item": it})]
        elif r < 0.5 and written:
            ops = [("delete_item", {"TableName": "t", "Key": key(rnd.choice(written))})]
        elif r < 0.6 and written:
            ops = [("update_item", {"TableName": "t", "Key": key(rnd.choice(written)), "UpdateExpression": "SET v = :v",
                                    "ExpressionAttributeValues": {":v": {"N": str(rnd.randint(0, 9))}}})]
        else:
            tx = []
            for _ in range(rnd.randint(1, 4)):
                it = item()
                tx.append({"Put": {"TableName": "t", "Item": it}} if rnd.random() < 0.6 or not written else
                          {"Update": {"TableName": "t", "Key": key(rnd.choice(written)), "UpdateExpression": "SET v = :v",
                                      "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeValues": {":v": {"N": "5"}}}})
                written.append(it)
            if rnd.random() < 0.5:
                tx.append({"ConditionCheck": {"TableName": "t", "Key": key(item()), "ConditionExpression": "attribute_exists(pk)"}})
            seen, unique = set(), []
            for t in tx:
                k = str(next(iter(t.values())).get("Key") or key(next(iter(t.values()))["Item"]))
                if k not in seen:
                    seen.add(k); unique.append(t)
            ops = [("transact_write_items", {"TransactItems": unique})]
        outcome = run(ops)
        assert outcome[0] == outcome[1], (step, outcome)
        cancelled += outcome[0] != "ok"
        steps += 1
        if step % 10 == 9 or outcome[0] != "ok":
            a, b = (read(db, st) for db, st in zip(dbs, streams))
            if a != b:
                raise SystemExit(f"step {step}: answers differ")
    print(f"steps {steps}, cancelled transactions {cancelled}, items {sum(len(x) for x in read(dbs[0], streams[0])[:1])}, identical True")
finally:
    for p, _ in procs:
        p.terminate()
