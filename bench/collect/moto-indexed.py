"""bench:collect's moto: scripts/lib/moto-server.py (with its stream repair) plus an index for GetMetricData.

moto (5.x) answers each GetMetricData query by scanning every datapoint it holds once per period of
the query's window, so a call of 500 queries over a 1,000-service fleet's datapoints takes minutes
(session 5 saw it time out after 60 s with ~15,000 datapoints). CloudWatch itself looks a metric up
by its name and dimensions. This keeps moto's own code for every answer and only hands it, query by
query, the datapoints of that query's metric name and dimensions (the datapoints moto's own filter
would keep: it matches name and dimensions when a query has dimensions, namespace and name when it
has none). Any call with a math or Insights expression goes to moto unchanged.

Run as `python3 moto-indexed.py -H 127.0.0.1 -p 5005`, the same arguments as moto_server.
"""
import os
import runpy
import sys
from collections import defaultdict
from datetime import timedelta

from moto.cloudwatch.models import CloudWatchBackend
from moto.server import main

# The stream repair (its __main__ guard keeps it from starting a server of its own).
runpy.run_path(
    os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "lib", "moto-server.py"),
    run_name="moto_server_repair",
)

_put = CloudWatchBackend.put_metric_data
_get = CloudWatchBackend.get_metric_data
_all = CloudWatchBackend.get_all_metrics


def _dims_key(dims):
    return tuple(sorted((d.name, d.value) for d in dims))


def _index(backend):
    if not hasattr(backend, "_bench_index"):
        backend._bench_index = defaultdict(list)
        backend._bench_subset = None
        for md in backend.metric_data:
            backend._bench_index[(md.name, _dims_key(md.dimensions))].append(md)
    return backend._bench_index


def put_metric_data(self, namespace, metric_data):
    index = _index(self)
    before = len(self.metric_data)
    _put(self, namespace, metric_data)
    for md in self.metric_data[before:]:
        index[(md.name, _dims_key(md.dimensions))].append(md)


def get_all_metrics(self):
    subset = getattr(self, "_bench_subset", None)
    return subset if subset is not None else _all(self)


def _clipped(subset, query, start_time, end_time):
    """The window moto walks period by period, cut to the periods that can hold the metric's
    datapoints: moto looks at every datapoint once per period, so a week's window of one-minute
    periods costs 10,080 passes. The cut start stays on the query's grid of periods (the same
    timestamps), and the periods cut off hold no datapoint of this metric, so the answer is moto's."""
    start_time = start_time.replace(microsecond=0)
    end_time = end_time.replace(microsecond=0)
    inside = [md.timestamp for md in subset if start_time <= md.timestamp < end_time]
    if not inside or start_time >= end_time:
        return start_time, end_time
    delta = timedelta(seconds=int(query["MetricStat"]["Period"]))
    first = start_time + ((min(inside) - start_time) // delta) * delta
    last = start_time + ((max(inside) - start_time) // delta) * delta
    end = min(end_time, last + delta)
    return (first, end) if first < end else (start_time, end_time)


def get_metric_data(self, queries, start_time, end_time, scan_by="TimestampAscending"):
    if not all("MetricStat" in q for q in queries):
        return _get(self, queries, start_time, end_time, scan_by)
    index = _index(self)
    generated = self.aws_metric_data  # metrics moto derives from other services, once per call
    results = []
    try:
        for query in queries:
            metric = query["MetricStat"]["Metric"]
            name = metric["MetricName"]
            dims = metric.get("Dimensions", [])
            if dims:
                key = (name, tuple(sorted((d["Name"], d["Value"]) for d in dims)))
                stored = index.get(key, [])
            else:
                stored = [md for md in self.metric_data if md.name == name]
            subset = stored + [md for md in generated if md.name == name]
            self._bench_subset = subset
            start, end = _clipped(subset, query, start_time, end_time)
            results.extend(_get(self, [query], start, end, scan_by))
    finally:
        self._bench_subset = None
    return results


CloudWatchBackend.put_metric_data = put_metric_data
CloudWatchBackend.get_all_metrics = get_all_metrics
CloudWatchBackend.get_metric_data = get_metric_data

if __name__ == "__main__":
    main(sys.argv[1:])
