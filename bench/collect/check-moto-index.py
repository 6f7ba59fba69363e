"""Checks bench/collect/moto-indexed.py: the same GetMetricData answers as moto alone.

Puts 60 services x 12 minutes of CPU and memory into one moto backend, asks 121 queries (three
statistics, services without data, one query without dimensions) before and after the index is
installed, and prints whether the answers are identical. Run: python3 bench/collect/check-moto-index.py
"""
import os, runpy, random
from datetime import datetime, timedelta, timezone
from moto.cloudwatch.models import CloudWatchBackend
random.seed(1)
b = CloudWatchBackend('us-east-1', '123456789012')
t0 = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)
data = {}
for svc in range(60):
    dims = [{'Name': 'ClusterName', 'Value': 'c'}, {'Name': 'ServiceName', 'Value': f's{svc}'}]
    for m in range(12):
        for name in ['CPUUtilization', 'MemoryUtilization']:
            data.setdefault('AWS/ECS', []).append({'MetricName': name, 'Dimensions': dims, 'Value': random.random()*100, 'Timestamp': t0 + timedelta(minutes=m, seconds=5)})
for ns, md in data.items():
    b.put_metric_data(ns, md)
queries = []
for i, svc in enumerate(random.sample(range(70), 40)):
    for stat in ['Average', 'Maximum', 'Sum']:
        queries.append({'Id': f'q{i}_{stat}', 'MetricStat': {'Metric': {'Namespace': 'AWS/ECS', 'MetricName': 'CPUUtilization', 'Dimensions': [{'Name': 'ClusterName', 'Value': 'c'}, {'Name': 'ServiceName', 'Value': f's{svc}'}]}, 'Period': 60, 'Stat': stat}})
queries.append({'Id': 'nodims', 'MetricStat': {'Metric': {'Namespace': 'AWS/ECS', 'MetricName': 'MemoryUtilization'}, 'Period': 60, 'Stat': 'Average'}})
start, end = t0 + timedelta(minutes=2), t0 + timedelta(minutes=10)
# A window of days around the data (the collector's warm-up), and 5-minute periods on an odd grid.
long_start, long_end = t0 - timedelta(days=2, seconds=17), t0 + timedelta(hours=5)
five = [{**q, 'MetricStat': {**q['MetricStat'], 'Period': 300}} for q in queries]
before = [b.get_metric_data(queries, start, end), b.get_metric_data(queries, long_start, long_end),
          b.get_metric_data(five, long_start, long_end, 'TimestampDescending')]
runpy.run_path(os.path.join(os.path.dirname(__file__), 'moto-indexed.py'), run_name='check')
after = [b.get_metric_data(queries, start, end), b.get_metric_data(queries, long_start, long_end),
         b.get_metric_data(five, long_start, long_end, 'TimestampDescending')]
# plus data put after the patch goes into the index
print('queries', 3 * len(queries), 'identical', before == after, 'non-empty', sum(1 for r in after[1] if r['values']))
